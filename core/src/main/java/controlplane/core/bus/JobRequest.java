package controlplane.core.bus;

import io.vertx.core.json.JsonObject;
import java.util.UUID;

/**
 * A request about one bulk rotation job of the caller's organisation: {@link Addresses#JOB_GET} and
 * {@link Addresses#JOB_CANCEL}. Another organisation's job is {@link Failure#JOB_NOT_FOUND}. Reads ignore
 * {@code actor}.
 */
public record JobRequest(UUID jobId, String orgId, String actor, String requestId) {

  public JsonObject toJson() {
    JsonObject json = new JsonObject().put(Fields.JOB_ID, jobId.toString()).put(Fields.ORG_ID, orgId);
    Json.putIf(json, Fields.ACTOR, actor);
    return Json.putIf(json, Fields.REQUEST_ID, requestId);
  }

  public static JobRequest fromJson(Object body) {
    JsonObject json = Json.object(body);
    return new JobRequest(JobSelector.uuid(json.getValue(Fields.JOB_ID), Fields.JOB_ID + " must be a UUID"),
        Json.text(json, Fields.ORG_ID, true), RotateRequest.actor(json), Json.text(json, Fields.REQUEST_ID, false));
  }
}
