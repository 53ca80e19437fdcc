package controlplane.config;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

@ExtendWith(VertxExtension.class)
class ConfigLoaderTest {

  @Test
  @DisplayName("defaults, then the --config file, then the environment: the environment wins")
  void layering(Vertx vertx, VertxTestContext ctx, @TempDir Path dir) throws Exception {
    Path file = dir.resolve("cp.yaml");
    Files.writeString(file, "http:\n  port: 9000\ndatabase:\n  url: postgresql://u@db:5432/cp\n");
    ConfigLoader.load(vertx, file, Map.of("CP_HTTP_PORT", "9100")).onComplete(ctx.succeeding(c -> ctx.verify(() -> {
      assertThat(c.getJsonObject("http").getLong("port")).isEqualTo(9100L);
      assertThat(c.getJsonObject("database").getString("url")).isEqualTo("postgresql://u@db:5432/cp");
      assertThat(c.getJsonObject("rotation").getInteger("passwordLength")).isEqualTo(32);
      assertThat(c.getJsonObject("simulator").containsKey("enabled")).isTrue();
      assertThat(c.getJsonObject("simulator").getValue("enabled")).as("not set: the mode decides").isNull();
      ctx.completeNow();
    })));
  }

  @Test
  @DisplayName("a --config file that does not exist is an error, not a silent default")
  void missingFile(Vertx vertx, VertxTestContext ctx, @TempDir Path dir) {
    ConfigLoader.load(vertx, dir.resolve("nope.yaml"), Map.of()).onComplete(ctx.failing(err -> ctx.verify(() -> {
      assertThat(err).hasMessageContaining("nope.yaml");
      ctx.completeNow();
    })));
  }

  @Test
  @DisplayName("a typo in the --config file stops the load, naming the key and the closest known one")
  void typoInFile(Vertx vertx, VertxTestContext ctx, @TempDir Path dir) throws Exception {
    Path file = dir.resolve("cp.yaml");
    Files.writeString(file, "reconciler:\n  intervalMsec: 500\n");
    ConfigLoader.load(vertx, file, Map.of()).onComplete(ctx.failing(err -> ctx.verify(() -> {
      assertThat(err).isInstanceOf(UnknownKeyException.class).hasMessage(file
          + ": unknown configuration key reconciler.intervalMsec (did you mean reconciler.intervalMs?)");
      ctx.completeNow();
    })));
  }

  @Test
  @DisplayName("a typo in a CP_ variable stops the load, naming the variable and the closest known one")
  void typoInVariable(Vertx vertx, VertxTestContext ctx) {
    ConfigLoader.load(vertx, null, Map.of("CP_RECONCILER_INTERVAL_MSEC", "500"))
        .onComplete(ctx.failing(err -> ctx.verify(() -> {
          assertThat(err).isInstanceOf(UnknownKeyException.class).hasMessage("unknown configuration variable "
              + "CP_RECONCILER_INTERVAL_MSEC (did you mean CP_RECONCILER_INTERVAL_MS, for reconciler.intervalMs?)");
          ctx.completeNow();
        })));
  }

  @Test
  @DisplayName("an unknown key inside the JSON of a CP_ variable is refused too")
  void typoInVariableJson(Vertx vertx, VertxTestContext ctx) {
    ConfigLoader.load(vertx, null, Map.of("CP_HTTP_TLS", "{\"certPem\": \"/c.pem\", \"keyPen\": \"/k.pem\"}"))
        .onComplete(ctx.failing(err -> ctx.verify(() -> {
          assertThat(err).hasMessage("CP_ variables: unknown configuration key http.tls.keyPen "
              + "(did you mean http.tls.keyPem?)");
          ctx.completeNow();
        })));
  }

  @Test
  @DisplayName("a correct file naming keys of every section loads; free-form crypto key ids are accepted in the file "
      + "and in CP_ variables")
  void correctFile(Vertx vertx, VertxTestContext ctx, @TempDir Path dir) throws Exception {
    Path file = dir.resolve("cp.yaml");
    Files.writeString(file, """
        http: { host: 127.0.0.1, port: 9000, idleTimeoutSeconds: 90, maxConnections: 10,
                tls: { certPem: /etc/cp/cert.pem, keyPem: /etc/cp/key.pem } }
        auth: { jwt: { jwksUrl: "https://idp.example/jwks", jwksRefreshSeconds: 600, jwksMinRefreshSeconds: 10 } }
        database: { url: "postgresql://u@db:5432/cp", poolSize: 4 }
        dataDir: /srv/cp
        crypto: { keys: { k2025: AAAA, "ops-2026.b": BBBB }, activeKey: k2025 }
        rotation: { passwordLength: 40 }
        reconciler: { intervalMs: 500 }
        device: { edges: [edge-a, edge-b], trustAll: false }
        simulator: { enabled: false }
        """);
    Map<String, String> env = Map.of("CP_CRYPTO_KEYS_K2025", "CCCC", "CP_HTTP_TLS_KEY_PEM", "/run/key.pem",
        "CP_LOGIN_PASSWORD", "not configuration", "HOME", "/root", "LANG", "C");
    ConfigLoader.load(vertx, file, env).onComplete(ctx.succeeding(c -> ctx.verify(() -> {
      assertThat(c.getJsonObject("crypto").getJsonObject("keys").getMap())
          .containsExactlyInAnyOrderEntriesOf(Map.of("k2025", "CCCC", "ops-2026.b", "BBBB"));
      assertThat(c.getJsonObject("http").getJsonObject("tls").getString("keyPem")).isEqualTo("/run/key.pem");
      assertThat(c.getJsonObject("http").getInteger("maxConnections")).isEqualTo(10);
      assertThat(c.getJsonObject("auth").getJsonObject("jwt").getInteger("jwksMinRefreshSeconds")).isEqualTo(10);
      assertThat(c.toString()).doesNotContain("not configuration");
      ctx.completeNow();
    })));
  }

  @Test
  @DisplayName("CP_LOGIN_PASSWORD (read by the login command) and variables not starting with CP_ are ignored")
  void notOurs(Vertx vertx, VertxTestContext ctx) {
    Map<String, String> env = Map.of("CP_LOGIN_PASSWORD", "s3cret", "HTTP_PORT", "1", "PATH", "/usr/bin");
    ConfigLoader.load(vertx, null, env).onComplete(ctx.succeeding(c -> ctx.verify(() -> {
      assertThat(c.getJsonObject("http").getInteger("port")).isEqualTo(8080);
      assertThat(c.encode()).doesNotContain("s3cret");
      ctx.completeNow();
    })));
  }
}
