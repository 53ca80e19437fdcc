package controlplane.core.rotation;

import static org.assertj.core.api.Assertions.assertThat;

import controlplane.core.CoreConfig;
import controlplane.core.bus.Addresses;
import controlplane.core.bus.Failure;
import controlplane.core.bus.Fields;
import controlplane.core.bus.JobCreateRequest;
import controlplane.core.bus.JobReply;
import controlplane.core.bus.JobRequest;
import controlplane.core.bus.JobSelector;
import controlplane.core.bus.JobsReply;
import controlplane.core.bus.JobsRequest;
import controlplane.core.jobs.JobMetrics;
import controlplane.core.rotation.FakeRouters.Mode;
import controlplane.core.testing.TestDatabase;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Bulk rotation jobs (issue 12, point 1) over the event bus, against PostgreSQL and the scripted routers: each test
 * works in an organisation of its own, so the jobs of the class share the database without seeing each other's sites.
 */
@ExtendWith(VertxExtension.class)
@DisplayName("Bulk rotation jobs")
class RotationJobsTest {

  /** A short poll, two device operations per edge at once, quick retries of a busy site. */
  private static final CoreConfig.Scheduler SCHEDULER = new CoreConfig.Scheduler(200, 50, 3, 100, 400, 2);
  private static String dbUrl;
  private CoreFixture core;

  @BeforeAll
  static void database() {
    dbUrl = TestDatabase.freshDatabase();
  }

  @BeforeEach
  void deploy(Vertx vertx) {
    core = new CoreFixture(vertx, dbUrl, 5_000, SCHEDULER).start();
  }

  @AfterEach
  void reset() {
    core.routers.mode = Mode.NORMAL;
    core.routers.holdApplies = null;
    core.routers.applyDelayMs = 0;
  }

  @Test
  @DisplayName("an empty selector rotates every live site of the caller's organisation, none of another's")
  void everySiteOfTheOrganisation() {
    String org = org();
    List<String> sites = enrol(org, "edge-a", 5);
    List<String> others = enrol(org(), "edge-a", 2);
    String deleted = enrol(org, "edge-a", 1).get(0);
    core.ok(Addresses.SITE_DELETE, ref(org, deleted));
    Map<String, String> before = passwords(sites);
    Map<String, String> othersBefore = passwords(others);

    JobReply created = create(org, JobSelector.ALL, 16, null);
    assertThat(created.total()).isEqualTo(5);
    assertThat(created.state()).isIn("queued", "running", "completed");
    JobReply done = awaitJob(org, created.id(), j -> j.state().equals("completed"));

    assertThat(done.succeeded()).isEqualTo(5);
    assertThat(done.failed() + done.unknown() + done.remaining()).isZero();
    assertThat(done.finishedAt()).isNotNull();
    for (String site : sites) {
      assertThat(core.routers.password(site)).isNotEqualTo(before.get(site));
      assertThat(core.count("CURRENT", site)).isEqualTo(1);
      assertThat(core.count("PENDING", site)).isZero();
    }
    // Each site ended in its rotation's promotion: the same transaction wrote the job's row and the version's.
    assertThat(core.jdbc.query("SELECT s.xmin::text = v.xmin::text AS same FROM rotation_job_sites s"
        + " JOIN credential_versions v ON v.site_id = s.site_id AND v.state = 'CURRENT' WHERE s.job_id = ?::uuid",
        created.id())).hasSize(5).allSatisfy(r -> assertThat(r).containsEntry("same", true));
    assertThat(passwords(others)).isEqualTo(othersBefore);
    assertThat(core.count("CURRENT", deleted)).isEqualTo(1);
    assertThat(core.states(deleted)).containsOnly("CURRENT");
  }

