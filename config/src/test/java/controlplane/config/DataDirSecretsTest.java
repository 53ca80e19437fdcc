package controlplane.config;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Base64;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DataDirSecretsTest {

  private static JsonObject config() {
    return new JsonObject()
        .put("crypto", new JsonObject().put("keys", new JsonObject()).putNull("activeKey"))
        .put("auth", new JsonObject().put("jwt", new JsonObject().putNull("hs256Secret")
            .put("publicKeys", new JsonArray()).putNull("jwksUrl")));
  }

  @Test
  @DisplayName("with no key ring configured, a 256-bit key is generated once into the data dir with mode 0600")
  void generatesOnceAndReuses(@TempDir Path dir) throws Exception {
    JsonObject first = config();
    assertThat(DataDirSecrets.fill(first, dir)).isTrue();
    String key = first.getJsonObject("crypto").getJsonObject("keys").getString(DataDirSecrets.SEALING_KEY_ID);
    assertThat(Base64.getDecoder().decode(key)).hasSize(32);
    assertThat(first.getJsonObject("crypto").getString("activeKey")).isEqualTo(DataDirSecrets.SEALING_KEY_ID);
    Path file = dir.resolve(DataDirSecrets.SEALING_KEY_FILE);
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");

    JsonObject second = config();
    DataDirSecrets.fill(second, dir);
    assertThat(second.getJsonObject("crypto").getJsonObject("keys").getString(DataDirSecrets.SEALING_KEY_ID))
        .isEqualTo(key);
    assertThat(second.getJsonObject("auth").getJsonObject("jwt").getString("hs256Secret"))
        .isEqualTo(first.getJsonObject("auth").getJsonObject("jwt").getString("hs256Secret"));
  }

  @Test
  @DisplayName("configured keys are left alone and no development secret is made")
  void configuredKeysWin(@TempDir Path dir) throws Exception {
    JsonObject c = config();
    c.getJsonObject("crypto").getJsonObject("keys").put("prod-1", "x");
    c.getJsonObject("auth").getJsonObject("jwt").put("hs256Secret", "configured");
    assertThat(DataDirSecrets.fill(c, dir)).isFalse();
    assertThat(c.getJsonObject("crypto").getString("activeKey")).isEqualTo("prod-1");
    assertThat(c.getJsonObject("auth").getJsonObject("jwt").getString("hs256Secret")).isEqualTo("configured");
    try (var files = Files.list(dir)) {
      assertThat(files).isEmpty();
    }
  }
}
