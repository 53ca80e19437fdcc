package controlplane.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import controlplane.core.ConfigurationException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** What each role needs, checked before anything starts; the roles and cluster keys as configuration gives them. */
class RolesTest {

  private static JsonObject defaults() {
    io.vertx.core.Vertx vertx = io.vertx.core.Vertx.vertx();
    try {
      return ConfigLoader.load(vertx, null, Map.of()).await();
    } finally {
      vertx.close();
    }
  }

  @Test
  @DisplayName("all three roles by default; a list, or comma-separated text from CP_ROLES; unknown or none refused")
  void parsing() {
    assertThat(Role.of(defaults())).isEqualTo(EnumSet.allOf(Role.class));
    assertThat(Role.of(new JsonObject().put("roles", new JsonArray(List.of("device"))))).containsExactly(Role.DEVICE);
    assertThat(Role.of(new JsonObject().put("roles", "api, core"))).containsExactly(Role.API, Role.CORE);
    assertThatThrownBy(() -> Role.of(new JsonObject().put("roles", "api,edge")))
        .hasMessageContaining("unknown role edge");
    assertThatThrownBy(() -> Role.of(new JsonObject().put("roles", new JsonArray())))
        .hasMessageContaining("roles is empty");
  }

  @Test
  @DisplayName("a device-only process needs no database, no sealing key and no JWT key")
  void deviceNeedsNothing() {
    JsonObject config = defaults().put("roles", new JsonArray(List.of("device")));
    assertThatCode(() -> ModeRequirements.check(Mode.of(config), Role.of(config), config, true))
        .doesNotThrowAnyException();
  }

  @Test
  @DisplayName("an api process without core needs a configured JWT key, named")
  void apiWithoutCoreNeedsJwt() {
    JsonObject config = defaults().put("roles", new JsonArray(List.of("api")));
    assertThatThrownBy(() -> ModeRequirements.check(Mode.of(config), Role.of(config), config, true))
        .isInstanceOf(ConfigurationException.class).hasMessageStartingWith("auth.jwt.hs256Secret");
  }

  @Test
  @DisplayName("a clustered core needs database.url; a production core still needs its sealing keys, named")
  void clusteredCore() {
    JsonObject config = defaults().put("roles", new JsonArray(List.of("api", "core")));
    assertThatThrownBy(() -> ModeRequirements.check(Mode.of(config), Role.of(config), config, true))
        .isInstanceOf(ConfigurationException.class).hasMessageStartingWith("database.url is not set");
    config.getJsonObject("database").put("url", "postgresql://cp:pw@db:5432/cp");
    config.getJsonObject("auth").getJsonObject("jwt").put("hs256Secret", "x".repeat(32));
    assertThatThrownBy(() -> ModeRequirements.check(Mode.of(config), Role.of(config), config, true))
        .isInstanceOf(ConfigurationException.class).hasMessageStartingWith("crypto.keys is not set");
  }

  @Test
  @DisplayName("cluster keys: members as host:port, TLS all or nothing, event-bus port derived")
  void clusterKeys() {
    JsonObject config = defaults();
    assertThat(ClusterConfig.fromJson(config).enabled()).isFalse();
    config.getJsonObject("cluster").put("enabled", "true").put("members", "10.0.0.1:5701,10.0.0.2:5701");
    ClusterConfig cluster = ClusterConfig.fromJson(config);
    assertThat(cluster.members()).containsExactly("10.0.0.1:5701", "10.0.0.2:5701");
    assertThat(cluster.effectiveEventBusPort()).isEqualTo(5702);
    assertThat(cluster.hazelcast().getNetworkConfig().getJoin().getMulticastConfig().isEnabled()).isFalse();
    assertThat(cluster.hazelcast().getClusterName()).isEqualTo("control-plane");
    config.getJsonObject("cluster").put("members", "10.0.0.1");
    assertThatThrownBy(() -> ClusterConfig.fromJson(config)).hasMessageContaining("is not host:port");
    config.getJsonObject("cluster").put("members", new JsonArray(List.of("10.0.0.1:5701")))
        .getJsonObject("tls").put("certPem", "/etc/cp/cert.pem");
    assertThatThrownBy(() -> ClusterConfig.fromJson(config)).hasMessageContaining("needs all of certPem, keyPem");
  }
}
