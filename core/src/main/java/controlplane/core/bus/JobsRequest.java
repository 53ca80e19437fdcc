package controlplane.core.bus;

import io.vertx.core.json.JsonObject;
import java.util.UUID;

/**
 * {@link Addresses#JOBS_LIST}: a page of the bulk rotation jobs of {@code orgId}, newest first, starting after the
 * job {@code after} (null: from the newest), at most {@code limit} of them. Reply: {@link JobsReply}.
 */
public record JobsRequest(String orgId, UUID after, int limit) {

  public static final int DEFAULT_LIMIT = 100;
  public static final int MAX_LIMIT = 1000;

  public JobsRequest {
    if (limit < 1 || limit > MAX_LIMIT) {
      throw Failure.INVALID_REQUEST.exception(Fields.LIMIT + " must be an integer from 1 to " + MAX_LIMIT);
    }
  }

  public JsonObject toJson() {
    JsonObject json = new JsonObject().put(Fields.ORG_ID, orgId).put(Fields.LIMIT, limit);
    return Json.putIf(json, Fields.AFTER, after == null ? null : after.toString());
  }

  public static JobsRequest fromJson(Object body) {
    JsonObject json = Json.object(body);
    Object after = json.getValue(Fields.AFTER);
    return new JobsRequest(Json.text(json, Fields.ORG_ID, true),
        after == null ? null : JobSelector.uuid(after, Fields.AFTER + " must be a job id (a UUID)"),
        Json.integer(json, Fields.LIMIT, DEFAULT_LIMIT));
  }
}
