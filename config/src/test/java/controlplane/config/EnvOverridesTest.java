package controlplane.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class EnvOverridesTest {

  private static JsonObject tree() {
    return new JsonObject()
        .put("http", new JsonObject().put("port", 8080).put("host", "0.0.0.0"))
        .put("auth", new JsonObject().put("jwt", new JsonObject().putNull("hs256Secret").put("publicKeys", new JsonArray())))
        .put("simulator", new JsonObject().put("enabled", true))
        .put("device", new JsonObject().put("edges", new JsonArray().add("*")))
        .put("crypto", new JsonObject().put("keys", new JsonObject()))
        .put("dataDir", "./data");
  }

  @Test
  @DisplayName("CP_ variables named after the key path in upper snake case override values with their type")
  void overridesByPath() {
    JsonObject c = EnvOverrides.apply(tree(), Map.of(
        "CP_HTTP_PORT", "9090",
        "CP_AUTH_JWT_HS256_SECRET", "s3cret",
        "CP_SIMULATOR_ENABLED", "false",
        "CP_DEVICE_EDGES", "edge-a, edge-b",
        "CP_CRYPTO_KEYS", "{\"k1\":\"AAAA\"}",
        "CP_DATA_DIR", "/var/lib/cp",
        "HTTP_PORT", "1"));
    assertThat(c.getJsonObject("http").getLong("port")).isEqualTo(9090L);
    assertThat(c.getJsonObject("http").getString("host")).isEqualTo("0.0.0.0");
    assertThat(c.getJsonObject("auth").getJsonObject("jwt").getString("hs256Secret")).isEqualTo("s3cret");
    assertThat(c.getJsonObject("simulator").getBoolean("enabled")).isFalse();
    assertThat(c.getJsonObject("device").getJsonArray("edges")).containsExactly("edge-a", "edge-b");
    assertThat(c.getJsonObject("crypto").getJsonObject("keys").getString("k1")).isEqualTo("AAAA");
    assertThat(c.getString("dataDir")).isEqualTo("/var/lib/cp");
  }

  @Test
  @DisplayName("a value of the wrong type is refused with the variable's name")
  void refusesBadValues() {
    assertThatThrownBy(() -> EnvOverrides.apply(tree(), Map.of("CP_HTTP_PORT", "eighty")))
        .hasMessageContaining("CP_HTTP_PORT");
    assertThatThrownBy(() -> EnvOverrides.apply(tree(), Map.of("CP_SIMULATOR_ENABLED", "yes")))
        .hasMessageContaining("CP_SIMULATOR_ENABLED");
  }

  @Test
  void upperSnake() {
    assertThat(EnvOverrides.upperSnake("hs256Secret")).isEqualTo("HS256_SECRET");
    assertThat(EnvOverrides.upperSnake("maxBodyBytes")).isEqualTo("MAX_BODY_BYTES");
    assertThat(EnvOverrides.upperSnake("url")).isEqualTo("URL");
  }
}
