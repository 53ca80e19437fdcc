package controlplane.core.bus;

import io.vertx.core.json.JsonObject;

/**
 * {@link Addresses#JOB_CREATE}: start a bulk rotation job over the sites of {@code orgId} that {@code selector}
 * names, at most {@code maxInFlight} of them rotating at once. A repeat with the same {@code idempotencyKey} answers
 * the job the key first started. Reply: {@link JobReply}.
 */
public record JobCreateRequest(String orgId, String actor, JobSelector selector, int maxInFlight,
                               String idempotencyKey, String requestId) {

  public static final int DEFAULT_MAX_IN_FLIGHT = 16;
  public static final int MAX_MAX_IN_FLIGHT = 1000;

  public JobCreateRequest {
    selector = selector == null ? JobSelector.ALL : selector;
    if (maxInFlight < 1 || maxInFlight > MAX_MAX_IN_FLIGHT) {
      throw Failure.INVALID_REQUEST.exception(Fields.MAX_IN_FLIGHT + " must be an integer from 1 to "
          + MAX_MAX_IN_FLIGHT);
    }
  }

  public JsonObject toJson() {
    JsonObject json = new JsonObject().put(Fields.ORG_ID, orgId).put(Fields.ACTOR, actor)
        .put(Fields.SELECTOR, selector.toJson()).put(Fields.MAX_IN_FLIGHT, maxInFlight);
    Json.putIf(json, Fields.IDEMPOTENCY_KEY, idempotencyKey);
    return Json.putIf(json, Fields.REQUEST_ID, requestId);
  }

  public static JobCreateRequest fromJson(Object body) {
    JsonObject json = Json.object(body);
    return new JobCreateRequest(Json.text(json, Fields.ORG_ID, true), RotateRequest.actor(json),
        JobSelector.fromJson(json.getValue(Fields.SELECTOR)),
        Json.integer(json, Fields.MAX_IN_FLIGHT, DEFAULT_MAX_IN_FLIGHT),
        Json.text(json, Fields.IDEMPOTENCY_KEY, false), Json.text(json, Fields.REQUEST_ID, false));
  }
}
