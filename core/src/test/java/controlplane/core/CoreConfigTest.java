package controlplane.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import controlplane.core.network.NetworkRule;
import io.vertx.core.json.JsonObject;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class CoreConfigTest {

  @Test
  @DisplayName("fromJson reads every core key, accepts numbers given as strings, and defaults the rest")
  void binds() {
    CoreConfig c = CoreConfig.fromJson(new JsonObject("""
        {"database": {"url": "postgresql://cp:s%40cret@db.example:6543/control", "poolSize": "4"},
         "crypto": {"keys": {"k1": "AAAA", "k2": "BBBB"}, "activeKey": "k2"},
         "rotation": {"passwordLength": 40, "leaseSeconds": 90, "deviceTimeoutMs": 5000},
         "reconciler": {"intervalMs": 2500},
         "http": {"port": 8080}}"""));
    assertThat(c.database().poolSize()).isEqualTo(4);
    assertThat(c.database().jdbcUrl()).isEqualTo("jdbc:postgresql://db.example:6543/control?sslmode=disable");
    assertThat(c.database().connectOptions().getUser()).isEqualTo("cp");
    assertThat(c.database().connectOptions().getPassword()).isEqualTo("s@cret");
    assertThat(c.crypto().keys()).containsOnlyKeys("k1", "k2");
    assertThat(c.crypto().activeKey()).isEqualTo("k2");
    assertThat(c.crypto().toString()).doesNotContain("AAAA");
    assertThat(c.rotation()).isEqualTo(new CoreConfig.Rotation(40, 90, 5000));
    assertThat(c.rotation().effectiveLeaseSeconds()).isEqualTo(90);
    // Such a lease is refused at start (leaseRefusedBelowOneDeviceOperation); a Rotation built without that check is
    // still held past one device operation: never probe while a change may be landing.
    assertThat(new CoreConfig.Rotation(32, 2, 30_000).effectiveLeaseSeconds()).isEqualTo(31);
    assertThat(c.reconciler().intervalMs()).isEqualTo(2500);

    CoreConfig defaults = CoreConfig.fromJson(new JsonObject());
    assertThat(defaults.database().url()).isNull();
    assertThat(defaults.database().poolSize()).isEqualTo(16);
    assertThat(defaults.rotation()).isEqualTo(new CoreConfig.Rotation(32, 60, 30_000));
    assertThat(defaults.reconciler().intervalMs()).isEqualTo(10_000);
    assertThat(defaults.crypto().keys()).isEmpty();
    assertThat(defaults.retention()).isEqualTo(CoreConfig.Retention.DEFAULTS)
        .isEqualTo(new CoreConfig.Retention(30, 3, 400, 30, 30, 3_600_000, 1000, 100));
  }

  @Test
  @DisplayName("a lease not longer than one device operation is refused, naming rotation.leaseSeconds and the timeout")
  void leaseRefusedBelowOneDeviceOperation() {
    CoreConfig.Rotation shortLease = CoreConfig.fromJson(new JsonObject()
        .put("rotation", new JsonObject().put("leaseSeconds", 5))).rotation();
    assertThat(shortLease.problem()).isEqualTo("rotation.leaseSeconds (5) must be at least 31: longer than the"
        + " longest device operation, rotation.deviceTimeoutMs (30000 ms)");
    // The smallest accepted lease outlasts the device timeout, rounded up, by a second.
    assertThat(new CoreConfig.Rotation(32, 31, 30_000).problem()).isNull();
    assertThat(new CoreConfig.Rotation(32, 30, 30_000).problem()).startsWith("rotation.leaseSeconds (30)");
    assertThat(new CoreConfig.Rotation(32, 4, 2_500).problem()).isNull();
    assertThat(new CoreConfig.Rotation(32, 3, 2_500).problem()).startsWith("rotation.leaseSeconds (3) must be at"
        + " least 4");
    assertThat(CoreConfig.fromJson(new JsonObject()).rotation().problem()).isNull();
    assertThat(new CoreConfig.Rotation(8, 60, 30_000).problem()).startsWith("rotation.passwordLength");
    assertThat(new CoreConfig.Rotation(32, 60, 0).problem()).startsWith("rotation.deviceTimeoutMs");
  }

  @Test
  @DisplayName("the longest request core may work on: a probe and an apply, plus the margin for the database")
  void longestRequest() {
    assertThat(CoreConfig.fromJson(new JsonObject()).rotation().longestRequestMs()).isEqualTo(65_000);
    assertThat(new CoreConfig.Rotation(32, 11, 10_000).longestRequestMs())
        .isEqualTo(2 * 10_000 + CoreConfig.Rotation.REQUEST_MARGIN_MS);
  }

  @Test
  @DisplayName("retention binds every key, fractions of days too (seconds' worth for a soak), and refuses nonsense")
  void retention() {
    CoreConfig c = CoreConfig.fromJson(new JsonObject("""
        {"retention": {"versionDays": 0.000116, "keepVersions": "5", "auditDays": 90, "deletedSiteDays": "7.5",
                       "jobDays": "2", "housekeepingIntervalMs": 5000, "batchSize": 200, "batchPauseMs": 0}}"""));
    assertThat(c.retention()).isEqualTo(new CoreConfig.Retention(0.000116, 5, 90, 7.5, 2, 5000, 200, 0));
    assertThat(c.retention().jobSeconds()).isEqualTo(2 * 86_400.0);
    assertThat(c.retention().versionSeconds()).isCloseTo(10.0, org.assertj.core.data.Offset.offset(0.03));
    assertThat(c.retention().deletedSiteSeconds()).isEqualTo(7.5 * 86_400);
    assertThat(c.retention().auditSeconds()).isEqualTo(90 * 86_400.0);
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> CoreConfig.fromJson(new JsonObject()
        .put("retention", new JsonObject().put("batchSize", 0)))).isInstanceOf(IllegalArgumentException.class);
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> CoreConfig.fromJson(new JsonObject()
        .put("retention", new JsonObject().put("versionDays", -1)))).isInstanceOf(IllegalArgumentException.class);
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> CoreConfig.fromJson(new JsonObject()
        .put("retention", new JsonObject().put("jobDays", -1)))).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  @DisplayName("enrolment: production (database.url set) denies loopback too, embedded allows it; explicit lists win")
  void enrolment() {
    JsonObject production = new JsonObject().put("database", new JsonObject().put("url", "postgresql://db/cp"));
    assertThat(CoreConfig.fromJson(production).enrolment())
        .isEqualTo(new CoreConfig.Enrolment(NetworkRule.PRODUCTION_DENIED, List.of(), 60));
    assertThat(NetworkRule.PRODUCTION_DENIED)
        .containsExactly("loopback", "link-local", "unspecified", "multicast", "host-addresses");
    assertThat(CoreConfig.fromJson(new JsonObject()).enrolment().deniedNetworks())
        .isEqualTo(NetworkRule.EMBEDDED_DENIED)
        .containsExactly("link-local", "unspecified", "multicast", "host-addresses");
    // The composition root fills database.url with the embedded server's and says so.
    assertThat(CoreConfig.fromJson(production, true).enrolment().deniedNetworks())
        .isEqualTo(NetworkRule.EMBEDDED_DENIED);

    CoreConfig.Enrolment explicit = CoreConfig.fromJson(production.copy().put("enrolment", new JsonObject("""
        {"deniedNetworks": ["10.9.0.0/16", "multicast"], "allowedNetworks": ["10.0.0.0/8", "fd00::/8"],
         "ratePerMinute": "5"}"""))).enrolment();
    assertThat(explicit).isEqualTo(new CoreConfig.Enrolment(List.of("10.9.0.0/16", "multicast"),
        List.of("10.0.0.0/8", "fd00::/8"), 5));
    // From environment variables (a key whose default is null arrives as the raw string): JSON or comma-separated.
    assertThat(CoreConfig.fromJson(production.copy().put("enrolment", new JsonObject()
        .put("deniedNetworks", "loopback, 192.0.2.0/24"))).enrolment().deniedNetworks())
        .containsExactly("loopback", "192.0.2.0/24");
    assertThat(CoreConfig.fromJson(production.copy().put("enrolment", new JsonObject()
        .put("deniedNetworks", "[\"::1/128\"]"))).enrolment().deniedNetworks()).containsExactly("::1/128");
    assertThat(CoreConfig.fromJson(production.copy().put("enrolment", new JsonObject()
        .put("deniedNetworks", ""))).enrolment().deniedNetworks()).isEmpty();

    assertThatThrownBy(() -> CoreConfig.fromJson(production.copy().put("enrolment", new JsonObject()
        .put("deniedNetworks", List.of("10.0.0.0/33")))))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("enrolment.deniedNetworks")
        .hasMessageContaining("10.0.0.0/33");
    assertThatThrownBy(() -> CoreConfig.fromJson(production.copy().put("enrolment", new JsonObject()
        .put("allowedNetworks", List.of("router.example")))))
        .hasMessageContaining("enrolment.allowedNetworks").hasMessageContaining("host-addresses");
    assertThatThrownBy(() -> CoreConfig.fromJson(production.copy().put("enrolment", new JsonObject()
        .put("ratePerMinute", -1)))).hasMessageContaining("enrolment.ratePerMinute");
  }
}