  @Test
  @DisplayName("the selector narrows by edge, by status and by site ids, and never reaches another organisation")
  void selectors() {
    String org = org();
    List<String> edgeA = enrol(org, "edge-sel-a", 2);
    List<String> edgeB = enrol(org, "edge-sel-b", 1);
    String foreign = enrol(org(), "edge-sel-a", 1).get(0);
    core.jdbc.exec("UPDATE sites SET status = 'out_of_sync' WHERE id = ?::uuid", edgeB.get(0));

    assertThat(create(org, new JobSelector(null, "edge-sel-a", null), 16, null).total()).isEqualTo(2);
    // (That job's rotation makes the site in_sync again: the next selector names a status no site has.)
    assertThat(create(org, new JobSelector(null, null, "out_of_sync"), 16, null).total()).isEqualTo(1);
    assertThat(create(org, new JobSelector(null, "edge-sel-b", "unverified"), 16, null).total()).isZero();
    JobReply byIds = create(org, new JobSelector(List.of(UUID.fromString(edgeA.get(0)), UUID.fromString(foreign),
        UUID.randomUUID()), null, null), 16, null);
    assertThat(byIds.total()).isEqualTo(1);
    JobReply none = create(org, new JobSelector(List.of(), null, null), 16, null);
    assertThat(none.total()).isZero();
    assertThat(none.state()).isEqualTo("completed");
    awaitJob(org, byIds.id(), j -> j.state().equals("completed"));
    assertThat(core.jdbc.query("SELECT site_id::text AS s FROM rotation_job_sites WHERE job_id = ?::uuid",
        byIds.id())).extracting(r -> r.get("s")).containsExactly(edgeA.get(0));
  }

  @Test
  @DisplayName("no more device operations run at once on one edge than scheduler.maxInFlightPerEdge")
  void perEdgeCap() {
    String org = org();
    List<String> sites = enrol(org, "edge-cap", 8);
    enrol(org, "edge-cap-other", 3);
    core.routers.applyDelayMs = 100;

    JobReply done = awaitJob(org, create(org, JobSelector.ALL, 16, null).id(), j -> j.state().equals("completed"));

    assertThat(done.succeeded()).isEqualTo(11);
    assertThat(core.routers.maxApplying.get("edge-cap")).isBetween(1, SCHEDULER.maxInFlightPerEdge());
    assertThat(core.routers.maxApplying.get("edge-cap-other")).isBetween(1, SCHEDULER.maxInFlightPerEdge());
    assertThat(sites).allSatisfy(site -> assertThat(core.count("CURRENT", site)).isEqualTo(1));
  }

  @Test
  @DisplayName("cancel: no new site is claimed, the running one ends and is counted, the job is cancelled")
  void cancel() {
    String org = org();
    enrol(org, "edge-cancel", 3);
    Promise<Void> release = Promise.promise();
    core.routers.holdApplies = release.future();
    int appliesBefore = core.routers.applies.get();

    JobReply job = create(org, JobSelector.ALL, 1, null);
    eventually("the first apply", () -> core.routers.applies.get() > appliesBefore);
    JobReply cancelled = JobReply.fromJson(core.ok(Addresses.JOB_CANCEL, jobRef(org, job.id()).toJson()));
    assertThat(cancelled.state()).isEqualTo("cancelled");
    assertThat(cancelled.finishedAt()).isNotNull();
    release.complete();

    JobReply done = awaitJob(org, job.id(), j -> j.succeeded() == 1);
    core.await(core.verticle.pollJobsNow());
    JobReply after = get(org, job.id());
    assertThat(after.state()).isEqualTo("cancelled");
    assertThat(after.succeeded()).isEqualTo(1);
    assertThat(after.remaining()).isEqualTo(2);
    assertThat(core.routers.applies.get()).isEqualTo(appliesBefore + 1);
    // A second cancel answers the job as it is.
    assertThat(JobReply.fromJson(core.ok(Addresses.JOB_CANCEL, jobRef(org, job.id()).toJson())).state())
        .isEqualTo("cancelled");
    assertThat(done.id()).isEqualTo(job.id());
  }

