package controlplane.core.bus;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;

/**
 * The reply of {@link Addresses#DELETED_SITES_LIST}: {@code {deleted_sites: [...], next_after?}}, sites by id;
 * {@code next_after} (the {@code after} of the next page) only when there may be more.
 */
public record DeletedSitesReply(List<DeletedSiteReply> sites, String nextAfter) {

  public DeletedSitesReply {
    sites = List.copyOf(sites);
  }

  public JsonObject toJson() {
    JsonArray array = new JsonArray();
    sites.forEach(s -> array.add(s.toJson()));
    return Json.putIf(new JsonObject().put(Fields.DELETED_SITES, array), Fields.NEXT_AFTER, nextAfter);
  }

  /** Fails with {@link IllegalStateException} when a field is missing. */
  public static DeletedSitesReply fromJson(JsonObject json) {
    JsonArray array = json.getJsonArray(Fields.DELETED_SITES);
    if (array == null) {
      throw new IllegalStateException("reply lacks " + Fields.DELETED_SITES);
    }
    List<DeletedSiteReply> sites = new ArrayList<>(array.size());
    for (Object o : array) {
      if (!(o instanceof JsonObject site)) {
        throw new IllegalStateException("reply has a malformed " + Fields.DELETED_SITES);
      }
      sites.add(DeletedSiteReply.fromJson(site));
    }
    Object next = json.getValue(Fields.NEXT_AFTER);
    return new DeletedSitesReply(sites, next instanceof String s ? s : null);
  }
}
