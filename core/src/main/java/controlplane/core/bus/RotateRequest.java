package controlplane.core.bus;

import io.vertx.core.json.JsonObject;
import java.util.UUID;

/** {@link Addresses#ROTATE}: rotate a site's API password. Reply: {@link CredentialReply}. */
public record RotateRequest(UUID siteId, String orgId, String actor, String idempotencyKey, String requestId) {

  public JsonObject toJson() {
    JsonObject json = new JsonObject().put(Fields.SITE_ID, siteId.toString()).put(Fields.ORG_ID, orgId)
        .put(Fields.ACTOR, actor);
    Json.putIf(json, Fields.IDEMPOTENCY_KEY, idempotencyKey);
    return Json.putIf(json, Fields.REQUEST_ID, requestId);
  }

  /** Fails with {@link Failure#INVALID_SITE_ID} or {@link Failure#INVALID_REQUEST} naming the bad field. */
  public static RotateRequest fromJson(Object body) {
    JsonObject json = Json.object(body);
    return new RotateRequest(Json.siteId(json), Json.text(json, Fields.ORG_ID, true), actor(json),
        Json.text(json, Fields.IDEMPOTENCY_KEY, false), Json.text(json, Fields.REQUEST_ID, false));
  }

  /** The caller's subject; {@code unknown} when the request names none. */
  static String actor(JsonObject json) {
    String actor = Json.text(json, Fields.ACTOR, false);
    return actor == null ? "unknown" : actor;
  }
}
