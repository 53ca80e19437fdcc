package controlplane.core.rotation;

import static controlplane.core.rotation.CoreFixture.await;
import static org.assertj.core.api.Assertions.assertThat;

import controlplane.core.CoreVerticle;
import controlplane.core.bus.Addresses;
import controlplane.core.bus.Failure;
import controlplane.core.bus.Fields;
import controlplane.core.testing.TestDatabase;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Rotation policies and the scheduler over the event bus, on a real PostgreSQL with scripted routers. */
@ExtendWith(VertxExtension.class)
class SchedulerTest {

  private static String dbUrl;
  private CoreFixture core;

  @BeforeAll
  static void database() {
    dbUrl = TestDatabase.freshDatabase();
  }

  @BeforeEach
  void deploy(Vertx vertx) {
    core = new CoreFixture(vertx, dbUrl, 2_000).start();
  }

  private static String newOrg() {
    return "org-" + UUID.randomUUID();
  }

  private String enrol(String org, String password) {
    String siteId = UUID.randomUUID().toString();
    core.routers.set(siteId, password);
    core.ok(Addresses.SITE_PUT, CoreFixture.siteBody(siteId, org, password));
    return siteId;
  }

  private static JsonObject policy(String org, String siteId) {
    JsonObject p = new JsonObject().put(Fields.ORG_ID, org).put(Fields.ACTOR, "tester");
    return siteId == null ? p : p.put(Fields.SITE_ID, siteId);
  }

  private static JsonObject period(String org, String siteId, long seconds, long window) {
    return policy(org, siteId).put(Fields.ROTATION_PERIOD_SECONDS, seconds).put(Fields.ROTATION_WINDOW_SECONDS, window);
  }

  private JsonObject site(String org, String siteId) {
    return core.ok(Addresses.SITE_GET, new JsonObject().put(Fields.SITE_ID, siteId).put(Fields.ORG_ID, org));
  }

  private Instant nextRotation(String org, String siteId) {
    String next = site(org, siteId).getString(Fields.NEXT_ROTATION_AT);
    return next == null ? null : Instant.parse(next);
  }

  /** Makes the site's next look due now, as if its time had come. */
  private void due(String siteId) {
    core.jdbc.exec("UPDATE sites SET next_rotation_at = now() - interval '1 second',"
        + " rotation_due_at = now() - interval '1 second' WHERE id = ?::uuid", siteId);
  }

