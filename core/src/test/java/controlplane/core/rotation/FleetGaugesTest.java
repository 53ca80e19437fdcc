package controlplane.core.rotation;

import static org.assertj.core.api.Assertions.assertThat;

import controlplane.core.testing.TestDatabase;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** cp_sites{status} and cp_credential_age_max_seconds follow the database at each refresh. */
@ExtendWith(VertxExtension.class)
class FleetGaugesTest {

  @Test
  @DisplayName("live sites are counted per status, deleted ones not; the oldest current credential's age is shown")
  void countsAndAge(Vertx vertx) {
    CoreFixture core = new CoreFixture(vertx, TestDatabase.freshDatabase(), 2_000).start();
    String a = core.enrol("Fleet-Test-A");
    String b = core.enrol("Fleet-Test-B");
    String c = core.enrol("Fleet-Test-C");
    core.jdbc.exec("UPDATE sites SET status = 'out_of_sync' WHERE id = ?::uuid", b);
    core.jdbc.exec("UPDATE sites SET deleted_at = now() WHERE id = ?::uuid", c);
    core.jdbc.exec("UPDATE credential_versions SET created_at = now() - interval '2 days' WHERE site_id = ?::uuid", a);

    CoreFixture.await(core.verticle.refreshFleetGaugesNow());

    assertThat(gauge(core, "in_sync")).isEqualTo(1.0);
    assertThat(gauge(core, "out_of_sync")).isEqualTo(1.0);
    assertThat(gauge(core, "unverified")).isZero();
    assertThat(core.registry.get("cp_credential_age_max_seconds").gauge().value())
        .isBetween(2 * 86_400.0, 2 * 86_400.0 + 600);
  }

  private static double gauge(CoreFixture core, String status) {
    return core.registry.get("cp_sites").tag("status", status).gauge().value();
  }
}
