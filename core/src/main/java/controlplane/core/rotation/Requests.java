package controlplane.core.rotation;

import controlplane.core.bus.Failure;
import controlplane.core.bus.Fields;
import io.vertx.core.json.JsonObject;
import java.util.UUID;

/** Reads and checks the fields of http -> core requests; a bad one fails with a {@link Failure} and a clear text. */
final class Requests {

  static final int MAX_TEXT = 255;

  static UUID siteId(JsonObject req) {
    Object v = req == null ? null : req.getValue(Fields.SITE_ID);
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

  static String orgId(JsonObject req) {
    return text(req, Fields.ORG_ID, true);
  }

  static String actor(JsonObject req) {
    String actor = text(req, Fields.ACTOR, false);
    return actor == null ? "unknown" : actor;
  }

  static String optional(JsonObject req, String field) {
    return text(req, field, false);
  }

  /** A non-blank string of at most {@link #MAX_TEXT} characters; null when absent and not required. */
  static String text(JsonObject req, String field, boolean required) {
    Object v = req == null ? null : req.getValue(field);
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

  private Requests() {
  }
}
