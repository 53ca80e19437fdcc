package controlplane.core.bus;

import io.vertx.core.json.JsonObject;

/**
 * The job object: the reply of {@link Addresses#JOB_CREATE}, {@link Addresses#JOB_GET} and
 * {@link Addresses#JOB_CANCEL}. {@code state}: {@code queued}, {@code running}, {@code completed} or
 * {@code cancelled}; {@code remaining} is {@code total} less the sites that ended (succeeded, failed, unknown);
 * {@code finishedAt} null until the job is completed or cancelled.
 */
public record JobReply(String id, String state, int total, int succeeded, int failed, int unknown, String createdAt,
                       String updatedAt, String finishedAt) {

  public int remaining() {
    return total - succeeded - failed - unknown;
  }

  /** The public JSON, fields in the contract's order. */
  public JsonObject toJson() {
    return new JsonObject()
        .put(Fields.ID, id)
        .put(Fields.STATE, state)
        .put(Fields.TOTAL, total)
        .put(Fields.SUCCEEDED, succeeded)
        .put(Fields.FAILED, failed)
        .put(Fields.UNKNOWN, unknown)
        .put(Fields.REMAINING, remaining())
        .put(Fields.CREATED_AT, createdAt)
        .put(Fields.UPDATED_AT, updatedAt)
        .put(Fields.FINISHED_AT, finishedAt);
  }

  /** Fails with {@link IllegalStateException} when a field is missing. */
  public static JobReply fromJson(JsonObject json) {
    return new JobReply(Json.required(json, Fields.ID), Json.required(json, Fields.STATE),
        Json.requiredInt(json, Fields.TOTAL), Json.requiredInt(json, Fields.SUCCEEDED),
        Json.requiredInt(json, Fields.FAILED), Json.requiredInt(json, Fields.UNKNOWN),
        Json.required(json, Fields.CREATED_AT), Json.required(json, Fields.UPDATED_AT),
        json.getValue(Fields.FINISHED_AT) instanceof String s ? s : null);
  }
}
