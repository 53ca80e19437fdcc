package controlplane.core.bus;

import io.vertx.core.json.JsonObject;
import java.util.UUID;

/**
 * {@link Addresses#DELETED_SITES_LIST}: a page of the deleted sites of {@code orgId}, by site id, starting after
 * {@code after} (null: from the first), at most {@code limit} of them. Reply: {@link DeletedSitesReply}.
 */
public record DeletedSitesRequest(String orgId, UUID after, int limit) {

  public static final int DEFAULT_LIMIT = 100;
  public static final int MAX_LIMIT = 1000;

  public DeletedSitesRequest {
    if (limit < 1 || limit > MAX_LIMIT) {
      throw Failure.INVALID_REQUEST.exception(Fields.LIMIT + " must be an integer from 1 to " + MAX_LIMIT);
    }
  }

  public JsonObject toJson() {
    JsonObject json = new JsonObject().put(Fields.ORG_ID, orgId).put(Fields.LIMIT, limit);
    return Json.putIf(json, Fields.AFTER, after == null ? null : after.toString());
  }

  public static DeletedSitesRequest fromJson(Object body) {
    JsonObject json = Json.object(body);
    String after = Json.text(json, Fields.AFTER, false);
    UUID afterId = null;
    if (after != null) {
      try {
        afterId = UUID.fromString(after);
      } catch (IllegalArgumentException e) {
        afterId = null;
      }
      if (afterId == null || !afterId.toString().equalsIgnoreCase(after)) {
        throw Failure.INVALID_REQUEST.exception(Fields.AFTER + " must be a site id (a UUID)");
      }
    }
    return new DeletedSitesRequest(Json.text(json, Fields.ORG_ID, true), afterId,
        Json.integer(json, Fields.LIMIT, DEFAULT_LIMIT));
  }
}