  @Test
  @DisplayName("the same Idempotency-Key answers the same job and starts no second one")
  void idempotency() {
    String org = org();
    enrol(org, "edge-idem", 2);
    JobReply first = create(org, JobSelector.ALL, 16, "job-key-1");
    JobReply again = create(org, new JobSelector(null, "elsewhere", null), 4, "job-key-1");
    assertThat(again.id()).isEqualTo(first.id());
    assertThat(again.total()).isEqualTo(2);
    awaitJob(org, first.id(), j -> j.state().equals("completed"));
    JobsReply page = JobsReply.fromJson(core.ok(Addresses.JOBS_LIST, new JobsRequest(org, null, 10).toJson()));
    assertThat(page.jobs()).extracting(JobReply::id).containsExactly(first.id());
    // The same key in another organisation is another job.
    String otherOrg = org();
    assertThat(create(otherOrg, JobSelector.ALL, 16, "job-key-1").id()).isNotEqualTo(first.id());
  }

  @Test
  @DisplayName("routers that refuse are failed, lost answers are unknown; both count as done")
  void outcomes() {
    String org = org();
    enrol(org, "edge-fail", 2);
    core.routers.mode = Mode.UNREACHABLE;
    JobReply failed = awaitJob(org, create(org, JobSelector.ALL, 16, null).id(), j -> j.state().equals("completed"));
    assertThat(failed.failed()).isEqualTo(2);
    assertThat(failed.succeeded() + failed.unknown()).isZero();

    core.routers.mode = Mode.UNKNOWN_APPLIED;
    JobReply unknown = awaitJob(org, create(org, JobSelector.ALL, 16, null).id(), j -> j.state().equals("completed"));
    assertThat(unknown.unknown()).isEqualTo(2);
    double counted = core.registry.get(JobMetrics.JOB_SITES).tag("outcome", "unknown").counter().count();
    assertThat(counted).isGreaterThanOrEqualTo(2);
  }

  @Test
  @DisplayName("a job a dead process left running (claims with expired leases) is finished by this process")
  void resumesAfterRestart() {
    String org = org();
    List<String> sites = enrol(org, "edge-resume", 3);
    String jobId = UUID.randomUUID().toString();
    // The job and its sites in one statement: a poll between the two would complete a job without sites.
    core.jdbc.exec("WITH j AS (INSERT INTO rotation_jobs (id, org_id, actor, selector, max_in_flight, state, total)"
        + " VALUES (?::uuid, ?, 'tester', '{}'::jsonb, 16, 'running', 3) RETURNING id)"
        + " INSERT INTO rotation_job_sites (job_id, site_id, server_ip, state, claimed_by, lease_until, attempts)"
        + " SELECT j.id, s::uuid, 'edge-resume', 'running', 'core-dead', now() - interval '1 second', 1"
        + " FROM j, unnest(string_to_array(?, ',')) AS s", jobId, org, String.join(",", sites));

    JobReply done = awaitJob(org, jobId, j -> j.state().equals("completed"));

    assertThat(done.succeeded()).isEqualTo(3);
    assertThat(sites).allSatisfy(site -> assertThat(core.states(site)).contains("PREVIOUS", "CURRENT"));
    core.await(core.verticle.pollJobsNow());
    assertThat(core.registry.get(JobMetrics.JOBS).tag("state", "completed").gauge().value()).isGreaterThan(0);
  }

  @Test
  @DisplayName("two core processes share one job: each site is rotated once, never more than max_in_flight at once")
  void twoProcesses() {
    String org = org();
    List<String> sites = enrol(org, "edge-two", 10);
    core.await(core.vertx.deployVerticle(new controlplane.core.CoreVerticle(core.config,
        new io.micrometer.core.instrument.simple.SimpleMeterRegistry())));
    core.routers.applyDelayMs = 50;

    // Each process may run two operations on the edge (four in all); the job allows three.
    JobReply done = awaitJob(org, create(org, JobSelector.ALL, 3, null).id(), j -> j.state().equals("completed"));

    assertThat(done.succeeded()).isEqualTo(10);
    assertThat(core.routers.maxApplying.get("edge-two")).isBetween(1, 3);
    assertThat(sites).allSatisfy(site -> assertThat(core.states(site)).containsExactlyInAnyOrder("PREVIOUS",
        "CURRENT"));
  }

