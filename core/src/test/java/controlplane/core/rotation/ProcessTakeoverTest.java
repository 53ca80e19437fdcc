package controlplane.core.rotation;

import static org.assertj.core.api.Assertions.assertThat;

import controlplane.core.bus.Addresses;
import controlplane.core.bus.RotationStep;
import controlplane.core.testing.TestDatabase;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * PENDING versions name their owner process (V12); a dead owner's version is taken over before its lease expires,
 * but settled early only when the router already accepts it. A dead owner is simulated by naming a process that never
 * heartbeat (the fixture's own process keeps beating).
 */
@ExtendWith(VertxExtension.class)
class ProcessTakeoverTest {

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

  @Test
  @DisplayName("the process registers itself, heartbeats, and names itself as the owner of the versions it takes")
  void ownerRecorded() {
    String site = core.enrol("Owner-Test-Enrolled");
    core.stopAt = RotationStep.PENDING_COMMITTED;
    core.failure(Addresses.ROTATE, CoreFixture.siteRef(site));
    core.stopAt = null;

    Object owner = pending(site).get("owner_process");
    assertThat(owner).isNotNull();
    assertThat(core.jdbc.query("SELECT heartbeat_at FROM cp_processes WHERE id = ?::uuid", owner.toString()))
        .hasSize(1);
    // Its owner is alive: the reconciler leaves the version to its lease.
    core.reconcile();
    assertThat(core.count("PENDING", site)).isEqualTo(1);
    assertThat(takeovers()).isZero();
    core.expireLeases();
    core.reconcile();
  }

  @Test
  @DisplayName("the router has the dead owner's pending password: promoted at once, before the lease expires")
  void deadOwnerAppliedIsPromoted() {
    String site = core.enrol("Applied-Test-Enrolled");
    core.stopAt = RotationStep.DEVICE_APPLIED;
    core.failure(Addresses.ROTATE, CoreFixture.siteRef(site));
    core.stopAt = null;
    String routerHas = core.routers.password(site);
    assertThat(core.storedCurrent(site)).isNotEqualTo(routerHas);
    ownerDied(site);

    core.reconcile();

    assertThat(core.count("PENDING", site)).isZero();
    assertThat(core.storedCurrent(site)).isEqualTo(routerHas);
    assertThat(core.states(site)).containsExactly("PREVIOUS", "CURRENT");
    assertThat(takeovers()).isEqualTo(1.0);
  }

  @Test
  @DisplayName("the router does not have the dead owner's pending password: left, with its lease, to the lease's end")
  void deadOwnerNotAppliedWaitsForTheLease() {
    String site = core.enrol("NotApplied-Test-Enrolled");
    core.stopAt = RotationStep.PENDING_COMMITTED;
    core.failure(Addresses.ROTATE, CoreFixture.siteRef(site));
    core.stopAt = null;
    ownerDied(site);
    Object lease = pending(site).get("lease_expires_at");

    core.reconcile();

    // A push of another process could still be landing: nothing is failed before the lease ends.
    Map<String, Object> after = pending(site);
    assertThat(after.get("lease_expires_at")).isEqualTo(lease);
    assertThat(after.get("owner_process")).as("taken over once").isNull();
    assertThat(takeovers()).isEqualTo(1.0);
    core.reconcile();
    assertThat(takeovers()).as("not taken over again").isEqualTo(1.0);

    core.expireLeases();
    core.reconcile();
    assertThat(core.states(site)).containsExactly("CURRENT", "FAILED");
    assertThat(core.storedCurrent(site)).isEqualTo(core.routers.password(site));
  }

  private void ownerDied(String site) {
    core.jdbc.exec("UPDATE credential_versions SET owner_process = '" + UUID.randomUUID()
        + "' WHERE site_id = '" + site + "' AND state = 'PENDING'");
  }

  private Map<String, Object> pending(String site) {
    return core.jdbc.query("SELECT owner_process, lease_expires_at FROM credential_versions WHERE site_id = ?::uuid"
        + " AND state = 'PENDING'", site).get(0);
  }

  private double takeovers() {
    return core.registry.get("cp_process_takeovers_total").counter().count();
  }
}
