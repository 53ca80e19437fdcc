package controlplane.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** Which keys a configuration may name, derived from a defaults tree; the nearest known key of a mistake. */
class ConfigKeysTest {

  private static final JsonObject DEFAULTS = new JsonObject()
      .put("http", new JsonObject().put("port", 8080).put("tls", new JsonObject().putNull("certPem")))
      .put("crypto", new JsonObject().put("keys", new JsonObject()).putNull("activeKey"))
      .put("device", new JsonObject().put("edges", new JsonArray().add("*")))
      .put("future", new JsonObject())
      .put("dataDir", "./data");

  private final ConfigKeys keys = ConfigKeys.of(DEFAULTS);

  @Test
  @DisplayName("every section and leaf of the defaults is known; entries of crypto.keys and list items are free")
  void known() {
    JsonObject file = new JsonObject()
        .put("http", new JsonObject().put("port", 1).put("tls", new JsonObject().put("certPem", "/c.pem")))
        .put("crypto", new JsonObject().put("keys", new JsonObject().put("any-id", "AAAA").put("k.2025", "BBBB")))
        .put("device", new JsonObject().put("edges", new JsonArray().add(new JsonObject().put("anything", 1))))
        .put("dataDir", "/srv");

    assertThatCode(() -> keys.refuseUnknown(file, "cp.yaml")).doesNotThrowAnyException();
  }

  @Test
  @DisplayName("unknown keys are refused with where they come from and the nearest known key, when one is near")
  void unknown() {
    assertThatThrownBy(() -> keys.refuseUnknown(new JsonObject().put("http", new JsonObject().put("prot", 1)),
        "cp.yaml"))
        .isInstanceOf(UnknownKeyException.class)
        .hasMessage("cp.yaml: unknown configuration key http.prot (did you mean http.port?)");
    assertThatThrownBy(() -> keys.refuseUnknown(new JsonObject().put("HTTP", new JsonObject()), "cp.yaml"))
        .hasMessage("cp.yaml: unknown configuration key HTTP (did you mean http?)");
    assertThatThrownBy(() -> keys.refuseUnknown(new JsonObject().put("completely", "different"), "cp.yaml"))
        .hasMessage("cp.yaml: unknown configuration key completely");
    assertThatThrownBy(() -> keys.refuseUnknown(new JsonObject()
        .put("http", new JsonObject().put("port", new JsonObject().put("x", 1)))
        .put("crypto", new JsonObject().put("activekey", "k1")), "cp.yaml"))
        .hasMessage("cp.yaml: unknown configuration key http.port.x (did you mean http.port?); "
            + "unknown configuration key crypto.activekey (did you mean crypto.activeKey?)");
  }

  @Test
  @DisplayName("a map that is empty in the defaults but not listed as free-form takes no key")
  void emptyMapIsNotFreeForm() {
    assertThatThrownBy(() -> keys.refuseUnknown(new JsonObject().put("future", new JsonObject().put("x", 1)), "f"))
        .hasMessage("f: unknown configuration key future.x (did you mean future?)");
    assertThat(ConfigKeys.FREE_FORM).containsExactly("crypto.keys");
  }

  @Test
  @DisplayName("CP_ variables: each must set a key of the merged configuration; CP_LOGIN_PASSWORD, CP_TOKEN and "
      + "variables not starting with CP_ are not configuration")
  void variables() {
    JsonObject merged = DEFAULTS.copy();
    merged.getJsonObject("crypto").put("keys", new JsonObject().put("k2025", "AAAA"));

    assertThatCode(() -> keys.refuseUnknownVariables(Map.of("CP_HTTP_PORT", "1", "CP_HTTP_TLS_CERT_PEM", "/c.pem",
        "CP_CRYPTO_KEYS", "{}", "CP_CRYPTO_KEYS_K2025", "BBBB", "CP_DATA_DIR", "/srv", "CP_LOGIN_PASSWORD", "pw",
        "CP_TOKEN", "abc",
        "PATH", "/bin", "HTTP_PORT", "1", "cp_http_prot", "1"), merged)).doesNotThrowAnyException();
    assertThatThrownBy(() -> keys.refuseUnknownVariables(Map.of("CP_HTTP_PROT", "1"), merged))
        .isInstanceOf(UnknownKeyException.class)
        .hasMessage("unknown configuration variable CP_HTTP_PROT (did you mean CP_HTTP_PORT, for http.port?)");
    assertThatThrownBy(() -> keys.refuseUnknownVariables(Map.of("CP_CRYPTO_KEYS_K2026", "x"), DEFAULTS))
        .hasMessage("unknown configuration variable CP_CRYPTO_KEYS_K2026 (did you mean CP_CRYPTO_KEYS, for "
            + "crypto.keys?)");
  }

  @Test
  @DisplayName("the nearest key: Levenshtein distance, case-insensitive, suggested within a third of the length")
  void closest() {
    List<String> candidates = List.of("reconciler.intervalMs", "rotation.leaseSeconds", "http.port");

    assertThat(ClosestKey.distance("kitten", "sitting")).isEqualTo(3);
    assertThat(ClosestKey.distance("", "abc")).isEqualTo(3);
    assertThat(ClosestKey.to("reconciler.intervalMsec", candidates)).contains("reconciler.intervalMs");
    assertThat(ClosestKey.to("RECONCILER.INTERVALMS", candidates)).contains("reconciler.intervalMs");
    assertThat(ClosestKey.to("rotation.leaseSecs", candidates)).contains("rotation.leaseSeconds");
    assertThat(ClosestKey.to("simulator", candidates)).isEmpty();
  }
}
