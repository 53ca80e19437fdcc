package controlplane.core.bus;

import io.vertx.core.json.JsonObject;

/**
 * One deleted site: the site object as it was, when it was deleted and when the housekeeper purges it
 * ({@code deleted_at} + {@code retention.deletedSiteDays}), RFC 3339 UTC.
 */
public record DeletedSiteReply(SiteReply site, String deletedAt, String purgeAt) {

  public JsonObject toJson() {
    // A deleted site has no schedule: the site object's schedule fields are not part of the deleted-site object.
    JsonObject json = site.toJson();
    json.remove(Fields.LAST_ROTATED_AT);
    json.remove(Fields.NEXT_ROTATION_AT);
    return json.put(Fields.DELETED_AT, deletedAt).put(Fields.PURGE_AT, purgeAt);
  }

  /** Fails with {@link IllegalStateException} when a field is missing. */
  public static DeletedSiteReply fromJson(JsonObject json) {
    return new DeletedSiteReply(SiteReply.fromJson(json), Json.required(json, Fields.DELETED_AT),
        Json.required(json, Fields.PURGE_AT));
  }
}
