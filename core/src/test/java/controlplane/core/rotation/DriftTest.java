package controlplane.core.rotation;

import static org.assertj.core.api.Assertions.assertThat;

import controlplane.core.bus.Addresses;
import controlplane.core.bus.Fields;
import controlplane.core.testing.TestDatabase;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Drift checks and repairs by the reconcile account, on a real PostgreSQL with scripted routers. */
@ExtendWith(VertxExtension.class)
class DriftTest {

  private static final long DRIFT_PERIOD = 600;
  private static String dbUrl;
  private CoreFixture core;
  private String org;

  @BeforeAll
  static void database() {
    dbUrl = TestDatabase.freshDatabase();
  }

  @BeforeEach
  void deploy(Vertx vertx) {
    core = new CoreFixture(vertx, dbUrl, 2_000).start();
    org = "org-" + UUID.randomUUID();
    core.ok(Addresses.POLICY_PUT, new JsonObject().put(Fields.ORG_ID, org).put(Fields.ACTOR, "tester")
        .put(Fields.ROTATION_PERIOD_SECONDS, 864_000).put(Fields.DRIFT_CHECK_PERIOD_SECONDS, DRIFT_PERIOD));
  }

  private String enrol(String password, String reconcilePassword) {
    String siteId = UUID.randomUUID().toString();
    core.routers.set(siteId, password);
    JsonObject body = CoreFixture.siteBody(siteId, org, password);
    if (reconcilePassword != null) {
      core.routers.reconcile.put(siteId, reconcilePassword);
      body.put(Fields.RECONCILE_USERNAME, "cp-reconcile").put(Fields.RECONCILE_PASSWORD, reconcilePassword);
    }
    JsonObject reply = core.ok(Addresses.SITE_PUT, body);
    if (reconcilePassword != null) {
      assertThat(reply.encode()).doesNotContain(reconcilePassword);
    }
    core.schedule();
    return siteId;
  }

  /** Checks the site now: its next check made due, one pass of the drift checks. */
  private void check(String siteId) {
    core.jdbc.exec("UPDATE sites SET next_drift_check_at = now() - interval '1 second' WHERE id = ?::uuid", siteId);
    core.driftCheck();
  }

  private JsonObject ref(String siteId) {
    return new JsonObject().put(Fields.SITE_ID, siteId).put(Fields.ORG_ID, org);
  }

  private String status(String siteId) {
    return core.ok(Addresses.SITE_GET, ref(siteId)).getString(Fields.STATUS);
  }

  private String stored(String siteId) {
    return core.ok(Addresses.CREDENTIALS_GET, ref(siteId)).getString(Fields.PASSWORD);
  }

  private double drift(String result) {
    return core.registry.get(FleetMetrics.DRIFT_CHECKS).tag("result", result).counter().count();
  }

  private List<String> outcomes(String siteId, String action) {
    return core.audit(siteId).stream().filter(r -> action.equals(r.get("action")))
        .map(r -> (String) r.get("outcome")).toList();
  }

  @Test
  @DisplayName("a current password that logs in: ok, nothing changes, the next check is a period away")
  void ok() {
    String site = enrol("Drift-Ok-1", null);
    Map<String, Object> planned = core.jdbc.query("SELECT next_drift_check_at FROM sites WHERE id = ?::uuid", site)
        .get(0);
    assertThat(planned.get("next_drift_check_at")).as("planned inside the period").isNotNull();
    double before = drift(FleetMetrics.OK);
    int applies = core.routers.applies.get();
    check(site);
    assertThat(drift(FleetMetrics.OK)).isEqualTo(before + 1);
    assertThat(core.routers.applies.get()).isEqualTo(applies);
    assertThat(stored(site)).isEqualTo("Drift-Ok-1");
    Instant next = ((java.sql.Timestamp) core.jdbc.query("SELECT next_drift_check_at FROM sites WHERE id = ?::uuid",
        site).get(0).get("next_drift_check_at")).toInstant();
    assertThat(next).isAfter(Instant.now().plusSeconds(DRIFT_PERIOD - 60));
  }

