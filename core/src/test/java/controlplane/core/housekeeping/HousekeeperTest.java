package controlplane.core.housekeeping;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import controlplane.core.CoreConfig;
import controlplane.core.persistence.AuditRetention;
import controlplane.core.persistence.Migrations;
import controlplane.core.persistence.RetentionPurges;
import controlplane.core.testing.Jdbc;
import controlplane.core.testing.TestDatabase;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import io.vertx.pgclient.PgBuilder;
import io.vertx.sqlclient.Pool;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The housekeeper on a real PostgreSQL, a fresh database per test: what it removes, what it keeps, that it counts
 * what it removed, and that a process holding the housekeeping lock keeps every other one out.
 */
@ExtendWith(VertxExtension.class)
class HousekeeperTest {

  /** Versions older than 30 days go, except the 3 newest of each site; deleted sites go after 30 days. */
  private static final CoreConfig.Retention RETENTION = new CoreConfig.Retention(30, 3, 400, 30, 3_600_000, 1000, 0);

  private Vertx vertx;
  private String url;
  private Jdbc jdbc;
  private final List<Pool> pools = new ArrayList<>();

  @BeforeEach
  void database(Vertx vertx) {
    this.vertx = vertx;
    url = TestDatabase.freshDatabase();
    Migrations.migrateBlocking(new CoreConfig.Database(url, 2));
    jdbc = new Jdbc(url);
  }

  @AfterEach
  void closePools() {
    pools.forEach(p -> await(p.close()));
  }

  /** A housekeeper of its own process: its own pool and its own event-loop context. */
  private final class Process {
    final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    final Housekeeper housekeeper;
    final Context context = vertx.getOrCreateContext();

    Process(CoreConfig.Retention retention) {
      Pool pool = PgBuilder.pool().connectingTo(new CoreConfig.Database(url, 2).connectOptions()).using(vertx).build();
      pools.add(pool);
      // What core does at start: the database enforces this process's audit retention.
      await(AuditRetention.apply(pool, retention.auditDays()));
      housekeeper = new Housekeeper(vertx, pool, retention, new HousekeepingMetrics(registry));
    }

    Future<Housekeeper.Pass> start() {
      Promise<Housekeeper.Pass> promise = Promise.promise();
      context.runOnContext(v -> housekeeper.runNow().onComplete(promise));
      return promise.future();
    }

    Housekeeper.Pass run() {
      return await(start());
    }

    double removed(PurgeKind kind) {
      return registry.get(HousekeepingMetrics.REMOVED).tag("kind", kind.tag()).counter().count();
    }
  }

