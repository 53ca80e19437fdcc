package controlplane.core.bus;

import io.vertx.core.json.JsonObject;

/** The reply of {@link Addresses#SITE_DELETE} and {@link Addresses#SITE_PURGE}: {@code {deleted: true}}. */
public record DeletedReply(boolean deleted) {

  public JsonObject toJson() {
    return new JsonObject().put(Fields.DELETED, deleted);
  }

  public static DeletedReply fromJson(JsonObject json) {
    return new DeletedReply(Json.requiredBool(json, Fields.DELETED));
  }
}
