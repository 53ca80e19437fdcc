package controlplane.config;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.Map;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TokenCommandTest {

  @Test
  @DisplayName("with no secret configured and none in the data directory: one line naming it and the way out, "
      + "exit 1, nothing generated")
  void noSecretAnywhere(@TempDir Path dir) throws Exception {
    Path dataDir = dir.resolve("data");
    CommandRun run = CommandRun.of("token", "--data-dir", dataDir.toString());
    assertThat(run.status()).isEqualTo(1);
    assertThat(run.out()).isEmpty();
    assertThat(run.err()).hasLineCount(1).startsWith("token: ").contains(dataDir.toString(), "--data-dir", "--config");
    assertThat(dataDir).doesNotExist();

    Path config = dir.resolve("cp.yaml");
    Files.writeString(config, "dataDir: \"%s\"%n".formatted(dataDir));
    CommandRun viaConfig = CommandRun.of("token", "--config", config.toString());
    assertThat(viaConfig.status()).isEqualTo(1);
    assertThat(viaConfig.err()).hasLineCount(1).contains(dataDir.toString());
    assertThat(dataDir).doesNotExist();
  }

  @Test
  @DisplayName("signs with the development secret a service generated into the data directory it is pointed at")
  void usesTheServicesDevelopmentSecret(@TempDir Path dir) throws Exception {
    Path dataDir = dir.resolve("data");
    JsonObject serviceConfig = new JsonObject()
        .put("crypto", new JsonObject().put("keys", new JsonObject()))
        .put("auth", new JsonObject().put("jwt", new JsonObject().put("publicKeys", new JsonArray())));
    try (DataDirLock lock = DataDirLock.acquire(dataDir)) {
      DataDirSecrets.fill(serviceConfig, lock); // what the service does at start
    }
    String secret = serviceConfig.getJsonObject("auth").getJsonObject("jwt").getString("hs256Secret");

    CommandRun run = CommandRun.of("token", "--data-dir", dataDir.toString(), "--org", "acme", "--scope",
        "credentials:read", "--sub", "me", "--ttl", "60");
    assertThat(run.status()).isZero();
    assertThat(run.err()).isEmpty();
    String token = run.out().strip();
    assertThat(signedWith(token, secret)).isTrue();
    JsonObject claims = claims(token);
    assertThat(claims.getString("org_id")).isEqualTo("acme");
    assertThat(claims.getString("scope")).isEqualTo("credentials:read");
    assertThat(claims.getString("sub")).isEqualTo("me");
    assertThat(claims.getLong("exp") - claims.getLong("iat")).isEqualTo(60);

    Path config = dir.resolve("cp.yaml");
    Files.writeString(config, "dataDir: \"%s\"%n".formatted(dataDir));
    for (String[] args : new String[][] {{"token", "--config", config.toString()}, {"--config", config.toString(),
        "token"}}) {
      CommandRun viaConfig = CommandRun.of(args);
      assertThat(viaConfig.status()).isZero();
      assertThat(signedWith(viaConfig.out().strip(), secret)).isTrue();
    }
  }

  @Test
  @DisplayName("a configured auth.jwt.hs256Secret (file or CP_ variable) wins, and nothing is read or made in dataDir")
  void configuredSecretWins(@TempDir Path dir) throws Exception {
    Path dataDir = dir.resolve("data");
    Path config = dir.resolve("cp.yaml");
    String fromFile = "from-the-file-0123456789-0123456789";
    String fromEnv = "from-the-env-0123456789-0123456789";
    Files.writeString(config, "dataDir: \"%s\"%nauth: { jwt: { hs256Secret: %s } }%n".formatted(dataDir, fromFile));
    CommandRun viaFile = CommandRun.of("token", "--config", config.toString());
    assertThat(viaFile.status()).isZero();
    assertThat(signedWith(viaFile.out().strip(), fromFile)).isTrue();

    CommandRun viaEnv = CommandRun.with(Map.of("CP_AUTH_JWT_HS256_SECRET", fromEnv, "CP_DATA_DIR",
        dataDir.toString()), "", "token");
    assertThat(viaEnv.status()).isZero();
    assertThat(signedWith(viaEnv.out().strip(), fromEnv)).isTrue();
    assertThat(dataDir).doesNotExist();
  }

  @Test
  @DisplayName("a service that verifies public keys has no secret to share: told to use the identity provider")
  void publicKeysOnly(@TempDir Path dir) throws Exception {
    Path config = dir.resolve("cp.yaml");
    Files.writeString(config, "dataDir: \"%s\"%nauth: { jwt: { jwksUrl: \"https://idp.example/jwks\" } }%n"
        .formatted(dir.resolve("data")));
    CommandRun run = CommandRun.of("token", "--config", config.toString());
    assertThat(run.status()).isEqualTo(1);
    assertThat(run.err()).hasLineCount(1).contains("identity provider");
  }

  private static boolean signedWith(String token, String secret) throws Exception {
    int lastDot = token.lastIndexOf('.');
    Mac mac = Mac.getInstance("HmacSHA256");
    mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
    byte[] expected = mac.doFinal(token.substring(0, lastDot).getBytes(StandardCharsets.US_ASCII));
    return Base64.getUrlEncoder().withoutPadding().encodeToString(expected).equals(token.substring(lastDot + 1));
  }

  private static JsonObject claims(String token) {
    return new JsonObject(new String(Base64.getUrlDecoder().decode(token.split("\\.")[1]), StandardCharsets.UTF_8));
  }
}
