package controlplane.core.bus;

import io.vertx.core.json.JsonObject;

/**
 * A rotation policy as stored: an organisation's default ({@code siteId} null) or a site's override. Exactly one of
 * {@code rotationPeriodSeconds} and {@code rotationSchedule} is set; {@code driftCheckPeriodSeconds} null means the
 * global default ({@code drift.checkPeriodSeconds}).
 */
public record PolicyReply(String orgId, String siteId, Long rotationPeriodSeconds, String rotationSchedule,
                          long rotationWindowSeconds, Long driftCheckPeriodSeconds, String createdAt,
                          String updatedAt) {

  /** The public JSON: absent values are null. */
  public JsonObject toJson() {
    return new JsonObject()
        .put(Fields.ORG_ID, orgId)
        .put(Fields.SITE_ID, siteId)
        .put(Fields.ROTATION_PERIOD_SECONDS, rotationPeriodSeconds)
        .put(Fields.ROTATION_SCHEDULE, rotationSchedule)
        .put(Fields.ROTATION_WINDOW_SECONDS, rotationWindowSeconds)
        .put(Fields.DRIFT_CHECK_PERIOD_SECONDS, driftCheckPeriodSeconds)
        .put(Fields.CREATED_AT, createdAt)
        .put(Fields.UPDATED_AT, updatedAt);
  }

  public static PolicyReply fromJson(JsonObject json) {
    return new PolicyReply(Json.required(json, Fields.ORG_ID),
        json.getValue(Fields.SITE_ID) instanceof String s ? s : null,
        json.getValue(Fields.ROTATION_PERIOD_SECONDS) instanceof Number n ? n.longValue() : null,
        json.getValue(Fields.ROTATION_SCHEDULE) instanceof String c ? c : null,
        json.getValue(Fields.ROTATION_WINDOW_SECONDS) instanceof Number w ? w.longValue() : 0,
        json.getValue(Fields.DRIFT_CHECK_PERIOD_SECONDS) instanceof Number d ? d.longValue() : null,
        Json.required(json, Fields.CREATED_AT), Json.required(json, Fields.UPDATED_AT));
  }
}