  @Test
  @DisplayName("policies: put, get and delete an organisation's default and a site's override; bad ones are 400s")
  void policyCrud() {
    String org = newOrg();
    assertThat(core.failure(Addresses.POLICY_GET, policy(org, null))).isEqualTo(Failure.POLICY_NOT_FOUND);
    JsonObject stored = core.ok(Addresses.POLICY_PUT, period(org, null, 3600, 60)
        .put(Fields.DRIFT_CHECK_PERIOD_SECONDS, 600));
    assertThat(stored.getLong(Fields.ROTATION_PERIOD_SECONDS)).isEqualTo(3600);
    assertThat(stored.getValue(Fields.SITE_ID)).isNull();
    assertThat(core.ok(Addresses.POLICY_GET, policy(org, null)).getLong(Fields.DRIFT_CHECK_PERIOD_SECONDS))
        .isEqualTo(600);
    JsonObject cron = core.ok(Addresses.POLICY_PUT, policy(org, null).put(Fields.ROTATION_SCHEDULE, "0 3 * * 1-5"));
    assertThat(cron.getString(Fields.ROTATION_SCHEDULE)).isEqualTo("0 3 * * 1-5");
    assertThat(cron.getValue(Fields.ROTATION_PERIOD_SECONDS)).isNull();

    for (JsonObject bad : List.of(period(org, null, 59, 0), policy(org, null),
        period(org, null, 3600, 0).put(Fields.ROTATION_SCHEDULE, "0 3 * * *"),
        policy(org, null).put(Fields.ROTATION_SCHEDULE, "61 * * * *"),
        policy(org, null).put(Fields.ROTATION_SCHEDULE, "0 0 30 2 *"),
        policy(org, null).put(Fields.ROTATION_SCHEDULE, "* * *"),
        period(org, null, 3600, 0).put(Fields.DRIFT_CHECK_PERIOD_SECONDS, 10),
        period(org, null, 3600, -1))) {
      assertThat(core.failure(Addresses.POLICY_PUT, bad)).as(bad.encode()).isEqualTo(Failure.INVALID_REQUEST);
    }

    String site = enrol(org, "Policy-Crud-Bootstrap");
    assertThat(core.failure(Addresses.POLICY_GET, policy(org, site))).isEqualTo(Failure.POLICY_NOT_FOUND);
    core.ok(Addresses.POLICY_PUT, period(org, site, 120, 0));
    assertThat(core.ok(Addresses.POLICY_GET, policy(org, site)).getString(Fields.SITE_ID)).isEqualTo(site);
    // Another organisation's site is not found, whatever it holds.
    assertThat(core.failure(Addresses.POLICY_GET, policy(newOrg(), site))).isEqualTo(Failure.SITE_NOT_FOUND);
    assertThat(core.failure(Addresses.POLICY_PUT, period(newOrg(), site, 120, 0))).isEqualTo(Failure.SITE_NOT_FOUND);

    assertThat(core.ok(Addresses.POLICY_DELETE, policy(org, site)).getBoolean(Fields.DELETED)).isTrue();
    assertThat(core.failure(Addresses.POLICY_DELETE, policy(org, site))).isEqualTo(Failure.POLICY_NOT_FOUND);
    core.ok(Addresses.POLICY_DELETE, policy(org, null));
    assertThat(core.failure(Addresses.POLICY_GET, policy(org, null))).isEqualTo(Failure.POLICY_NOT_FOUND);
    assertThat(core.audit(site)).extracting(r -> r.get("action")).contains("policy.put", "policy.delete");
  }

  @Test
  @DisplayName("the scheduler plans a site from the policy in force (a site's override over its organisation's"
      + " default), rotates it when due and plans the next rotation inside the window")
  void rotatesDueSites() {
    String org = newOrg();
    core.ok(Addresses.POLICY_PUT, period(org, null, 3600, 600));
    String plain = enrol(org, "Scheduled-Default-Bootstrap");
    String overridden = enrol(org, "Scheduled-Override-Bootstrap");
    core.ok(Addresses.POLICY_PUT, period(org, overridden, 120, 0));
    String otherOrg = newOrg();
    record Ref(String org, String id) {
    }
    Ref none = new Ref(otherOrg, enrol(otherOrg, "Scheduled-None-Bootstrap"));

    Instant before = Instant.now().minusSeconds(1);
    core.schedule();
    Instant after = Instant.now().plusSeconds(1);
    assertThat(nextRotation(org, plain)).isBetween(before.plusSeconds(3600), after.plusSeconds(4200));
    assertThat(nextRotation(org, overridden)).isBetween(before.plusSeconds(120), after.plusSeconds(120));
    assertThat(site(org, plain).getString(Fields.NEXT_ROTATION_AT)).isNotNull();
    assertThat(site(org, plain).getString(Fields.LAST_ROTATED_AT)).isNotNull();
    assertThat(nextRotation(none.org(), none.id())).isNull();
    assertThat(core.routers.password(plain)).isEqualTo("Scheduled-Default-Bootstrap");

    due(plain);
    before = Instant.now().minusSeconds(1);
    core.schedule();
    after = Instant.now().plusSeconds(1);
    String rotated = core.routers.password(plain);
    assertThat(rotated).isNotEqualTo("Scheduled-Default-Bootstrap");
    assertThat(core.ok(Addresses.CREDENTIALS_GET, new JsonObject().put(Fields.SITE_ID, plain).put(Fields.ORG_ID, org))
        .getString(Fields.PASSWORD)).isEqualTo(rotated);
    assertThat(nextRotation(org, plain)).isBetween(before.plusSeconds(3600), after.plusSeconds(4200));
    assertThat(Instant.parse(site(org, plain).getString(Fields.LAST_ROTATED_AT))).isAfter(before.minusSeconds(1));
    assertThat(core.audit(plain)).anySatisfy(r -> {
      assertThat(r.get("actor")).isEqualTo(Scheduler.ACTOR);
      assertThat(r.get("outcome")).isEqualTo("applied");
    });
    // Not due: untouched.
    assertThat(core.routers.password(overridden)).isEqualTo("Scheduled-Override-Bootstrap");
    assertThat(core.registry.get(FleetMetrics.SCHEDULED).tag("outcome", FleetMetrics.ROTATED).counter().count())
        .isGreaterThanOrEqualTo(1);
  }

