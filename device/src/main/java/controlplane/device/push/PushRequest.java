package controlplane.device.push;

import controlplane.core.bus.DeviceOps;
import controlplane.core.bus.Fields;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * A device-push request, validated. {@code loginPasswords} keeps the positions of the request's array (a null
 * stays null and is skipped) so that a reply's {@code login_index} always points into what the sender sent.
 */
record PushRequest(String op, String siteId, String host, int port, boolean tls, String username,
                   String newPassword, List<String> loginPasswords, long deadlineNanos) {

  /** No {@code budget_ms} given: no deadline of the sender's to keep. */
  static final long NO_DEADLINE = Long.MAX_VALUE;

  /** Whether the sender's budget is spent: past it, the password change must not be sent. */
  boolean pastDeadline() {
    return deadlineNanos != NO_DEADLINE && System.nanoTime() - deadlineNanos >= 0;
  }

  /** The request did not match docs/EVENT-BUS.md. The message never carries a password. */
  static final class Malformed extends Exception {
    Malformed(String message) {
      super(message, null, false, false);
    }
  }

  static PushRequest parse(Object body) throws Malformed {
    if (!(body instanceof JsonObject json)) {
      throw new Malformed("request body must be a JSON object");
    }
    String op = string(json, Fields.OP);
    if (!DeviceOps.APPLY.equals(op) && !DeviceOps.PROBE.equals(op)) {
      throw new Malformed("op must be apply or probe");
    }
    Object t = json.getValue(Fields.TARGET);
    if (!(t instanceof JsonObject target)) {
      throw new Malformed("target must be an object");
    }
    String host = string(target, Fields.HOST);
    String username = string(target, Fields.USERNAME);
    if (host == null || host.isBlank()) {
      throw new Malformed("target.host is required");
    }
    if (username == null || username.isBlank()) {
      throw new Malformed("target.username is required");
    }
    Object p = target.getValue(Fields.PORT);
    if (!(p instanceof Number port) || port.intValue() < 1 || port.intValue() > 65535) {
      throw new Malformed("target.port must be a port number");
    }
    Object tls = target.getValue(Fields.TLS, false);
    if (!(tls instanceof Boolean)) {
      throw new Malformed("target.tls must be a boolean");
    }
    Object pw = json.getValue(Fields.LOGIN_PASSWORDS);
    if (!(pw instanceof JsonArray array)) {
      throw new Malformed("login_passwords must be an array");
    }
    List<String> passwords = new ArrayList<>();
    for (Object o : array) {
      if (o != null && !(o instanceof String)) {
        throw new Malformed("login_passwords must hold strings");
      }
      passwords.add((String) o);
    }
    if (passwords.stream().allMatch(x -> x == null)) {
      throw new Malformed("login_passwords must hold at least one password");
    }
    String newPassword = null;
    if (DeviceOps.APPLY.equals(op)) {
      newPassword = string(json, Fields.NEW_PASSWORD);
      if (newPassword == null || newPassword.isEmpty()) {
        throw new Malformed("new_password is required for apply");
      }
    }
    Object b = json.getValue(Fields.BUDGET_MS);
    if (b != null && !(b instanceof Number)) {
      throw new Malformed("budget_ms must be a number");
    }
    long deadline = b == null ? NO_DEADLINE : System.nanoTime() + ((Number) b).longValue() * 1_000_000L;
    return new PushRequest(op, string(target, Fields.SITE_ID), host, port.intValue(), (Boolean) tls, username,
        newPassword, Collections.unmodifiableList(passwords), deadline);
  }

  private static String string(JsonObject json, String key) throws Malformed {
    Object v = json.getValue(key);
    if (v != null && !(v instanceof String)) {
      throw new Malformed(key + " must be a string");
    }
    return (String) v;
  }

  /** Never shows a password. */
  @Override
  public String toString() {
    return "PushRequest[op=" + op + ", site=" + siteId + ", target=" + host + ":" + port + (tls ? " tls" : "")
        + ", user=" + username + ", passwords=" + loginPasswords.size() + "]";
  }
}
