package controlplane.core.rotation;

import static org.assertj.core.api.Assertions.assertThat;

import controlplane.core.bus.Addresses;
import controlplane.core.bus.Failure;
import controlplane.core.bus.Fields;
import controlplane.core.bus.RotationStep;
import controlplane.core.rotation.FakeRouters.Mode;
import controlplane.core.testing.TestDatabase;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The process dies between two steps of a rotation (simulated by the rotation hook), then the reconciler runs: every
 * case must end with a stored CURRENT password that logs in to the router.
 */
@ExtendWith(VertxExtension.class)
class ReconcilerTest {

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

  @ParameterizedTest(name = "stopped after {0}")
  // ROUTER_CHANGED is the device's step: the scripted routers of these tests do not call the hook.
  @EnumSource(value = RotationStep.class, names = "ROUTER_CHANGED", mode = EnumSource.Mode.EXCLUDE)
  @DisplayName("a rotation stopped after any step converges to a current password that logs in")
  void crashAfterStep(RotationStep step) {
    String site = core.enrol("Crash-Test-Enrolled-" + step);
    core.stopAt = step;
    assertThat(core.failure(Addresses.ROTATE, CoreFixture.siteRef(site))).isEqualTo(Failure.INTERNAL_ERROR);
    core.stopAt = null;
    // Only what was committed counts: a pending version still owns its lease, as after a real crash.
    core.expireLeases();
    core.reconcile();

    assertThat(core.count("PENDING", site)).isZero();
    assertThat(core.count("CURRENT", site)).isEqualTo(1);
    assertThat(core.storedCurrent(site)).isEqualTo(core.routers.password(site));
    if (step == RotationStep.PENDING_COMMITTED) {
      // The router was never asked: it kept its password, and the pending one is never used again.
      assertThat(core.states(site)).containsExactly("CURRENT", "FAILED");
    } else {
      assertThat(core.states(site)).containsExactly("PREVIOUS", "CURRENT");
    }
    // And the site can rotate again.
    assertThat(core.rotate(site).getString(Fields.PASSWORD)).isEqualTo(core.routers.password(site));
  }

  @Test
  @DisplayName("a pending version keeps its slot until its lease expires: the reconciler leaves it alone")
  void leaseRespected() {
    String site = core.enrol("Lease-Test-Enrolled");
    core.stopAt = RotationStep.PENDING_COMMITTED;
    core.failure(Addresses.ROTATE, CoreFixture.siteRef(site));
    core.stopAt = null;
    assertThat(core.failure(Addresses.ROTATE, CoreFixture.siteRef(site))).isEqualTo(Failure.ROTATION_IN_PROGRESS);
    core.reconcile();
    assertThat(core.count("PENDING", site)).isEqualTo(1);
    core.expireLeases();
    core.reconcile();
    assertThat(core.count("PENDING", site)).isZero();
  }

  @Test
  @DisplayName("a router back on the previous password makes previous current again, losing no password")
  void previousLogsIn() {
    String site = core.enrol("Previous-Test-Enrolled");
    String rotated = core.rotate(site).getString(Fields.PASSWORD);
    core.routers.mode = Mode.UNKNOWN_NOT_APPLIED;
    core.failure(Addresses.ROTATE, CoreFixture.siteRef(site));
    core.routers.mode = Mode.NORMAL;
    // The router was restored from a backup meanwhile.
    core.routers.set(site, "Previous-Test-Enrolled");
    core.reconcile();

    assertThat(core.storedCurrent(site)).isEqualTo("Previous-Test-Enrolled");
    assertThat(core.states(site)).containsExactly("CURRENT", "PREVIOUS", "FAILED");
    assertThat(core.jdbc.query("SELECT invalidated_at FROM credential_versions WHERE site_id = ?::uuid"
        + " AND state = 'CURRENT'", site).get(0).get("invalidated_at")).isNull();
    // The rotated password is kept as previous: the next rotation may still log in with it.
    core.routers.set(site, rotated);
    assertThat(core.rotate(site).getString(Fields.PASSWORD)).isEqualTo(core.routers.password(site));
    assertThat(core.audit(site)).extracting(r -> r.get("outcome")).contains("restored_previous");
  }

