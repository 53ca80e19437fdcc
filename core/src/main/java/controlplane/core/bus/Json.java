package controlplane.core.bus;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * Reads typed fields of a message. A missing or mistyped field fails with {@link Failure#INVALID_REQUEST} (or
 * {@link Failure#INVALID_SITE_ID}) and a text that names the field and never repeats its value.
 */
final class Json {

  /** The longest free text a request may carry (actor, org id, keys, host names). */
  static final int MAX_TEXT = 255;
  private static final Pattern FINGERPRINT = Pattern.compile("[0-9a-f]{64}");

  private Json() {
  }

  static JsonObject object(Object body) {
    if (!(body instanceof JsonObject json)) {
      throw Failure.INVALID_REQUEST.exception("the message must be a JSON object");
    }
    return json;
  }

  static UUID siteId(JsonObject json) {
    Object v = json.getValue(Fields.SITE_ID);
    if (!(v instanceof String s)) {
      throw Failure.INVALID_SITE_ID.exception("site_id is required");
    }
    try {
      UUID id = UUID.fromString(s);
      if (!id.toString().equalsIgnoreCase(s)) {
        throw new IllegalArgumentException();
      }
      return id;
    } catch (IllegalArgumentException e) {
      throw Failure.INVALID_SITE_ID.exception("site_id must be a UUID");
    }
  }

  /** A non-blank string of at most {@link #MAX_TEXT} characters; null when absent and not required. */
  static String text(JsonObject json, String field, boolean required) {
    Object v = json.getValue(field);
    if (v == null || (v instanceof String s && s.isBlank())) {
      if (required) {
        throw Failure.INVALID_REQUEST.exception(field + " is required");
      }
      return null;
    }
    if (!(v instanceof String s)) {
      throw Failure.INVALID_REQUEST.exception(field + " must be a string");
    }
    if (s.length() > MAX_TEXT) {
      throw Failure.INVALID_REQUEST.exception(field + " must be at most " + MAX_TEXT + " characters");
    }
    return s;
  }

  /** Any string, or null; no length rule (passwords, messages). */
  static String string(JsonObject json, String field) {
    Object v = json.getValue(field);
    if (v != null && !(v instanceof String)) {
      throw Failure.INVALID_REQUEST.exception(field + " must be a string");
    }
    return (String) v;
  }

  static boolean bool(JsonObject json, String field, boolean def) {
    Object v = json.getValue(field);
    if (v == null) {
      return def;
    }
    if (!(v instanceof Boolean b)) {
      throw Failure.INVALID_REQUEST.exception(field + " must be true or false");
    }
    return b;
  }

  static int port(JsonObject json, String field) {
    Object v = json.getValue(field);
    if (!(v instanceof Number n) || n.doubleValue() != n.intValue() || n.intValue() < 1 || n.intValue() > 65535) {
      throw Failure.INVALID_REQUEST.exception(field + " must be an integer from 1 to 65535");
    }
    return n.intValue();
  }

  static int integer(JsonObject json, String field, int def) {
    Object v = json.getValue(field);
    if (v == null) {
      return def;
    }
    if (!(v instanceof Number n) || n.doubleValue() != n.intValue()) {
      throw Failure.INVALID_REQUEST.exception(field + " must be an integer");
    }
    return n.intValue();
  }

  /**
   * A certificate fingerprint ({@link Fields#TLS_FINGERPRINT}): 64 lower-case hex digits, the SHA-256 of the
   * certificate; null when absent.
   */
  static String fingerprint(JsonObject json, String field) {
    Object v = json.getValue(field);
    if (v == null) {
      return null;
    }
    if (!(v instanceof String s) || !isFingerprint(s)) {
      throw Failure.INVALID_REQUEST.exception(field + " must be a SHA-256 fingerprint: 64 lower-case hex digits");
    }
    return s;
  }

  static boolean isFingerprint(String s) {
    return s != null && FINGERPRINT.matcher(s).matches();
  }

  /** A string of a reply that must be there: a reply without it is the sender's bug. */
  static String required(JsonObject json, String field) {
    Object v = json.getValue(field);
    if (!(v instanceof String s)) {
      throw new IllegalStateException("reply lacks " + field);
    }
    return s;
  }

  static int requiredInt(JsonObject json, String field) {
    Object v = json.getValue(field);
    if (!(v instanceof Number n)) {
      throw new IllegalStateException("reply lacks " + field);
    }
    return n.intValue();
  }

  static boolean requiredBool(JsonObject json, String field) {
    Object v = json.getValue(field);
    if (!(v instanceof Boolean b)) {
      throw new IllegalStateException("reply lacks " + field);
    }
    return b;
  }

  /**
   * An array of passwords, positions kept (a null stays null) so that an index in a reply points into what the
   * sender sent; at least one must be present.
   */
  static List<String> passwords(JsonObject json, String field) {
    Object v = json.getValue(field);
    if (!(v instanceof JsonArray array)) {
      throw Failure.INVALID_REQUEST.exception(field + " must be an array");
    }
    List<String> out = new ArrayList<>(array.size());
    boolean any = false;
    for (Object o : array) {
      if (o != null && !(o instanceof String)) {
        throw Failure.INVALID_REQUEST.exception(field + " must hold strings");
      }
      any |= o != null;
      out.add((String) o);
    }
    if (!any) {
      throw Failure.INVALID_REQUEST.exception(field + " must hold at least one password");
    }
    return Collections.unmodifiableList(out);
  }

  static JsonArray array(List<String> values) {
    return new JsonArray(new ArrayList<>(values));
  }

  /** Puts {@code value} unless it is null. */
  static JsonObject putIf(JsonObject json, String field, Object value) {
    return value == null ? json : json.put(field, value);
  }
}
