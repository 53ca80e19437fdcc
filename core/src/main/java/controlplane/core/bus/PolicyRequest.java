package controlplane.core.bus;

import io.vertx.core.json.JsonObject;
import java.util.UUID;

/**
 * {@link Addresses#POLICY_GET}, {@link Addresses#POLICY_PUT} and {@link Addresses#POLICY_DELETE}: the rotation policy
 * of organisation {@code orgId} ({@code siteId} null: its default) or of one of its sites (an override). The policy
 * fields are read by put only, which checks them as a whole (core's {@code RotationPolicy}): exactly one of
 * {@code rotationPeriodSeconds} (at least 60) and {@code rotationSchedule} (five-field cron, UTC).
 */
public record PolicyRequest(String orgId, UUID siteId, String actor, String requestId, Long rotationPeriodSeconds,
                            String rotationSchedule, Long rotationWindowSeconds, Long driftCheckPeriodSeconds) {

  /** A get or a delete. */
  public static PolicyRequest of(String orgId, UUID siteId, String actor, String requestId) {
    return new PolicyRequest(orgId, siteId, actor, requestId, null, null, null, null);
  }

  public JsonObject toJson() {
    JsonObject json = new JsonObject().put(Fields.ORG_ID, orgId);
    Json.putIf(json, Fields.SITE_ID, siteId == null ? null : siteId.toString());
    Json.putIf(json, Fields.ACTOR, actor);
    Json.putIf(json, Fields.REQUEST_ID, requestId);
    Json.putIf(json, Fields.ROTATION_PERIOD_SECONDS, rotationPeriodSeconds);
    Json.putIf(json, Fields.ROTATION_SCHEDULE, rotationSchedule);
    Json.putIf(json, Fields.ROTATION_WINDOW_SECONDS, rotationWindowSeconds);
    return Json.putIf(json, Fields.DRIFT_CHECK_PERIOD_SECONDS, driftCheckPeriodSeconds);
  }

  /** Types checked here; a bad field fails with {@link Failure#INVALID_REQUEST} naming it. */
  public static PolicyRequest fromJson(Object body) {
    JsonObject json = Json.object(body);
    UUID siteId = json.getValue(Fields.SITE_ID) == null ? null : Json.siteId(json);
    String schedule = Json.text(json, Fields.ROTATION_SCHEDULE, false);
    return new PolicyRequest(Json.text(json, Fields.ORG_ID, true), siteId, RotateRequest.actor(json),
        Json.text(json, Fields.REQUEST_ID, false), seconds(json, Fields.ROTATION_PERIOD_SECONDS), schedule,
        seconds(json, Fields.ROTATION_WINDOW_SECONDS), seconds(json, Fields.DRIFT_CHECK_PERIOD_SECONDS));
  }

  private static Long seconds(JsonObject json, String field) {
    Object v = json.getValue(field);
    if (v == null) {
      return null;
    }
    if (!(v instanceof Number n) || n.doubleValue() != n.longValue() || n.longValue() < 0) {
      throw Failure.INVALID_REQUEST.exception(field + " must be a whole number of seconds, not negative");
    }
    return n.longValue();
  }
}
