package controlplane.core.rotation;

import static org.assertj.core.api.Assertions.assertThat;

import controlplane.core.bus.Addresses;
import controlplane.core.bus.Failure;
import controlplane.core.rotation.FakeRouters.Mode;
import controlplane.core.testing.TestDatabase;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * No process serves the site's edge (no consumer of its device-push address nor of the catch-all one): a rotation
 * fails at once with edge_unavailable and leaves nothing pending; a pending version the reconciler probes while the
 * edge is away stays pending, untouched, and is settled once the edge is back.
 */
@ExtendWith(VertxExtension.class)
class EdgeUnavailableTest {

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
  @DisplayName("a rotation for an edge nobody serves answers edge_unavailable, its version failed, the router untouched")
  void rotationWithoutEdge() {
    String site = core.enrol("Edge-Gone-Enrolled-Password");
    String before = core.storedCurrent(site);
    CoreFixture.await(core.routers.unregister());

    assertThat(core.failure(Addresses.ROTATE, CoreFixture.siteRef(site))).isEqualTo(Failure.EDGE_UNAVAILABLE);
    assertThat(core.count("PENDING", site)).isZero();
    assertThat(core.count("FAILED", site)).isEqualTo(1);
    assertThat(core.storedCurrent(site)).isEqualTo(before).isEqualTo(core.routers.password(site));
    assertThat(core.audit(site)).last().satisfies(e -> assertThat(e.get("outcome")).isEqualTo("not_applied"));
    assertThat(core.registry.get("cp_rotations_total").tag("outcome", "not_applied").counter().count()).isEqualTo(1);

    // The edge is back: the next rotation goes through (no lease or pending version was left behind).
    CoreFixture.await(core.routers.register(core.vertx));
    core.rotate(site);
    assertThat(core.storedCurrent(site)).isEqualTo(core.routers.password(site)).isNotEqualTo(before);
  }

  @Test
  @DisplayName("resend and verification answer edge_unavailable too")
  void resendWithoutEdge() {
    String site = core.enrol("Edge-Gone-Resend-Password");
    CoreFixture.await(core.routers.unregister());
    assertThat(core.failure(Addresses.RESEND, CoreFixture.siteRef(site))).isEqualTo(Failure.EDGE_UNAVAILABLE);
    String other = java.util.UUID.randomUUID().toString();
    core.routers.set(other, "Edge-Gone-Verify-Password");
    assertThat(core.failure(Addresses.SITE_PUT, CoreFixture.siteBody(other, CoreFixture.ORG,
        "Edge-Gone-Verify-Password"))).isEqualTo(Failure.EDGE_UNAVAILABLE);
  }

  @Test
  @DisplayName("the reconciler leaves a pending version alone while its edge is away, and settles it when it is back")
  void reconcilerWaitsForEdge() {
    String site = core.enrol("Edge-Away-Enrolled-Password");
    core.routers.mode = Mode.UNKNOWN_APPLIED;
    assertThat(core.failure(Addresses.ROTATE, CoreFixture.siteRef(site))).isEqualTo(Failure.DEVICE_OUTCOME_UNKNOWN);
    core.routers.mode = Mode.NORMAL;
    String routerHas = core.routers.password(site);
    CoreFixture.await(core.routers.unregister());

    core.expireLeases();
    core.reconcile();
    assertThat(core.count("PENDING", site)).isEqualTo(1);
    assertThat(core.jdbc.query("SELECT attempts FROM credential_versions WHERE site_id = ?::uuid"
        + " AND state = 'PENDING'", site).get(0)).containsEntry("attempts", 0);
    assertThat(core.jdbc.query("SELECT status FROM sites WHERE id = ?::uuid", site).get(0))
        .containsEntry("status", "in_sync");

    CoreFixture.await(core.routers.register(core.vertx));
    core.expireLeases();
    core.reconcile();
    assertThat(core.count("PENDING", site)).isZero();
    assertThat(core.storedCurrent(site)).isEqualTo(routerHas);
  }
}
