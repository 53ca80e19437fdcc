package controlplane.core.bus;

import io.vertx.core.json.JsonObject;
import java.util.UUID;

/**
 * A request about one site of the caller's organisation: {@link Addresses#CREDENTIALS_GET},
 * {@link Addresses#RESEND}, {@link Addresses#SITE_GET}, {@link Addresses#SITE_DELETE}, {@link Addresses#SITE_RECOVER}
 * and {@link Addresses#SITE_PURGE}. Reads ignore {@code actor}.
 */
public record SiteRequest(UUID siteId, String orgId, String actor, String requestId) {

  public JsonObject toJson() {
    JsonObject json = new JsonObject().put(Fields.SITE_ID, siteId.toString()).put(Fields.ORG_ID, orgId);
    Json.putIf(json, Fields.ACTOR, actor);
    return Json.putIf(json, Fields.REQUEST_ID, requestId);
  }

  public static SiteRequest fromJson(Object body) {
    JsonObject json = Json.object(body);
    return new SiteRequest(Json.siteId(json), Json.text(json, Fields.ORG_ID, true), RotateRequest.actor(json),
        Json.text(json, Fields.REQUEST_ID, false));
  }
}