  @Test
  @DisplayName("a router back on its previous password: drift detected, the previous one adopted, nothing pushed")
  void adopted() {
    String site = enrol("Drift-Adopt-1", null);
    String rotated = core.ok(Addresses.ROTATE, ref(site).put(Fields.ACTOR, "tester")).getString(Fields.PASSWORD);
    core.routers.set(site, "Drift-Adopt-1"); // restored from a backup
    int applies = core.routers.applies.get();
    check(site);
    assertThat(stored(site)).isEqualTo("Drift-Adopt-1");
    assertThat(core.routers.applies.get()).isEqualTo(applies);
    assertThat(status(site)).isEqualTo("in_sync");
    assertThat(outcomes(site, DriftChecker.DETECTED)).containsExactly("detected");
    assertThat(outcomes(site, DriftChecker.REPAIRED)).containsExactly("adopted");
    assertThat(rotated).isNotEqualTo("Drift-Adopt-1");
  }

  @Test
  @DisplayName("nothing known logs in: the reconcile account sets a fresh password, pending first, then current")
  void repaired() {
    String site = enrol("Drift-Repair-1", "Reconcile-Secret-1");
    core.routers.set(site, "Changed-By-Someone-1");
    double repairs = core.registry.get(FleetMetrics.REPAIRS).tag("outcome", FleetMetrics.REPAIRED).counter().count();
    check(site);
    String now = core.routers.password(site);
    assertThat(now).isNotEqualTo("Changed-By-Someone-1").isNotEqualTo("Drift-Repair-1");
    assertThat(stored(site)).isEqualTo(now);
    assertThat(status(site)).isEqualTo("in_sync");
    assertThat(outcomes(site, DriftChecker.REPAIRED)).containsExactly("repaired");
    assertThat(outcomes(site, "credential.rotate")).containsExactly("pending", "applied");
    assertThat(core.registry.get(FleetMetrics.REPAIRS).tag("outcome", FleetMetrics.REPAIRED).counter().count())
        .isEqualTo(repairs + 1);
    // The reconcile password is sealed and never shown.
    assertThat(core.jdbc.query("SELECT count(*) AS n FROM reconcile_accounts WHERE site_id = ?::uuid"
        + " AND position(convert_to('Reconcile-Secret-1', 'UTF8') in sealed_password) = 0", site).get(0).get("n"))
        .isEqualTo(1L);
    assertThat(core.ok(Addresses.SITE_GET, ref(site)).encode()).doesNotContain("Reconcile-Secret-1")
        .doesNotContain("reconcile");
    assertThat(core.audit(site).toString()).doesNotContain("Reconcile-Secret-1");
  }

  @Test
  @DisplayName("nothing known logs in and no reconcile account (or one that is refused): out_of_sync")
  void outOfSync() {
    String site = enrol("Drift-Lost-1", null);
    core.routers.set(site, "Changed-By-Someone-2");
    check(site);
    assertThat(status(site)).isEqualTo("out_of_sync");
    assertThat(outcomes(site, DriftChecker.DETECTED)).containsExactly("detected", "out_of_sync");

    String refused = enrol("Drift-Lost-2", "Reconcile-Secret-2");
    core.routers.reconcile.put(refused, "Reconcile-Changed-Too");
    core.routers.set(refused, "Changed-By-Someone-3");
    double failed = core.registry.get(FleetMetrics.REPAIRS).tag("outcome", FleetMetrics.FAILED).counter().count();
    check(refused);
    assertThat(status(refused)).isEqualTo("out_of_sync");
    assertThat(core.routers.password(refused)).isEqualTo("Changed-By-Someone-3");
    assertThat(outcomes(refused, DriftChecker.REPAIRED)).containsExactly("failed");
    assertThat(core.registry.get(FleetMetrics.REPAIRS).tag("outcome", FleetMetrics.FAILED).counter().count())
        .isEqualTo(failed + 1);
    assertThat(core.count("PENDING", refused)).isZero();
  }

  @Test
  @DisplayName("an unreachable router is no drift: nothing changes")
  void unreachable() {
    String site = enrol("Drift-Unreachable-1", null);
    double before = drift(FleetMetrics.UNREACHABLE);
    core.routers.mode = FakeRouters.Mode.UNREACHABLE;
    try {
      check(site);
    } finally {
      core.routers.mode = FakeRouters.Mode.NORMAL;
    }
    assertThat(drift(FleetMetrics.UNREACHABLE)).isEqualTo(before + 1);
    assertThat(status(site)).isEqualTo("in_sync");
    assertThat(outcomes(site, DriftChecker.DETECTED)).isEmpty();
  }
}