  @Test
  @DisplayName("no known password logs in: the site is out_of_sync, audited and counted, and re-enrolment heals it")
  void noneLogsIn() {
    String site = core.enrol("OutOfSync-Test-Enrolled");
    core.routers.mode = Mode.UNKNOWN_NOT_APPLIED;
    core.failure(Addresses.ROTATE, CoreFixture.siteRef(site));
    core.routers.mode = Mode.NORMAL;
    core.routers.set(site, "Somebody-Else-Set-This");
    core.reconcile();

    assertThat(core.ok(Addresses.SITE_GET, CoreFixture.siteRef(site)).getString(Fields.STATUS))
        .isEqualTo("out_of_sync");
    assertThat(core.registry.get("cp_sites_out_of_sync").gauge().value()).isEqualTo(1.0);
    assertThat(core.registry.get("cp_reconciler_settled_total").tag("result", "out_of_sync").counter().count())
        .isEqualTo(1);
    assertThat(core.audit(site)).extracting(r -> r.get("actor") + "/" + r.get("outcome"))
        .contains("reconciler/out_of_sync");
    // Nothing was guessed: the stored current password is unchanged and the pending one kept (FAILED, sealed).
    assertThat(core.storedCurrent(site)).isEqualTo("OutOfSync-Test-Enrolled");
    assertThat(core.states(site)).containsExactly("CURRENT", "FAILED");

    core.ok(Addresses.SITE_PUT, CoreFixture.siteBody(site, CoreFixture.ORG, "Somebody-Else-Set-This"));
    assertThat(core.ok(Addresses.SITE_GET, CoreFixture.siteRef(site)).getString(Fields.STATUS)).isEqualTo("in_sync");
    core.reconcile();
    assertThat(core.registry.get("cp_sites_out_of_sync").gauge().value()).isZero();
  }

  @Test
  @DisplayName("an unreachable router is retried later with a growing back-off, the pending version kept")
  void unreachableBacksOff() {
    String site = core.enrol("Unreachable-Test-Enrolled");
    core.routers.mode = Mode.UNKNOWN_APPLIED;
    core.failure(Addresses.ROTATE, CoreFixture.siteRef(site));
    String routerHas = core.routers.password(site);
    core.routers.mode = Mode.UNREACHABLE;
    core.reconcile();

    Map<String, Object> pending = core.jdbc.query("SELECT attempts, lease_expires_at > now() AS leased"
        + " FROM credential_versions WHERE site_id = ?::uuid AND state = 'PENDING'", site).get(0);
    assertThat(pending).containsEntry("attempts", 1).containsEntry("leased", true);
    assertThat(core.registry.get("cp_credentials_pending").gauge().value()).isEqualTo(1.0);
    core.expireLeases();
    core.reconcile();
    assertThat(core.jdbc.query("SELECT attempts FROM credential_versions WHERE site_id = ?::uuid"
        + " AND state = 'PENDING'", site).get(0)).containsEntry("attempts", 2);

    core.routers.mode = Mode.NORMAL;
    core.expireLeases();
    core.reconcile();
    assertThat(core.storedCurrent(site)).isEqualTo(routerHas);
    assertThat(core.registry.get("cp_credentials_pending").gauge().value()).isZero();
  }

  @Test
  @DisplayName("the back-off doubles from the lease up to a cap")
  void backOffGrows() {
    assertThat(Reconciler.backOffSeconds(0, 60)).isEqualTo(60);
    assertThat(Reconciler.backOffSeconds(1, 60)).isEqualTo(120);
    assertThat(Reconciler.backOffSeconds(3, 60)).isEqualTo(480);
    assertThat(Reconciler.backOffSeconds(30, 60)).isEqualTo(Reconciler.BACKOFF_CAP_SECONDS);
  }

  @Test
  @DisplayName("a rejected pending password is never pushed again: the next rotation uses a new one")
  void rejectedNeverReused() {
    String site = core.enrol("Reuse-Test-Enrolled");
    core.routers.mode = Mode.UNKNOWN_NOT_APPLIED;
    core.failure(Addresses.ROTATE, CoreFixture.siteRef(site));
    core.routers.mode = Mode.NORMAL;
    core.reconcile();
    java.util.Set<String> before = new java.util.HashSet<>(core.routers.seen);
    String next = core.rotate(site).getString(Fields.PASSWORD);
    assertThat(before).doesNotContain(next);
  }

  @Test
  @DisplayName("an enrolment without verification is unverified until a login succeeds; enrolling again with wrong"
      + " passwords never hides the one that works: the re-check adopts it")
  void unverifiedEnrolments() {
    String site = core.enrol("Works-Enrolled-1");
    JsonObject first = core.ok(Addresses.SITE_PUT, CoreFixture.siteBody(site, CoreFixture.ORG, "Wrong-Password-2")
        .put(Fields.VERIFY, false));
    assertThat(first.getString(Fields.STATUS)).isEqualTo("unverified");
    core.ok(Addresses.SITE_PUT, CoreFixture.siteBody(site, CoreFixture.ORG, "Wrong-Password-3")
        .put(Fields.VERIFY, false));
    assertThat(core.states(site)).containsExactlyInAnyOrder("SUPERSEDED", "PREVIOUS", "CURRENT");

    core.reconcile();
    assertThat(core.ok(Addresses.SITE_GET, CoreFixture.siteRef(site)).getString(Fields.STATUS)).isEqualTo("in_sync");
    assertThat(core.storedCurrent(site)).isEqualTo("Works-Enrolled-1").isEqualTo(core.routers.password(site));
    assertThat(core.rotate(site).getString(Fields.PASSWORD)).isEqualTo(core.routers.password(site));
  }
}
