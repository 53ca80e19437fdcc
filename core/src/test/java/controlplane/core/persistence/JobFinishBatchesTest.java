package controlplane.core.persistence;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** Ending many claimed sites of bulk jobs in one transaction (JobRepository.finishMany), on a real PostgreSQL. */
class JobFinishBatchesTest extends DatabaseSuite {

  private final SiteRepository sites = new SiteRepository();
  private JobRepository jobs;

  private JobRepository.Job job(String org, int n) {
    if (jobs == null) {
      jobs = new JobRepository(pool);
    }
    for (int i = 0; i < n; i++) {
      UUID id = UUID.randomUUID();
      await(sites.upsert(pool, id, org, "api-" + id, "100.64.0.1", 8728, "edge", false));
    }
    return await(jobs.create(UUID.randomUUID(), org, "alice", new JsonObject(),
        new JobRepository.Selection(null, null, null), 64, null, null)).job();
  }

  @Test
  @DisplayName("a batch ends each claimed site with its outcome, counts each job once per outcome, completes the job"
      + " whose last site it ends, and neither ends nor counts a site another process holds now")
  void finishMany() throws Exception {
    String org = "org-" + UUID.randomUUID();
    JobRepository.Job first = job(org, 3);
    String otherOrg = "org-" + UUID.randomUUID();
    JobRepository.Job second = job(otherOrg, 2);
    List<JobRepository.Claimed> a = await(jobs.claim(first.id(), "me", 60, 10));
    List<JobRepository.Claimed> b = await(jobs.claim(second.id(), "me", 60, 10));
    assertThat(a).hasSize(3);
    assertThat(b).hasSize(2);
    // One site of the second job was taken over by another process after its lease ran out.
    jdbc.update("UPDATE rotation_job_sites SET claimed_by = 'other' WHERE job_id = ? AND site_id = ?", second.id(),
        b.get(1).siteId());

    List<JobRepository.Finish> calls = new ArrayList<>();
    calls.add(new JobRepository.Finish(a.get(0), "succeeded", null));
    calls.add(new JobRepository.Finish(b.get(0), "failed", "device_rejected_credentials"));
    calls.add(new JobRepository.Finish(a.get(1), "unknown", "device_outcome_unknown"));
    calls.add(new JobRepository.Finish(b.get(1), "succeeded", null));
    calls.add(new JobRepository.Finish(a.get(2), "succeeded", null));
    List<Boolean> counted = await(jobs.finishMany(calls, "me"));

    assertThat(counted).containsExactly(true, true, true, false, true);
    JobRepository.Job one = await(jobs.find(first.id(), org)).orElseThrow();
    assertThat(one.succeeded()).isEqualTo(2);
    assertThat(one.unknown()).isEqualTo(1);
    assertThat(one.failed()).isZero();
    assertThat(one.state()).isEqualTo("completed");
    assertThat(one.finishedAt()).isNotNull();
    JobRepository.Job two = await(jobs.find(second.id(), otherOrg)).orElseThrow();
    assertThat(two.failed()).isEqualTo(1);
    assertThat(two.succeeded()).isZero();
    assertThat(two.state()).isEqualTo("running");
    assertThat(jdbc.query("SELECT state, last_error FROM rotation_job_sites WHERE job_id = ? AND site_id = ?",
        second.id(), b.get(0).siteId())).singleElement().satisfies(row -> assertThat(row)
        .containsEntry("state", "failed").containsEntry("last_error", "device_rejected_credentials"));
    assertThat(jdbc.query("SELECT state FROM rotation_job_sites WHERE job_id = ? AND site_id = ?", second.id(),
        b.get(1).siteId())).singleElement().satisfies(row -> assertThat(row).containsEntry("state", "running"));
  }
}
