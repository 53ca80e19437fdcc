package controlplane.core.bus;

import io.vertx.core.json.JsonObject;
import java.util.UUID;

/**
 * {@link Addresses#AUDIT_LIST}: a page of the audit trail of the site {@code siteId} of {@code orgId}, newest first,
 * starting after the event that {@code cursor} names (null: from the newest), at most {@code limit} events. Reply:
 * {@link AuditPageReply}.
 */
public record AuditRequest(UUID siteId, String orgId, String requestId, String cursor, int limit) {

  public static final int DEFAULT_LIMIT = 100;
  public static final int MAX_LIMIT = 1000;

  public AuditRequest {
    if (limit < 1 || limit > MAX_LIMIT) {
      throw Failure.INVALID_REQUEST.exception(Fields.LIMIT + " must be an integer from 1 to " + MAX_LIMIT);
    }
    if (cursor != null) {
      AuditCursor.decode(cursor);
    }
  }

  /** The id of the event the page starts after; null for the first page. */
  public Long afterId() {
    return cursor == null ? null : AuditCursor.decode(cursor);
  }

  public JsonObject toJson() {
    JsonObject json = new JsonObject().put(Fields.SITE_ID, siteId.toString()).put(Fields.ORG_ID, orgId)
        .put(Fields.LIMIT, limit);
    Json.putIf(json, Fields.REQUEST_ID, requestId);
    return Json.putIf(json, Fields.CURSOR, cursor);
  }

  public static AuditRequest fromJson(Object body) {
    JsonObject json = Json.object(body);
    return new AuditRequest(Json.siteId(json), Json.text(json, Fields.ORG_ID, true),
        Json.text(json, Fields.REQUEST_ID, false), Json.text(json, Fields.CURSOR, false),
        Json.integer(json, Fields.LIMIT, DEFAULT_LIMIT));
  }
}
