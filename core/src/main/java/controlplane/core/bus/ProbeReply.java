package controlplane.core.bus;

import io.vertx.core.json.JsonObject;

/**
 * The reply to a {@link ProbeRequest}: {@code {reachable, login_index, failure?, message?}}. {@code reachable} is
 * true only when the probe is conclusive: a password logged in ({@code loginIndex >= 0}), or the router refused
 * every one. A timeout or a dropped connection mid-login is {@code reachable: false} with its failure.
 */
public record ProbeReply(boolean reachable, int loginIndex, Failure failure, String message) {

  public static ProbeReply loggedIn(int loginIndex) {
    return new ProbeReply(true, loginIndex, null, null);
  }

  public boolean anyLoggedIn() {
    return reachable && loginIndex >= 0;
  }

  public JsonObject toJson() {
    JsonObject json = new JsonObject().put(Fields.REACHABLE, reachable).put(Fields.LOGIN_INDEX, loginIndex);
    Json.putIf(json, Fields.FAILURE, failure == null ? null : failure.id());
    return Json.putIf(json, Fields.MESSAGE, message);
  }

  /** A reply that cannot be read is inconclusive: not reachable. */
  public static ProbeReply fromJson(Object body) {
    if (!(body instanceof JsonObject json)) {
      return new ProbeReply(false, -1, Failure.DEVICE_UNREACHABLE, "unreadable device reply");
    }
    Object index = json.getValue(Fields.LOGIN_INDEX);
    Object failure = json.getValue(Fields.FAILURE);
    Object message = json.getValue(Fields.MESSAGE);
    return new ProbeReply(Boolean.TRUE.equals(json.getValue(Fields.REACHABLE)),
        index instanceof Number n ? n.intValue() : -1,
        failure instanceof String f ? Failure.byId(f) : null,
        message instanceof String m ? m : null);
  }
}