  @Test
  @DisplayName("a site without a policy has no next rotation; deleting the override falls back to the default")
  void noPolicy() {
    String org = newOrg();
    String site = enrol(org, "No-Policy-Bootstrap");
    core.schedule();
    assertThat(nextRotation(org, site)).isNull();
    core.ok(Addresses.POLICY_PUT, period(org, site, 600, 0));
    core.schedule();
    assertThat(nextRotation(org, site)).isNotNull();
    core.ok(Addresses.POLICY_DELETE, policy(org, site));
    core.schedule();
    assertThat(nextRotation(org, site)).isNull();
  }

  @Test
  @DisplayName("a failing scheduled rotation backs off exponentially and after maxAttempts the site is out_of_sync")
  void backOffThenOutOfSync() {
    String org = newOrg();
    core.ok(Addresses.POLICY_PUT, period(org, null, 3600, 0));
    String site = enrol(org, "Backoff-Bootstrap");
    core.schedule();
    core.routers.mode = FakeRouters.Mode.UNREACHABLE;
    try {
      int max = core.config.scheduler().maxAttempts();
      for (int attempt = 1; attempt < max; attempt++) {
        due(site);
        Instant before = Instant.now();
        core.schedule();
        long delay = Scheduler.backOffMs(attempt - 1, core.config.scheduler().backoffBaseMs(),
            core.config.scheduler().backoffMaxMs());
        Map<String, Object> row = core.jdbc.query("SELECT rotation_attempts, next_rotation_at, status FROM sites"
            + " WHERE id = ?::uuid", site).get(0);
        assertThat(row.get("rotation_attempts")).isEqualTo(attempt);
        assertThat(row.get("status")).isEqualTo("in_sync");
        Instant next = ((java.sql.Timestamp) row.get("next_rotation_at")).toInstant();
        assertThat(next).isAfterOrEqualTo(before.plusMillis(delay).minusSeconds(1));
        assertThat(next).isBeforeOrEqualTo(Instant.now().plusMillis(delay).plusSeconds(1));
      }
      due(site);
      core.schedule();
      assertThat(site(org, site).getString(Fields.STATUS)).isEqualTo("out_of_sync");
      assertThat(core.audit(site)).anySatisfy(r -> {
        assertThat(r.get("action")).isEqualTo("credential.schedule");
        assertThat(r.get("outcome")).isEqualTo("out_of_sync");
      });
      // The next occurrence is planned; a site out of sync is left to the reconciler when it falls due.
      assertThat(nextRotation(org, site)).isAfter(Instant.now().plusSeconds(3000));
      due(site);
      core.schedule();
      assertThat(core.registry.get(FleetMetrics.SCHEDULED).tag("outcome", FleetMetrics.SKIPPED).counter().count())
          .isGreaterThanOrEqualTo(1);
    } finally {
      core.routers.mode = FakeRouters.Mode.NORMAL;
    }
  }

