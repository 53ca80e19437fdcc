package controlplane.core.bus;

import io.vertx.core.json.JsonObject;

/**
 * One stored version of a site's credential in {@link HistoryReply}: never its password, sealed or not. Times are RFC
 * 3339 UTC; {@code reason} (may be null) says why the version is in its state when something recorded it.
 */
public record VersionSummary(String id, String state, String createdAt, String updatedAt, String reason) {

  public JsonObject toJson() {
    JsonObject json = new JsonObject().put(Fields.ID, id).put(Fields.STATE, state).put(Fields.CREATED_AT, createdAt)
        .put(Fields.UPDATED_AT, updatedAt);
    return Json.putIf(json, Fields.REASON, reason);
  }

  /** Fails with {@link IllegalStateException} when a field is missing. */
  public static VersionSummary fromJson(JsonObject json) {
    Object reason = json.getValue(Fields.REASON);
    return new VersionSummary(Json.required(json, Fields.ID), Json.required(json, Fields.STATE),
        Json.required(json, Fields.CREATED_AT), Json.required(json, Fields.UPDATED_AT),
        reason instanceof String s ? s : null);
  }
}
