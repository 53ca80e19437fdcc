package controlplane.device;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vertx.core.json.JsonObject;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class DeviceConfigTest {

  @Test
  @DisplayName("with no device section, the defaults of CONFIGURATION.md apply")
  void defaults() {
    DeviceConfig c = DeviceConfig.fromJson(new JsonObject());
    assertThat(c).isEqualTo(new DeviceConfig(List.of("*"), 5000, 10000, false, null, 1024 * 1024));
    assertThat(c.servesAllEdges()).isTrue();
    assertThat(c.clientOptions(null).maxReplyBytes()).isEqualTo(1024 * 1024);
    assertThat(c.instances()).isZero();
    assertThat(c.verticles()).isEqualTo(2 * Runtime.getRuntime().availableProcessors());
  }

  @Test
  @DisplayName("every key of the device section is read")
  void allKeys() {
    JsonObject root = new JsonObject().put("device", new JsonObject()
        .put("edges", new io.vertx.core.json.JsonArray().add("edge-a").add("edge-b"))
        .put("connectTimeoutMs", 1500).put("commandTimeoutMs", 2500)
        .put("trustAll", true).put("trustPem", "/etc/cp/routers.pem").put("maxReplyBytes", 65536)
        .put("instances", 3));
    DeviceConfig c = DeviceConfig.fromJson(root);
    assertThat(c).isEqualTo(new DeviceConfig(List.of("edge-a", "edge-b"), 1500, 2500, true, "/etc/cp/routers.pem",
        65536, 3));
    assertThat(c.verticles()).isEqualTo(3);
    assertThat(c.clientOptions(null).maxReplyBytes()).isEqualTo(65536);
    assertThat(c.servesAllEdges()).isFalse();
    assertThat(c.clientOptions("PEM").trustPem()).isEqualTo("PEM");
    assertThat(c.clientOptions(null).commandTimeoutMs()).isEqualTo(2500);
  }

  @Test
  @DisplayName("values from environment variables arrive as text and are accepted")
  void textValues() {
    JsonObject root = new JsonObject().put("device", new JsonObject()
        .put("edges", "edge-a, edge-b").put("connectTimeoutMs", "700").put("trustAll", "true")
        .put("maxReplyBytes", "4096"));
    DeviceConfig c = DeviceConfig.fromJson(root);
    assertThat(c.maxReplyBytes()).isEqualTo(4096);
    assertThat(c.edges()).containsExactly("edge-a", "edge-b");
    assertThat(c.connectTimeoutMs()).isEqualTo(700);
    assertThat(c.trustAll()).isTrue();
  }

  @Test
  @DisplayName("a value of the wrong type is refused")
  void wrongType() {
    assertThatThrownBy(() -> DeviceConfig.fromJson(new JsonObject().put("device",
        new JsonObject().put("commandTimeoutMs", "soon")))).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> DeviceConfig.fromJson(new JsonObject().put("device",
        new JsonObject().put("maxReplyBytes", 0)))).hasMessageContaining("device.maxReplyBytes");
    assertThatThrownBy(() -> DeviceConfig.fromJson(new JsonObject().put("device",
        new JsonObject().put("instances", -1)))).hasMessageContaining("device.instances");
    assertThatThrownBy(() -> DeviceConfig.fromJson(new JsonObject().put("device",
        new JsonObject().put("instances", 257)))).hasMessageContaining("device.instances");
  }
}