  @Test
  @DisplayName("two processes on one database share due sites: each due site is rotated exactly once")
  void twoSchedulers(Vertx vertx) {
    String org = newOrg();
    core.ok(Addresses.POLICY_PUT, period(org, null, 3600, 0));
    List<String> sites = new ArrayList<>();
    for (int i = 0; i < 12; i++) {
      sites.add(enrol(org, "Two-Schedulers-" + i));
    }
    core.schedule();
    CoreVerticle second = new CoreVerticle(core.config, new SimpleMeterRegistry());
    await(vertx.deployVerticle(second));
    try {
      sites.forEach(this::due);
      int applies = core.routers.applies.get();
      List<Integer> handled = await(Future.all(core.verticle.scheduleNow(), second.scheduleNow())).list();
      assertThat(handled.stream().mapToInt(Integer::intValue).sum()).isGreaterThanOrEqualTo(sites.size());
      assertThat(core.routers.applies.get() - applies).isEqualTo(sites.size());
      for (String site : sites) {
        assertThat(core.count("CURRENT", site)).isEqualTo(1);
        assertThat(core.count("PREVIOUS", site)).as("rotated once").isEqualTo(1);
        assertThat(core.routers.password(site)).doesNotStartWith("Two-Schedulers-");
      }
    } finally {
      await(vertx.undeploy(second.deploymentID()));
    }
  }

  @Test
  @DisplayName("the due query is an index range scan, however large the fleet")
  void dueQueryUsesTheIndex() {
    core.jdbc.exec("INSERT INTO sites (id, org_id, username, ip_address, api_port, server_ip, next_rotation_at)"
        + " SELECT gen_random_uuid(), 'bulk-org', 'api', '198.51.100.' || (n % 250) || '-' || n, 8728, 'edge-bulk',"
        + " now() + make_interval(secs => n) FROM generate_series(1, 20000) n");
    core.jdbc.exec("ANALYZE sites");
    List<Map<String, Object>> plan = core.jdbc.query("EXPLAIN SELECT id FROM sites WHERE deleted_at IS NULL"
        + " AND next_rotation_at IS NOT NULL AND next_rotation_at <= now() ORDER BY next_rotation_at LIMIT 200"
        + " FOR UPDATE SKIP LOCKED");
    assertThat(plan.toString()).contains("sites_next_rotation");
    core.jdbc.exec("DELETE FROM sites WHERE org_id = 'bulk-org'");
  }

  @Test
  @DisplayName("an enrolment rotates the bootstrap password at once, unless rotate_on_enrol is false")
  void rotateOnEnrol() {
    String org = newOrg();
    String owned = UUID.randomUUID().toString();
    core.routers.set(owned, "Seen-By-People-1");
    JsonObject body = CoreFixture.siteBody(owned, org, "Seen-By-People-1");
    body.remove(Fields.ROTATE_ON_ENROL);
    JsonObject reply = core.ok(Addresses.SITE_PUT, body);
    assertThat(reply.getString(Fields.STATUS)).isEqualTo("in_sync");
    assertThat(reply.getString(Fields.LAST_ROTATED_AT)).isNotNull();
    String now = core.routers.password(owned);
    assertThat(now).isNotEqualTo("Seen-By-People-1");
    assertThat(core.ok(Addresses.CREDENTIALS_GET, new JsonObject().put(Fields.SITE_ID, owned).put(Fields.ORG_ID, org))
        .getString(Fields.PASSWORD)).isEqualTo(now);

    String kept = enrol(org, "Seen-By-People-2");
    assertThat(core.routers.password(kept)).isEqualTo("Seen-By-People-2");

    // The rotation fails: the enrolment answers its failure, and the site stays enrolled with the bootstrap password.
    String failing = UUID.randomUUID().toString();
    core.routers.set(failing, "Seen-By-People-3");
    core.routers.holdApplies = null;
    JsonObject failingBody = CoreFixture.siteBody(failing, org, "Seen-By-People-3").put(Fields.ROTATE_ON_ENROL, true);
    core.routers.mode = FakeRouters.Mode.UNKNOWN_NOT_APPLIED;
    try {
      assertThat(core.failure(Addresses.SITE_PUT, failingBody)).isEqualTo(Failure.DEVICE_OUTCOME_UNKNOWN);
    } finally {
      core.routers.mode = FakeRouters.Mode.NORMAL;
    }
    assertThat(site(org, failing).getString(Fields.SITE_ID)).isEqualTo(failing);
  }
}
