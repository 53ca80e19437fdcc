package controlplane.core.bus;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;

/**
 * Which sites of the caller's organisation a bulk rotation job rotates; every criterion given must hold, none given
 * means every site. {@code siteIds}: null when absent (an empty list selects nothing); {@code status}: a site status.
 */
public record JobSelector(List<UUID> siteIds, String serverIp, String status) {

  /** The most site ids one selector may name. */
  public static final int MAX_SITE_IDS = 10_000;
  private static final Set<String> STATUSES = Set.of("in_sync", "out_of_sync", "unverified");

  public JobSelector {
    siteIds = siteIds == null ? null : List.copyOf(siteIds);
    if (siteIds != null && siteIds.size() > MAX_SITE_IDS) {
      throw Failure.INVALID_REQUEST.exception(Fields.SITE_IDS + " may name at most " + MAX_SITE_IDS + " sites");
    }
    if (status != null && !STATUSES.contains(status)) {
      throw Failure.INVALID_REQUEST.exception(Fields.STATUS + " must be in_sync, out_of_sync or unverified");
    }
  }

  public static final JobSelector ALL = new JobSelector(null, null, null);

  public JsonObject toJson() {
    JsonObject json = new JsonObject();
    if (siteIds != null) {
      JsonArray ids = new JsonArray();
      siteIds.forEach(id -> ids.add(id.toString()));
      json.put(Fields.SITE_IDS, ids);
    }
    Json.putIf(json, Fields.SERVER_IP, serverIp);
    return Json.putIf(json, Fields.STATUS, status);
  }

  /** Fails with {@link Failure#INVALID_REQUEST} naming the bad field; null or absent is {@link #ALL}. */
  public static JobSelector fromJson(Object body) {
    if (body == null) {
      return ALL;
    }
    if (!(body instanceof JsonObject json)) {
      throw Failure.INVALID_REQUEST.exception(Fields.SELECTOR + " must be an object");
    }
    List<UUID> ids = null;
    Object v = json.getValue(Fields.SITE_IDS);
    if (v != null) {
      if (!(v instanceof JsonArray array)) {
        throw Failure.INVALID_REQUEST.exception(Fields.SITE_IDS + " must be an array of site ids");
      }
      ids = new ArrayList<>(array.size());
      for (Object o : array) {
        ids.add(uuid(o, Fields.SITE_IDS + " must hold site ids (UUIDs)"));
      }
    }
    return new JobSelector(ids, Json.text(json, Fields.SERVER_IP, false), Json.text(json, Fields.STATUS, false));
  }

  /** A canonical UUID string, else {@link Failure#INVALID_REQUEST} with {@code why}. */
  static UUID uuid(Object o, String why) {
    if (o instanceof String s) {
      try {
        UUID id = UUID.fromString(s);
        if (id.toString().equalsIgnoreCase(s)) {
          return id;
        }
      } catch (IllegalArgumentException e) {
        // below
      }
    }
    throw Failure.INVALID_REQUEST.exception(why);
  }
}
