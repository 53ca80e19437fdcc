package controlplane.core.bus;

import io.vertx.core.json.JsonObject;

/**
 * The reply to an {@link ApplyRequest}: {@code {outcome, login_index, failure?, message?, tls_fingerprint?}}.
 * {@code loginIndex} is the position of the password that logged in, or -1; {@code failure} classifies a not_applied
 * or unknown outcome; {@code message} is a detail that never carries a password; {@code tlsFingerprint} is the
 * certificate an API-SSL router presented to an applied change (what an unpinned site is pinned to).
 */
public record ApplyReply(DeviceOutcome outcome, int loginIndex, Failure failure, String message,
                         String tlsFingerprint) {

  public ApplyReply(DeviceOutcome outcome, int loginIndex, Failure failure, String message) {
    this(outcome, loginIndex, failure, message, null);
  }

  public static ApplyReply applied(int loginIndex) {
    return applied(loginIndex, null);
  }

  /** Applied, on an API-SSL router that presented the certificate {@code tlsFingerprint} (null: plain API). */
  public static ApplyReply applied(int loginIndex, String tlsFingerprint) {
    return new ApplyReply(DeviceOutcome.APPLIED, loginIndex, null, null, tlsFingerprint);
  }

  public static ApplyReply notApplied(int loginIndex, Failure failure, String message) {
    return new ApplyReply(DeviceOutcome.NOT_APPLIED, loginIndex, failure, message);
  }

  public static ApplyReply unknown(int loginIndex, String message) {
    return new ApplyReply(DeviceOutcome.UNKNOWN, loginIndex, Failure.DEVICE_OUTCOME_UNKNOWN, message);
  }

  public JsonObject toJson() {
    JsonObject json = new JsonObject().put(Fields.OUTCOME, outcome.wire()).put(Fields.LOGIN_INDEX, loginIndex);
    Json.putIf(json, Fields.FAILURE, failure == null ? null : failure.id());
    Json.putIf(json, Fields.TLS_FINGERPRINT, tlsFingerprint);
    return Json.putIf(json, Fields.MESSAGE, message);
  }

  /** An outcome that cannot be read is {@link DeviceOutcome#UNKNOWN}: the router may have the change. */
  private static final java.util.regex.Pattern CERTIFICATE_FINGERPRINT =
      java.util.regex.Pattern.compile("[0-9a-f]{64}");

  public static ApplyReply fromJson(Object body) {
    if (!(body instanceof JsonObject json)) {
      return unknown(-1, "unreadable device reply");
    }
    Object index = json.getValue(Fields.LOGIN_INDEX);
    Object failure = json.getValue(Fields.FAILURE);
    Object message = json.getValue(Fields.MESSAGE);
    Object fingerprint = json.getValue(Fields.TLS_FINGERPRINT);
    return new ApplyReply(DeviceOutcome.byWire(json.getValue(Fields.OUTCOME) instanceof String s ? s : null),
        index instanceof Number n ? n.intValue() : -1,
        failure instanceof String f ? Failure.byId(f) : null,
        message instanceof String m ? m : null,
        fingerprint instanceof String p && CERTIFICATE_FINGERPRINT.matcher(p).matches() ? p : null);
  }
}
