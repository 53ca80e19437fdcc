package controlplane.core.bus;

import io.vertx.core.json.JsonObject;

/**
 * One audit event: who ({@code actor}) did what ({@code action}) to the site, and how it ended ({@code outcome});
 * the version concerned, the request id and a detail when recorded (each may be null). Never a password.
 */
public record AuditEventReply(long id, String at, String actor, String action, String outcome, String versionId,
                              String requestId, String detail) {

  public JsonObject toJson() {
    JsonObject json = new JsonObject().put(Fields.ID, id).put(Fields.AT, at).put(Fields.ACTOR, actor)
        .put(Fields.ACTION, action).put(Fields.OUTCOME, outcome);
    Json.putIf(json, Fields.VERSION_ID, versionId);
    Json.putIf(json, Fields.REQUEST_ID, requestId);
    return Json.putIf(json, Fields.DETAIL, detail);
  }

  /** Fails with {@link IllegalStateException} when a field is missing. */
  public static AuditEventReply fromJson(JsonObject json) {
    Object id = json.getValue(Fields.ID);
    if (!(id instanceof Number n)) {
      throw new IllegalStateException("reply lacks " + Fields.ID);
    }
    return new AuditEventReply(n.longValue(), Json.required(json, Fields.AT), Json.required(json, Fields.ACTOR),
        Json.required(json, Fields.ACTION), Json.required(json, Fields.OUTCOME), optional(json, Fields.VERSION_ID),
        optional(json, Fields.REQUEST_ID), optional(json, Fields.DETAIL));
  }

  private static String optional(JsonObject json, String field) {
    return json.getValue(field) instanceof String s ? s : null;
  }
}
