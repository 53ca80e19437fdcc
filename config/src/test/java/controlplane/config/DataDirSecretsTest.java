package controlplane.config;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
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

  private static DataDirSecrets.Used fill(JsonObject config, Path dir) throws Exception {
    try (DataDirLock lock = DataDirLock.acquire(dir)) {
      return DataDirSecrets.fill(config, lock);
    }
  }

  private static String activeKeyId(JsonObject config) {
    return config.getJsonObject("crypto").getString("activeKey");
  }

  @Test
  @DisplayName("with no key ring configured, a 256-bit key with an id of its own is generated once, mode 0600")
  void generatesOnceAndReuses(@TempDir Path dir) throws Exception {
    JsonObject first = config();
    assertThat(fill(first, dir)).isEqualTo(new DataDirSecrets.Used(true, true));
    String id = activeKeyId(first);
    assertThat(id).matches("local-[0-9a-f]{8}");
    String key = first.getJsonObject("crypto").getJsonObject("keys").getString(id);
    assertThat(Base64.getDecoder().decode(key)).hasSize(32);
    for (String name : new String[] {DataDirSecrets.SEALING_KEY_FILE, DataDirSecrets.JWT_SECRET_FILE}) {
      assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.resolve(name))))
          .isEqualTo("rw-------");
    }

    JsonObject second = config();
    fill(second, dir);
    assertThat(activeKeyId(second)).isEqualTo(id);
    assertThat(second.getJsonObject("crypto").getJsonObject("keys").getString(id)).isEqualTo(key);
    assertThat(second.getJsonObject("auth").getJsonObject("jwt").getString("hs256Secret"))
        .isEqualTo(first.getJsonObject("auth").getJsonObject("jwt").getString("hs256Secret"));
  }

  @Test
  @DisplayName("two data directories generate different key ids")
  void keyIdsDifferBetweenDataDirs(@TempDir Path dir) throws Exception {
    JsonObject one = config();
    JsonObject two = config();
    fill(one, dir.resolve("one"));
    fill(two, dir.resolve("two"));
    assertThat(activeKeyId(one)).isNotEqualTo(activeKeyId(two));
  }

  @Test
  @DisplayName("an existing key file is never overwritten: its key is used as it is, under the id it names")
  void existingKeyFileIsKept(@TempDir Path dir) throws Exception {
    Files.createDirectories(dir);
    String key = Base64.getEncoder().encodeToString(new byte[32]);
    Path file = dir.resolve(DataDirSecrets.SEALING_KEY_FILE);
    Files.writeString(file, "kept-id " + key + "\n", StandardCharsets.US_ASCII);
    JsonObject c = config();
    fill(c, dir);
    assertThat(activeKeyId(c)).isEqualTo("kept-id");
    assertThat(c.getJsonObject("crypto").getJsonObject("keys").getString("kept-id")).isEqualTo(key);
    assertThat(Files.readString(file)).isEqualTo("kept-id " + key + "\n");
  }

  @Test
  @DisplayName("a key file from before key ids (the key alone) keeps its id local-1 and its content")
  void legacyKeyFile(@TempDir Path dir) throws Exception {
    String key = Base64.getEncoder().encodeToString(new byte[32]);
    Path file = dir.resolve(DataDirSecrets.SEALING_KEY_FILE);
    Files.writeString(file, key + "\n", StandardCharsets.US_ASCII);
    JsonObject c = config();
    fill(c, dir);
    assertThat(activeKeyId(c)).isEqualTo(DataDirSecrets.LEGACY_SEALING_KEY_ID);
    assertThat(c.getJsonObject("crypto").getJsonObject("keys").getString("local-1")).isEqualTo(key);
    assertThat(Files.readString(file)).isEqualTo(key + "\n");
  }

  @Test
  @DisplayName("configured keys are left alone and no secret is generated")
  void configuredKeysWin(@TempDir Path dir) throws Exception {
    JsonObject c = config();
    c.getJsonObject("crypto").getJsonObject("keys").put("prod-1", "x");
    c.getJsonObject("auth").getJsonObject("jwt").put("hs256Secret", "configured-secret-of-32-bytes-xxx");
    assertThat(fill(c, dir)).isEqualTo(new DataDirSecrets.Used(false, false));
    assertThat(activeKeyId(c)).isEqualTo("prod-1");
    assertThat(c.getJsonObject("auth").getJsonObject("jwt").getString("hs256Secret"))
        .isEqualTo("configured-secret-of-32-bytes-xxx");
    try (var files = Files.list(dir)) {
      assertThat(files).extracting(p -> p.getFileName().toString()).containsExactly(DataDirLock.FILE);
    }
  }
}
