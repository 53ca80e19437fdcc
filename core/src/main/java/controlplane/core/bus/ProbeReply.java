package controlplane.core.bus;

import io.vertx.core.json.JsonObject;

/**
 * The reply to a {@link ProbeRequest}: {@code {reachable, login_index, failure?, message?, tls_fingerprint?}}.
 * {@code reachable} is true only when the probe is conclusive: a password logged in ({@code loginIndex >= 0}), or
 * the router refused every one. A timeout or a dropped connection mid-login is {@code reachable: false} with its
 * failure. {@code tlsFingerprint} is the certificate an API-SSL router presented and the device accepted (the pin
 * an enrolment stores); null for plain API or when no connection got that far.
 */
public record ProbeReply(boolean reachable, int loginIndex, Failure failure, String message, String tlsFingerprint) {

  /** A reply without a certificate. */
  public ProbeReply(boolean reachable, int loginIndex, Failure failure, String message) {
    this(reachable, loginIndex, failure, message, null);
  }

  public static ProbeReply loggedIn(int loginIndex) {
    return loggedIn(loginIndex, null);
  }

  public static ProbeReply loggedIn(int loginIndex, String tlsFingerprint) {
    return new ProbeReply(true, loginIndex, null, null, tlsFingerprint);
  }

  public boolean anyLoggedIn() {
    return reachable && loginIndex >= 0;
  }

  public JsonObject toJson() {
    JsonObject json = new JsonObject().put(Fields.REACHABLE, reachable).put(Fields.LOGIN_INDEX, loginIndex);
    Json.putIf(json, Fields.FAILURE, failure == null ? null : failure.id());
    Json.putIf(json, Fields.TLS_FINGERPRINT, tlsFingerprint);
    return Json.putIf(json, Fields.MESSAGE, message);
  }

  /** A reply that cannot be read is inconclusive: not reachable. A malformed fingerprint counts as none. */
  public static ProbeReply fromJson(Object body) {
    if (!(body instanceof JsonObject json)) {
      return new ProbeReply(false, -1, Failure.DEVICE_UNREACHABLE, "unreadable device reply");
    }
    Object index = json.getValue(Fields.LOGIN_INDEX);
    Object failure = json.getValue(Fields.FAILURE);
    Object message = json.getValue(Fields.MESSAGE);
    Object fingerprint = json.getValue(Fields.TLS_FINGERPRINT);
    return new ProbeReply(Boolean.TRUE.equals(json.getValue(Fields.REACHABLE)),
        index instanceof Number n ? n.intValue() : -1,
        failure instanceof String f ? Failure.byId(f) : null,
        message instanceof String m ? m : null,
        fingerprint instanceof String fp && Json.isFingerprint(fp) ? fp : null);
  }
}