  private static <T> T await(Future<T> future) {
    try {
      return future.toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  private UUID site(String org) {
    UUID id = UUID.randomUUID();
    // One router per site (one enrolment per router): the API user's name tells them apart.
    jdbc.exec("INSERT INTO sites (id, org_id, username, ip_address, api_port, server_ip) VALUES (?, ?, ?,"
        + " '100.64.0.1', 8728, 'edge')", id, org, "api-" + id);
    return id;
  }

  /** A version created {@code ageDays} ago; its sealed value is a placeholder (nothing here opens it). */
  private UUID version(UUID site, String state, double ageDays) {
    UUID id = UUID.randomUUID();
    jdbc.exec("INSERT INTO credential_versions (id, site_id, state, sealed_password, key_id, nonce, created_at,"
        + " lease_expires_at) VALUES (?, ?, ?, '\\x00'::bytea, 'k1', decode('000000000000000000000000', 'hex'),"
        + " now() - make_interval(secs => ?), CASE WHEN ? = 'PENDING' THEN now() END)",
        id, site, state, ageDays * 86_400, state);
    return id;
  }

  private List<UUID> versionsOf(UUID site) {
    return jdbc.query("SELECT id FROM credential_versions WHERE site_id = ? ORDER BY created_at", site).stream()
        .map(r -> (UUID) r.get("id")).toList();
  }

  private void audit(String at) {
    jdbc.exec("INSERT INTO audit_events (at, actor, action, outcome) VALUES (" + at + ", 't', 'test', 'ok')");
  }

  private long auditRows() {
    return (Long) jdbc.query("SELECT count(*) AS n FROM audit_events WHERE action = 'test'").get(0).get("n");
  }

  @Test
  @DisplayName("every kind's counter exists at 0 before the first pass")
  void countersStartAtZero() {
    Process p = new Process(RETENTION);
    for (PurgeKind kind : PurgeKind.values()) {
      assertThat(p.removed(kind)).as(kind.tag()).isZero();
    }
    assertThat(p.registry.get(HousekeepingMetrics.REMOVED).counters()).hasSize(PurgeKind.values().length);
  }

  @Test
  @DisplayName("old SUPERSEDED and FAILED versions go; the newest 3 of each site, younger ones, live ones and those an "
      + "idempotency key answers stay; the counter says how many went")
  void versions() {
    UUID a = site("org");
    UUID a1 = version(a, "SUPERSEDED", 100);
    UUID a2 = version(a, "FAILED", 90);
    UUID a3 = version(a, "SUPERSEDED", 80);
    UUID aPrevious = version(a, "PREVIOUS", 70);
    UUID aCurrent = version(a, "CURRENT", 60);
    UUID aYoung = version(a, "SUPERSEDED", 20);
    // Old, but the newest three of their site.
    UUID b = site("org");
    UUID bOldest = version(b, "SUPERSEDED", 500);
    UUID bSuperseded = version(b, "SUPERSEDED", 400);
    UUID bFailed = version(b, "FAILED", 300);
    UUID bCurrent = version(b, "CURRENT", 200);
    // Old and not among the newest three, but a live idempotency record answers it.
    UUID c = site("org");
    UUID cAnswered = version(c, "SUPERSEDED", 100);
    UUID cFailed = version(c, "FAILED", 95);
    List<UUID> cNewest = List.of(version(c, "SUPERSEDED", 3), version(c, "PREVIOUS", 2), version(c, "CURRENT", 1));
    jdbc.exec("INSERT INTO idempotency_records (org_id, key, site_id, action, credential_version_id)"
        + " VALUES ('org', 'k', ?, 'rotate', ?)", c, cAnswered);

    Process p = new Process(RETENTION);
    Housekeeper.Pass pass = p.run();

    assertThat(versionsOf(a)).containsExactly(aPrevious, aCurrent, aYoung).doesNotContain(a1, a2, a3);
    assertThat(versionsOf(b)).containsExactly(bSuperseded, bFailed, bCurrent).doesNotContain(bOldest);
    assertThat(versionsOf(c)).containsExactlyElementsOf(concat(List.of(cAnswered), cNewest)).doesNotContain(cFailed);
    assertThat(pass.removed(PurgeKind.VERSIONS)).isEqualTo(5);
    assertThat(p.removed(PurgeKind.VERSIONS)).isEqualTo(5);
    assertThat(pass.busy()).isFalse();

    // Nothing left to do: a second pass removes nothing.
    assertThat(p.run().removed(PurgeKind.VERSIONS)).isZero();
    assertThat(p.removed(PurgeKind.VERSIONS)).isEqualTo(5);
  }

  private static List<UUID> concat(List<UUID> a, List<UUID> b) {
    List<UUID> all = new ArrayList<>(a);
    all.addAll(b);
    return all;
  }

  @Test
  @DisplayName("batches of batchSize go one after the other until one comes back short")
  void batches() {
    UUID site = site("org");
    for (int i = 0; i < 25; i++) {
      version(site, "FAILED", 40 + i);
    }
    version(site, "CURRENT", 1);
    Process p = new Process(new CoreConfig.Retention(30, 3, 400, 30, 3_600_000, 4, 1));
    assertThat(p.run().removed(PurgeKind.VERSIONS)).isEqualTo(23);
    assertThat(versionsOf(site)).hasSize(3);
    assertThat(p.removed(PurgeKind.VERSIONS)).isEqualTo(23);
  }

  @Test
  @DisplayName("while another process holds the housekeeping lock no housekeeper runs a batch; after it, one does")
  void oneProcessAtATime() throws SQLException {
    UUID site = site("org");
    version(site, "CURRENT", 1);
    for (int i = 0; i < 5; i++) {
      version(site, "SUPERSEDED", 40 + i);
    }
    Process first = new Process(RETENTION);
    Process second = new Process(RETENTION);
    try (Connection other = jdbc.connect(); Statement st = other.createStatement()) {
      // What a housekeeper holds while it runs a batch (a session lock here, so that it outlives the statement).
      st.execute("SELECT pg_advisory_lock(" + RetentionPurges.LOCK_KEY + ")");
      List<Housekeeper.Pass> passes = await(Future.all(first.start(), second.start())).list();
      assertThat(passes).allSatisfy(pass -> {
        assertThat(pass.busy()).isTrue();
        assertThat(pass.removed()).isEmpty();
      });
      assertThat(versionsOf(site)).hasSize(6);
      st.execute("SELECT pg_advisory_unlock(" + RetentionPurges.LOCK_KEY + ")");
    }
    Housekeeper.Pass pass = second.run();
    assertThat(pass.busy()).isFalse();
    assertThat(pass.removed(PurgeKind.VERSIONS)).isEqualTo(3);
    assertThat(first.removed(PurgeKind.VERSIONS) + second.removed(PurgeKind.VERSIONS)).isEqualTo(3);
  }

  @Test
  @DisplayName("two housekeepers started together remove every purgeable row once between them")
  void twoAtOnce() {
    UUID site = site("org");
    version(site, "CURRENT", 1);
    for (int i = 0; i < 40; i++) {
      version(site, "FAILED", 40 + i);
    }
    CoreConfig.Retention small = new CoreConfig.Retention(30, 3, 400, 30, 3_600_000, 5, 0);
    Process first = new Process(small);
    Process second = new Process(small);
    await(Future.all(first.start(), second.start()));
    // A pass that found the other one in a batch ended early and left the rest to it; one more pass finishes.
    first.run();
    assertThat(versionsOf(site)).hasSize(3);
    assertThat(first.removed(PurgeKind.VERSIONS) + second.removed(PurgeKind.VERSIONS)).isEqualTo(38);
  }

  @Test
  @DisplayName("idempotency records older than 24 hours go, younger ones stay")
  void idempotency() {
    UUID site = site("org");
    UUID v = version(site, "CURRENT", 0);
    jdbc.exec("INSERT INTO idempotency_records (org_id, key, site_id, action, credential_version_id, created_at)"
        + " VALUES ('org', 'old', ?, 'rotate', ?, now() - interval '25 hours'),"
        + " ('org', 'young', ?, 'rotate', ?, now() - interval '23 hours')", site, v, site, v);
    Process p = new Process(RETENTION);
    assertThat(p.run().removed(PurgeKind.IDEMPOTENCY)).isEqualTo(1);
    assertThat(jdbc.query("SELECT key FROM idempotency_records")).extracting(r -> r.get("key"))
        .containsExactly("young");
    assertThat(p.removed(PurgeKind.IDEMPOTENCY)).isEqualTo(1);
  }

  @Test
  @DisplayName("audit events go by whole months once the month is past auditDays; rows inside it stay")
  void auditByMonth() {
    String monthStart = "(date_trunc('month', now() AT TIME ZONE 'UTC') AT TIME ZONE 'UTC')";
    audit("now() - interval '500 days'");
    audit("now() - interval '300 days'");
    audit(monthStart + " - interval '1 second'");
    audit("now()");
    Process keep400 = new Process(RETENTION);
    assertThat(keep400.run().removed(PurgeKind.AUDIT)).isEqualTo(1);
    assertThat(auditRows()).isEqualTo(3);
    assertThat(keep400.removed(PurgeKind.AUDIT)).isEqualTo(1);

    // auditDays 0: every month before the current one goes, the current month stays whole.
    Process keepThisMonth = new Process(new CoreConfig.Retention(30, 3, 0, 30, 3_600_000, 1000, 0));
    assertThat(keepThisMonth.run().removed(PurgeKind.AUDIT)).isEqualTo(2);
    assertThat(jdbc.query("SELECT at >= " + monthStart + " AS this_month FROM audit_events WHERE action = 'test'"))
        .extracting(r -> r.get("this_month")).containsExactly(true);
    // Lowering the retention is allowed, and leaves its own audit event.
    assertThat(jdbc.query("SELECT actor, outcome, detail FROM audit_events WHERE action = 'audit.retention_changed'"))
        .containsExactly(Map.of("actor", "housekeeper", "outcome", "lowered",
            "detail", "retention.auditDays 400 -> 0"));
  }

  @Test
  @DisplayName("under a 400-day retention no session deletes a 40- or 100-day-old audit event, whatever cutoff it"
      + " names; rows past the retention go")
  void retentionFloorIsTheDatabases() throws SQLException {
    new Process(RETENTION);
    audit("now() - interval '40 days'");
    audit("now() - interval '100 days'");
    audit("now() - interval '500 days'");
    String thisMonth = "(date_trunc('month', now() AT TIME ZONE 'UTC') AT TIME ZONE 'UTC')";
    try (Connection c = jdbc.connect()) {
      c.setAutoCommit(false);
      try (Statement st = c.createStatement()) {
        // The start of this month: a cutoff the V5 trigger let through for every row before it.
        st.execute("SELECT set_config('cp.audit_purge_before', " + thisMonth + "::text, true)");
        st.execute("SAVEPOINT s");
        for (String age : List.of("40 days", "100 days")) {
          assertThatThrownBy(() -> st.executeUpdate("DELETE FROM audit_events WHERE action = 'test'"
              + " AND at < now() - interval '" + age + "' + interval '1 hour'")).hasMessageContaining("append-only");
          st.execute("ROLLBACK TO SAVEPOINT s");
        }
        // The row past the retention may go, under the same cutoff.
        assertThat(st.executeUpdate("DELETE FROM audit_events WHERE action = 'test'"
            + " AND at < now() - interval '450 days'")).isEqualTo(1);
      }
      c.rollback();
    }
    assertThat(auditRows()).isEqualTo(3);

    // The floor's row can be changed (and that is audited) but not removed.
    assertThatThrownBy(() -> jdbc.update("DELETE FROM audit_retention")).hasMessageContaining("one row");
    assertThatThrownBy(() -> jdbc.update("TRUNCATE audit_retention")).hasMessageContaining("one row");
    jdbc.exec("UPDATE audit_retention SET days = 30");
    assertThat(jdbc.query("SELECT actor, outcome, detail FROM audit_events WHERE action = 'audit.retention_changed'"))
        .extracting(r -> r.get("outcome") + " " + r.get("detail") + " by " + r.get("actor"))
        .singleElement().asString().startsWith("lowered retention.auditDays 400 -> 30 by database user ");

    // A process that starts with 400 days puts the floor back, and says so.
    Process p = new Process(RETENTION);
    assertThat(jdbc.query("SELECT days FROM audit_retention")).extracting(r -> r.get("days")).containsExactly(400.0);
    assertThat(jdbc.query("SELECT outcome, detail FROM audit_events WHERE action = 'audit.retention_changed'"
        + " AND actor = 'housekeeper'"))
        .containsExactly(Map.of("outcome", "raised", "detail", "retention.auditDays 30 -> 400"));
    assertThat(p.run().removed(PurgeKind.AUDIT)).isEqualTo(1);
    assertThat(auditRows()).isEqualTo(2);
  }

  @Test
  @DisplayName("a housekeeper configured shorter than the database's floor leaves the rows between the two, and fails"
      + " no batch")
  void floorLongerThanTheConfiguration() {
    Process shortLived = new Process(new CoreConfig.Retention(30, 3, 0, 30, 3_600_000, 1000, 0));
    audit("now() - interval '100 days'");
    audit("now() - interval '500 days'");
    // Another process started since with the 400-day default.
    jdbc.exec("UPDATE audit_retention SET days = 400");
    Housekeeper.Pass pass = shortLived.run();
    assertThat(pass.removed(PurgeKind.AUDIT)).isEqualTo(1);
    assertThat(auditRows()).isEqualTo(1);
  }

  @Test
  @DisplayName("audit events inside the retention can be neither updated nor deleted, whatever cutoff a session names")
  void auditStaysAppendOnly() throws SQLException {
    audit("now() - interval '500 days'");
    audit("now() - interval '1 day'");
    assertThatThrownBy(() -> jdbc.update("DELETE FROM audit_events")).hasMessageContaining("append-only");
    assertThatThrownBy(() -> jdbc.update("UPDATE audit_events SET outcome = 'changed'"))
        .hasMessageContaining("append-only");
    assertThatThrownBy(() -> jdbc.update("TRUNCATE audit_events")).hasMessageContaining("append-only");
    try (Connection c = jdbc.connect()) {
      c.setAutoCommit(false);
      try (Statement st = c.createStatement()) {
        // The housekeeper's setting, at the start of the month 400 days back: the recent row is inside it.
        st.execute("SELECT set_config('cp.audit_purge_before', (date_trunc('month', (now() - interval '400 days')"
            + " AT TIME ZONE 'UTC') AT TIME ZONE 'UTC')::text, true)");
        st.execute("SAVEPOINT s");
        assertThatThrownBy(() -> st.executeUpdate("DELETE FROM audit_events WHERE at > now() - interval '2 days'"))
            .hasMessageContaining("append-only");
        st.execute("ROLLBACK TO SAVEPOINT s");
        assertThatThrownBy(() -> st.executeUpdate("UPDATE audit_events SET outcome = 'changed'"))
            .hasMessageContaining("append-only");
        st.execute("ROLLBACK TO SAVEPOINT s");
        // A cutoff that is not the start of a month, or one in the future, lets nothing through.
        for (String cutoff : List.of("now()", "(date_trunc('month', now() AT TIME ZONE 'UTC') AT TIME ZONE 'UTC')"
            + " + interval '1 month'")) {
          st.execute("SELECT set_config('cp.audit_purge_before', (" + cutoff + ")::text, true)");
          assertThatThrownBy(() -> st.executeUpdate("DELETE FROM audit_events WHERE at > now() - interval '2 days'"))
              .hasMessageContaining("append-only");
          st.execute("ROLLBACK TO SAVEPOINT s");
        }
      }
      c.rollback();
    }
    assertThat(auditRows()).isEqualTo(2);
    // The setting is transaction-local: outside the housekeeper's transaction nothing goes either.
    assertThatThrownBy(() -> jdbc.update("DELETE FROM audit_events WHERE at < now() - interval '450 days'"))
        .hasMessageContaining("append-only");
  }

  /** A bulk job in {@code state} that finished {@code finishedDaysAgo} ago (null: not finished), with its sites. */
  private UUID job(String state, Double finishedDaysAgo, String key, String... siteStates) {
    UUID id = UUID.randomUUID();
    jdbc.exec("INSERT INTO rotation_jobs (id, org_id, actor, selector, max_in_flight, state, total, idempotency_key,"
        + " created_at, finished_at) VALUES (?, 'org', 't', '{}'::jsonb, 4, ?, ?, ?, now() - interval '100 days',"
        + " now() - make_interval(secs => ?))", id, state, siteStates.length, key,
        finishedDaysAgo == null ? null : finishedDaysAgo * 86_400);
    for (String siteState : siteStates) {
      jdbc.exec("INSERT INTO rotation_job_sites (job_id, site_id, server_ip, state, claimed_by, lease_until)"
          + " VALUES (?, ?, 'edge', ?, CASE WHEN ? = 'running' THEN 'p' END,"
          + " CASE WHEN ? = 'running' THEN now() + interval '1 minute' END)",
          id, UUID.randomUUID(), siteState, siteState, siteState);
    }
    return id;
  }

  private long jobSites(UUID job) {
    return (Long) jdbc.query("SELECT count(*) AS n FROM rotation_job_sites WHERE job_id = ?", job).get(0).get("n");
  }

  @Test
  @DisplayName("completed and cancelled jobs that finished longer ago than jobDays go with their sites and keys;"
      + " running, recent ones and one with a site still running stay")
  void jobs() {
    UUID oldCompleted = job("completed", 31.0, "key-1", "succeeded", "failed", "unknown");
    UUID oldCancelled = job("cancelled", 40.0, "key-2", "succeeded", "queued");
    UUID cancelledStillRunning = job("cancelled", 40.0, null, "succeeded", "running");
    UUID recent = job("completed", 29.0, "key-3", "succeeded");
    UUID running = job("running", null, "key-4", "succeeded", "running", "queued");
    UUID queued = job("queued", null, null, "queued");

    // Batches of 2 rows: the site lists go over several batches, then the jobs.
    Process p = new Process(new CoreConfig.Retention(30, 3, 400, 30, 30, 3_600_000, 2, 0));
    Housekeeper.Pass pass = p.run();

    assertThat(jdbc.query("SELECT id FROM rotation_jobs")).extracting(r -> r.get("id"))
        .containsExactlyInAnyOrder(cancelledStillRunning, recent, running, queued);
    assertThat(jdbc.query("SELECT job_id FROM rotation_job_sites WHERE job_id IN (?, ?)", oldCompleted, oldCancelled))
        .isEmpty();
    // The finished site of the cancelled job went; the one its process still holds stays, and so does the job.
    assertThat(jobSites(cancelledStillRunning)).isEqualTo(1);
    assertThat(jobSites(recent)).isEqualTo(1);
    assertThat(jobSites(running)).isEqualTo(3);
    assertThat(jobSites(queued)).isEqualTo(1);
    assertThat(pass.removed(PurgeKind.JOB_SITES)).isEqualTo(6);
    assertThat(pass.removed(PurgeKind.JOBS)).isEqualTo(2);
    assertThat(p.removed(PurgeKind.JOB_SITES)).isEqualTo(6);
    assertThat(p.removed(PurgeKind.JOBS)).isEqualTo(2);
    // The purged jobs' Idempotency-Keys are free again.
    assertThat(jdbc.query("SELECT idempotency_key FROM rotation_jobs WHERE idempotency_key IS NOT NULL"))
        .extracting(r -> r.get("idempotency_key")).containsExactlyInAnyOrder("key-3", "key-4");

    // Once its process has let go of the site (the lease ran out), the cancelled job goes too.
    jdbc.exec("UPDATE rotation_job_sites SET lease_until = now() - interval '1 second' WHERE job_id = ?",
        cancelledStillRunning);
    Housekeeper.Pass next = p.run();
    assertThat(next.removed(PurgeKind.JOB_SITES)).isEqualTo(1);
    assertThat(next.removed(PurgeKind.JOBS)).isEqualTo(1);
    assertThat(jdbc.query("SELECT id FROM rotation_jobs")).extracting(r -> r.get("id"))
        .containsExactlyInAnyOrder(recent, running, queued);
  }

  @Test
  @DisplayName("a site deleted longer ago than deletedSiteDays goes with its versions and keys; an audit event says so")
  void deletedSites() {
    UUID old = site("org");
    UUID oldVersion = version(old, "CURRENT", 40);
    jdbc.exec("INSERT INTO idempotency_records (org_id, key, site_id, action, credential_version_id)"
        + " VALUES ('org', 'gone-with-it', ?, 'rotate', ?)", old, oldVersion);
    jdbc.exec("UPDATE sites SET deleted_at = now() - interval '31 days' WHERE id = ?", old);
    UUID recent = site("org");
    version(recent, "CURRENT", 40);
    jdbc.exec("UPDATE sites SET deleted_at = now() - interval '29 days' WHERE id = ?", recent);
    UUID live = site("org");
    version(live, "CURRENT", 40);

    Process p = new Process(RETENTION);
    assertThat(p.run().removed(PurgeKind.DELETED_SITES)).isEqualTo(1);
    assertThat(jdbc.query("SELECT id FROM sites")).extracting(r -> r.get("id"))
        .containsExactlyInAnyOrder(recent, live);
    assertThat(versionsOf(old)).isEmpty();
    assertThat(jdbc.query("SELECT key FROM idempotency_records WHERE site_id = ?", old)).isEmpty();
    assertThat(jdbc.query("SELECT actor, action, org_id FROM audit_events WHERE site_id = ?", old))
        .containsExactly(Map.of("actor", "housekeeper", "action", "site.purge", "org_id", "org"));
    assertThat(p.removed(PurgeKind.DELETED_SITES)).isEqualTo(1);
  }
}