  @Test
  @DisplayName("another organisation's job is not found, to read and to cancel")
  void isolation() {
    String org = org();
    enrol(org, "edge-iso", 1);
    JobReply job = create(org, JobSelector.ALL, 16, null);
    assertThat(core.failure(Addresses.JOB_GET, jobRef(org(), job.id()).toJson())).isEqualTo(Failure.JOB_NOT_FOUND);
    assertThat(core.failure(Addresses.JOB_CANCEL, jobRef(org(), job.id()).toJson()))
        .isEqualTo(Failure.JOB_NOT_FOUND);
    assertThat(core.failure(Addresses.JOB_GET, jobRef(org, UUID.randomUUID().toString()).toJson()))
        .isEqualTo(Failure.JOB_NOT_FOUND);
    awaitJob(org, job.id(), j -> j.state().equals("completed"));
  }

  // ---------------------------------------------------------------------------------------------------------------

  private static String org() {
    return "org-jobs-" + UUID.randomUUID().toString().substring(0, 8);
  }

  /** Enrols {@code n} sites of {@code org} on {@code edge}, each with a router of its own. */
  private List<String> enrol(String org, String edge, int n) {
    List<String> out = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      String siteId = UUID.randomUUID().toString();
      String password = "Job-Enrolled-" + UUID.randomUUID();
      core.routers.set(siteId, password);
      core.routers.edges.put(siteId, edge);
      core.ok(Addresses.SITE_PUT, CoreFixture.siteBody(siteId, org, password).put(Fields.SERVER_IP, edge));
      out.add(siteId);
    }
    return out;
  }

  private Map<String, String> passwords(List<String> sites) {
    Map<String, String> out = new java.util.HashMap<>();
    sites.forEach(s -> out.put(s, core.routers.password(s)));
    return out;
  }

  private static io.vertx.core.json.JsonObject ref(String org, String siteId) {
    return CoreFixture.siteRef(siteId).put(Fields.ORG_ID, org);
  }

  private static JobRequest jobRef(String org, String jobId) {
    return new JobRequest(UUID.fromString(jobId), org, "tester", null);
  }

  private JobReply create(String org, JobSelector selector, int maxInFlight, String key) {
    return JobReply.fromJson(core.ok(Addresses.JOB_CREATE,
        new JobCreateRequest(org, "tester", selector, maxInFlight, key, null).toJson()));
  }

  private JobReply get(String org, String jobId) {
    return JobReply.fromJson(core.ok(Addresses.JOB_GET, jobRef(org, jobId).toJson()));
  }

  /** Polls the job (and runs the process's job poll) until {@code done} holds; fails after a minute. */
  private JobReply awaitJob(String org, String jobId, Predicate<JobReply> done) {
    Instant deadline = Instant.now().plus(Duration.ofMinutes(1));
    while (true) {
      JobReply job = get(org, jobId);
      if (done.test(job)) {
        return job;
      }
      if (Instant.now().isAfter(deadline)) {
        throw new AssertionError("job never got there: " + job);
      }
      core.await(core.verticle.pollJobsNow());
      sleep();
    }
  }

  private static void eventually(String what, java.util.function.BooleanSupplier condition) {
    Instant deadline = Instant.now().plus(Duration.ofMinutes(1));
    while (!condition.getAsBoolean()) {
      if (Instant.now().isAfter(deadline)) {
        throw new AssertionError("never: " + what);
      }
      sleep();
    }
  }

  private static void sleep() {
    try {
      Thread.sleep(50);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
