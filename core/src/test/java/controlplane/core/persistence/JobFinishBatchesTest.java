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
    return job(org, n, 64);
  }

  private JobRepository.Job job(String org, int n, int maxInFlight) {
    jobs = new JobRepository(pool);
    for (int i = 0; i < n; i++) {
      UUID id = UUID.randomUUID();
      await(sites.upsert(pool, id, org, "api-" + id, "100.64.0.1", 8728, "edge", false));
    }
    return await(jobs.create(UUID.randomUUID(), org, "alice", new JsonObject(),
        new JobRepository.Selection(null, null, null), maxInFlight, null, null)).job();
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
    List<JobRepository.Finished> ended = await(jobs.finishMany(calls, "me", 60, 0));

    assertThat(ended).extracting(JobRepository.Finished::counted).containsExactly(true, true, true, false, true);
    assertThat(ended).allSatisfy(e -> assertThat(e.next()).isEmpty());
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

  @Test
  @DisplayName("the end of sites claims, in the same transaction, as many sites of each job as max_in_flight leaves"
      + " free, none already running, for the job's first call; a completed job claims nothing")
  void finishClaimsTheNextSites() throws Exception {
    String org = "org-" + UUID.randomUUID();
    JobRepository.Job big = job(org, 7, 3);
    String otherOrg = "org-" + UUID.randomUUID();
    JobRepository.Job small = job(otherOrg, 1, 3);
    List<JobRepository.Claimed> first = await(jobs.claim(big.id(), "me", 60, 10));
    List<JobRepository.Claimed> only = await(jobs.claim(small.id(), "me", 60, 10));
    assertThat(first).hasSize(3);
    assertThat(only).hasSize(1);

    List<JobRepository.Finished> ended = await(jobs.finishMany(List.of(
        new JobRepository.Finish(first.get(0), "succeeded", null),
        new JobRepository.Finish(only.get(0), "succeeded", null),
        new JobRepository.Finish(first.get(1), "failed", "device_unreachable")), "me", 60, 10));

    assertThat(ended).extracting(JobRepository.Finished::counted).containsExactly(true, true, true);
    // Two of the big job's three places came free: two new sites, given to its first call.
    List<JobRepository.Claimed> next = ended.get(0).next();
    assertThat(next).hasSize(2).allSatisfy(c -> {
      assertThat(c.jobId()).isEqualTo(big.id());
      assertThat(c.orgId()).isEqualTo(org);
      assertThat(c.actor()).isEqualTo("alice");
      assertThat(c.attempts()).isEqualTo(1);
    });
    assertThat(next).extracting(JobRepository.Claimed::siteId)
        .doesNotContainAnyElementsOf(first.stream().map(JobRepository.Claimed::siteId).toList());
    assertThat(ended.get(1).next()).isEmpty();
    assertThat(ended.get(2).next()).isEmpty();
    assertThat(await(jobs.find(small.id(), otherOrg)).orElseThrow().state()).isEqualTo("completed");
    assertThat(jdbc.query("SELECT count(*) AS n FROM rotation_job_sites WHERE job_id = ? AND state = 'running'"
        + " AND claimed_by = 'me'", big.id()).get(0).get("n")).isEqualTo(3L);
    // Every place taken: ending nothing of the job claims nothing more.
    assertThat(await(jobs.claim(big.id(), "me", 60, 10))).isEmpty();
  }

  @Test
  @DisplayName("an end that asks for no more sites of its job claims none for that job, and does not stop another"
      + " job of the same batch from claiming")
  void finishWithoutClaims() throws Exception {
    String org = "org-" + UUID.randomUUID();
    JobRepository.Job backedUp = job(org, 5, 2);
    JobRepository.Job other = job(org, 5, 2);
    List<JobRepository.Claimed> a = await(jobs.claim(backedUp.id(), "me", 60, 10));
    List<JobRepository.Claimed> b = await(jobs.claim(other.id(), "me", 60, 10));

    List<JobRepository.Finished> ended = await(jobs.finishMany(List.of(
        new JobRepository.Finish(a.get(0), "succeeded", null, false),
        new JobRepository.Finish(b.get(0), "succeeded", null, true),
        new JobRepository.Finish(a.get(1), "succeeded", null, true)), "me", 60, 10));

    assertThat(ended).extracting(JobRepository.Finished::counted).containsExactly(true, true, true);
    assertThat(ended.get(0).next()).isEmpty();
    assertThat(ended.get(2).next()).isEmpty();
    assertThat(ended.get(1).next()).hasSize(1).allSatisfy(c -> assertThat(c.jobId()).isEqualTo(other.id()));
    // The backed-up job's places stay free for whoever claims next.
    assertThat(jdbc.query("SELECT count(*) AS n FROM rotation_job_sites WHERE job_id = ? AND state = 'running'",
        backedUp.id()).get(0).get("n")).isEqualTo(0L);
    assertThat(await(jobs.claim(backedUp.id(), "another", 60, 10))).hasSize(2);
  }

  @Test
  @DisplayName("a claim takes the open sites in the snapshot's order, past the ended and running ones, and a running"
      + " site whose lease ran out")
  void claimOrder() throws Exception {
    String org = "org-" + UUID.randomUUID();
    JobRepository.Job j = job(org, 6, 2);
    List<JobRepository.Claimed> a = await(jobs.claim(j.id(), "me", 60, 10));
    assertThat(a).hasSize(2);
    List<UUID> ids = jdbc.query("SELECT site_id FROM rotation_job_sites WHERE job_id = ? ORDER BY claim_seq", j.id())
        .stream().map(r -> (UUID) r.get("site_id")).toList();
    assertThat(a).extracting(JobRepository.Claimed::siteId).containsExactlyInAnyOrder(ids.get(0), ids.get(1));
    List<JobRepository.Finished> ended = await(jobs.finishMany(List.of(
        new JobRepository.Finish(a.get(0), "succeeded", null)), "me", 60, 10));
    assertThat(ended.get(0).next()).extracting(JobRepository.Claimed::siteId).containsExactly(ids.get(2));
    // The other process's site: its lease ran out, so it is claimable again, before the later queued ones.
    jdbc.update("UPDATE rotation_job_sites SET claimed_by = 'gone', lease_until = now() - interval '1 second'"
        + " WHERE job_id = ? AND site_id = ?", j.id(), ids.get(2));
    List<JobRepository.Claimed> again = await(jobs.claim(j.id(), "me", 60, 10));
    assertThat(again).extracting(JobRepository.Claimed::siteId).containsExactly(ids.get(2));
    assertThat(again.get(0).attempts()).isEqualTo(2);
  }

  @Test
  @DisplayName("the ends of sites commit without waiting for the disk, even where the server says synchronous_commit ="
      + " on (a lost end is rotated once more after its lease), and answer in the same statement")
  void endsCommitAsynchronously() throws Exception {
    String org = "org-" + UUID.randomUUID();
    JobRepository.Job j = job(org, 2, 1);
    List<JobRepository.Claimed> a = await(jobs.claim(j.id(), "me", 60, 10));
    assertThat(a).hasSize(1);
    List<String> inside = await(pool.withTransaction(tx -> tx.query("SET LOCAL synchronous_commit = on").execute()
        .compose(v -> tx.preparedQuery(JobQueries.FINISH_SITES).execute(io.vertx.sqlclient.Tuple.of(
            new UUID[] {j.id()}, new UUID[] {a.get(0).siteId()}, new String[] {"succeeded"}, new String[] {null},
            "me", 60, 10, new UUID[] {j.id()})))
        .compose(rows -> {
          List<String> out = new ArrayList<>();
          rows.forEach(r -> out.add(r.getBoolean("ended") + " " + r.getUUID("site_id")));
          return tx.query("SELECT current_setting('synchronous_commit')").execute()
              .map(setting -> {
                out.add(setting.iterator().next().getString(0));
                return out;
              });
        })));
    UUID other = (UUID) jdbc.query("SELECT site_id FROM rotation_job_sites WHERE job_id = ? AND site_id <> ?", j.id(),
        a.get(0).siteId()).get(0).get("site_id");
    assertThat(inside).containsExactly("true " + a.get(0).siteId(), "false " + other, "off");
    assertThat(await(jobs.find(j.id(), org)).orElseThrow().succeeded()).isEqualTo(1);
  }

  @Test
  @DisplayName("a claim takes no more than max_in_flight whatever plan PostgreSQL picks (hash plans off: a subquery"
      + " rescanned per row would lock and take more at each rescan), an expired lease first, then the queue")
  void claimHoldsItsLimitUnderAnyPlan() throws Exception {
    String org = "org-" + UUID.randomUUID();
    JobRepository.Job j = job(org, 8, 3);
    List<JobRepository.Claimed> first = claimWithoutHashPlans(j.id(), "me", 10);
    assertThat(first).hasSize(3);
    jdbc.update("UPDATE rotation_job_sites SET claimed_by = 'gone', lease_until = now() - interval '1 second'"
        + " WHERE job_id = ? AND site_id = ?", j.id(), first.get(0).siteId());
    List<JobRepository.Claimed> again = claimWithoutHashPlans(j.id(), "me", 10);
    assertThat(again).extracting(JobRepository.Claimed::siteId).containsExactly(first.get(0).siteId());
    assertThat(jdbc.query("SELECT count(*) AS n FROM rotation_job_sites WHERE job_id = ? AND state = 'running'",
        j.id()).get(0).get("n")).isEqualTo(3L);
    assertThat(jdbc.query("SELECT count(*) AS n FROM rotation_job_sites WHERE job_id = ? AND state = 'queued'",
        j.id()).get(0).get("n")).isEqualTo(5L);
  }

  /** JobRepository.claim's two statements, in a transaction whose planner may use nested loops only. */
  private List<JobRepository.Claimed> claimWithoutHashPlans(UUID jobId, String owner, int limit) throws Exception {
    return await(pool.withTransaction(tx -> tx.query("SET LOCAL enable_hashagg = off").execute()
        .compose(v -> tx.query("SET LOCAL enable_hashjoin = off").execute())
        .compose(v -> tx.query("SET LOCAL enable_mergejoin = off").execute())
        .compose(v -> tx.query("SET LOCAL enable_material = off").execute())
        .compose(v -> tx.preparedQuery(JobQueries.LOCK_JOB_FOR_CLAIM).execute(io.vertx.sqlclient.Tuple.of(jobId)))
        .compose(v -> tx.preparedQuery(JobQueries.CLAIM_SITES).execute(io.vertx.sqlclient.Tuple.of(jobId, owner,
            60, limit)))
        .map(rows -> {
          List<JobRepository.Claimed> out = new ArrayList<>();
          rows.forEach(r -> out.add(JobRepository.claimed(r)));
          return out;
        })));
  }

  @Test
  @DisplayName("leases are renewed only for the sites the process says it holds, and only while it holds them")
  void renewOnlyHeld() throws Exception {
    String org = "org-" + UUID.randomUUID();
    JobRepository.Job j = job(org, 3);
    List<JobRepository.Claimed> a = await(jobs.claim(j.id(), "me", 60, 10));
    assertThat(a).hasSize(3);
    jdbc.update("UPDATE rotation_job_sites SET lease_until = now() + interval '5 seconds' WHERE job_id = ?", j.id());
    jdbc.update("UPDATE rotation_job_sites SET claimed_by = 'other' WHERE job_id = ? AND site_id = ?", j.id(),
        a.get(2).siteId());

    assertThat(await(jobs.renewLeases("me", 600, List.of(a.get(0), a.get(2))))).isEqualTo(1);
    assertThat(await(jobs.renewLeases("me", 600, List.of()))).isZero();

    List<java.util.Map<String, Object>> rows = jdbc.query("SELECT site_id, lease_until > now() + interval '60 seconds'"
        + " AS renewed FROM rotation_job_sites WHERE job_id = ?", j.id());
    assertThat(rows).filteredOn(r -> r.get("site_id").equals(a.get(0).siteId()))
        .singleElement().satisfies(r -> assertThat(r).containsEntry("renewed", true));
    assertThat(rows).filteredOn(r -> !r.get("site_id").equals(a.get(0).siteId()))
        .hasSize(2).allSatisfy(r -> assertThat(r).containsEntry("renewed", false));
  }
}
