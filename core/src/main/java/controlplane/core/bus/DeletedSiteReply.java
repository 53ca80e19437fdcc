package controlplane.core.bus;

import io.vertx.core.json.JsonObject;

/**
 * One deleted site: the site object as it was, when it was deleted and when the housekeeper purges it
 * ({@code deleted_at} + {@code retention.deletedSiteDays}), RFC 3339 UTC.
 */
public record DeletedSiteReply(SiteReply site, String deletedAt, String purgeAt) {

  public JsonObject toJson() {
    return site.toJson().put(Fields.DELETED_AT, deletedAt).put(Fields.PURGE_AT, purgeAt);
  }

  /** Fails with {@link IllegalStateException} when a field is missing. */
  public static DeletedSiteReply fromJson(JsonObject json) {
    return new DeletedSiteReply(SiteReply.fromJson(json), Json.required(json, Fields.DELETED_AT),
        Json.required(json, Fields.PURGE_AT));
  }
}
