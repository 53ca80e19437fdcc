package controlplane.core.bus;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;

/**
 * The reply of {@link Addresses#JOBS_LIST}: {@code {jobs: [...], next_after?}}, newest first; {@code next_after}
 * (the {@code after} of the next page) only when there may be more.
 */
public record JobsReply(List<JobReply> jobs, String nextAfter) {

  public JobsReply {
    jobs = List.copyOf(jobs);
  }

  public JsonObject toJson() {
    JsonArray array = new JsonArray();
    jobs.forEach(j -> array.add(j.toJson()));
    return Json.putIf(new JsonObject().put(Fields.JOBS, array), Fields.NEXT_AFTER, nextAfter);
  }

  /** Fails with {@link IllegalStateException} when a field is missing. */
  public static JobsReply fromJson(JsonObject json) {
    JsonArray array = json.getJsonArray(Fields.JOBS);
    if (array == null) {
      throw new IllegalStateException("reply lacks " + Fields.JOBS);
    }
    List<JobReply> jobs = new ArrayList<>(array.size());
    for (Object o : array) {
      if (!(o instanceof JsonObject job)) {
        throw new IllegalStateException("reply has a malformed " + Fields.JOBS);
      }
      jobs.add(JobReply.fromJson(job));
    }
    Object next = json.getValue(Fields.NEXT_AFTER);
    return new JobsReply(jobs, next instanceof String s ? s : null);
  }
}
