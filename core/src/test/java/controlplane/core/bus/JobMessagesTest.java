package controlplane.core.bus;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** The records of the bulk rotation job addresses: round trips, and bad messages failing with the field's name. */
class JobMessagesTest {

  private static final UUID SITE = UUID.fromString("d290f1ee-6c54-4b01-90e6-d701748f0851");
  private static final UUID JOB = UUID.fromString("5b1f0c9e-2d3a-4b5c-8d7e-6f5a4b3c2d1e");

  @Test
  @DisplayName("every job request and reply survives toJson -> encode -> decode -> fromJson unchanged")
  void roundTrips() {
    JobCreateRequest create = new JobCreateRequest("org", "alice", new JobSelector(List.of(SITE), "edge-1",
        "out_of_sync"), 4, "key-1", "req-1");
    assertThat(JobCreateRequest.fromJson(wire(create.toJson()))).isEqualTo(create);
    JobCreateRequest all = new JobCreateRequest("org", "alice", JobSelector.ALL, 16, null, null);
    assertThat(JobCreateRequest.fromJson(wire(all.toJson()))).isEqualTo(all);
    JobRequest get = new JobRequest(JOB, "org", "alice", "req-2");
    assertThat(JobRequest.fromJson(wire(get.toJson()))).isEqualTo(get);
    JobsRequest list = new JobsRequest("org", JOB, 10);
    assertThat(JobsRequest.fromJson(wire(list.toJson()))).isEqualTo(list);
    JobReply job = new JobReply(JOB.toString(), "running", 5, 2, 1, 0, "2025-10-28T05:00:00Z",
        "2025-10-28T05:00:01Z", null);
    assertThat(JobReply.fromJson(wire(job.toJson()))).isEqualTo(job);
    assertThat(job.toJson().getInteger("remaining")).isEqualTo(2);
    assertThat(job.toJson().containsKey("finished_at")).isTrue();
    JobsReply page = new JobsReply(List.of(job), JOB.toString());
    assertThat(JobsReply.fromJson(wire(page.toJson()))).isEqualTo(page);
  }

  @Test
  @DisplayName("a missing selector is every site; an empty site_ids list selects none")
  void selectorDefaults() {
    JsonObject bare = new JsonObject().put("org_id", "org");
    assertThat(JobCreateRequest.fromJson(bare).selector()).isEqualTo(JobSelector.ALL);
    assertThat(JobCreateRequest.fromJson(bare).maxInFlight()).isEqualTo(JobCreateRequest.DEFAULT_MAX_IN_FLIGHT);
    JsonObject none = bare.copy().put("selector", new JsonObject().put("site_ids", new JsonArray()));
    assertThat(JobCreateRequest.fromJson(none).selector().siteIds()).isEmpty();
  }

  @Test
  @DisplayName("bad fields fail with invalid_request naming the field")
  void badFields() {
    JsonObject base = new JsonObject().put("org_id", "org");
    assertInvalid(base.copy().put("selector", "all"), "selector");
    assertInvalid(base.copy().put("selector", new JsonObject().put("status", "lost")), "status");
    assertInvalid(base.copy().put("selector", new JsonObject().put("site_ids", new JsonArray().add("x"))),
        "site_ids");
    assertInvalid(base.copy().put("selector", new JsonObject().put("site_ids", "x")), "site_ids");
    assertInvalid(base.copy().put("max_in_flight", 0), "max_in_flight");
    assertInvalid(base.copy().put("max_in_flight", 1001), "max_in_flight");
    assertInvalid(new JsonObject().put("selector", new JsonObject()), "org_id");
    assertThatThrownBy(() -> JobRequest.fromJson(new JsonObject().put("org_id", "o").put("job_id", "nope")))
        .isInstanceOf(ReplyException.class).hasMessageContaining("job_id");
    assertThatThrownBy(() -> JobsRequest.fromJson(new JsonObject().put("org_id", "o").put("limit", 0)))
        .isInstanceOf(ReplyException.class).hasMessageContaining("limit");
  }

  private static void assertInvalid(JsonObject body, String field) {
    assertThatThrownBy(() -> JobCreateRequest.fromJson(body))
        .isInstanceOfSatisfying(ReplyException.class,
            e -> assertThat(Failure.of(e)).isEqualTo(Failure.INVALID_REQUEST))
        .hasMessageContaining(field);
  }

  private static JsonObject wire(JsonObject json) {
    return new JsonObject(json.encode());
  }
}
