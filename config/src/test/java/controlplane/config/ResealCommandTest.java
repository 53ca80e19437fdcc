package controlplane.config;

import static org.assertj.core.api.Assertions.assertThat;

import controlplane.core.CoreConfig;
import controlplane.core.CoreVerticle;
import controlplane.core.bus.Addresses;
import controlplane.core.bus.Fields;
import controlplane.core.testing.Jdbc;
import controlplane.core.testing.TestDatabase;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ResealCommandTest {

  private static String newKey() {
    byte[] k = new byte[32];
    new SecureRandom().nextBytes(k);
    return Base64.getEncoder().encodeToString(k);
  }

  @Test
  @DisplayName("'reseal' moves every stored password under the active key; the old key can then be dropped")
  void resealsUnderTheActiveKey(@TempDir Path dir) throws Exception {
    String url = TestDatabase.freshDatabase();
    String oldKey = newKey();
    String newKey = newKey();
    String siteId = UUID.randomUUID().toString();

    // A site enrolled while only the old key existed.
    JsonObject before = withCore(url, Map.of("old", oldKey), "old", vertx -> vertx.eventBus()
        .<JsonObject>request(Addresses.SITE_PUT, new JsonObject().put(Fields.SITE_ID, siteId).put(Fields.ORG_ID, "o")
            .put(Fields.ACTOR, "t").put(Fields.IP_ADDRESS, "203.0.113.77").put(Fields.API_PORT, 1)
            .put(Fields.SERVER_IP, "edge").put(Fields.USERNAME, "api").put(Fields.PASSWORD, "s3cret-bootstrap")
            .put(Fields.TLS, false).put(Fields.VERIFY, false)
            .put(Fields.RECONCILE_USERNAME, "cp-reconcile").put(Fields.RECONCILE_PASSWORD, "s3cret-reconcile"))
        .map(m -> m.body()));
    assertThat(before.getString(Fields.SITE_ID)).isEqualTo(siteId);
    Jdbc db = new Jdbc(url);
    assertThat(db.query("SELECT DISTINCT key_id FROM credential_versions")).extracting(r -> r.get("key_id"))
        .containsExactly("old");

    Path config = dir.resolve("cp.yaml");
    Files.writeString(config, """
        database: { url: "%s" }
        dataDir: "%s"
        crypto: { keys: { old: "%s", new: "%s" }, activeKey: new }
        """.formatted(url, dir.resolve("data"), oldKey, newKey));
    StringWriter out = new StringWriter();
    int status = Main.commandLine(Map.of(), InputStream.nullInputStream()).setOut(new PrintWriter(out, true))
        .execute("reseal", "--config", config.toString());
    assertThat(status).isZero();
    // The credential version and the reconcile account.
    assertThat(out.toString()).isEqualTo("re-sealed 2 stored passwords under key new%n".formatted());
    assertThat(db.query("SELECT key_id FROM reconcile_accounts")).extracting(r -> r.get("key_id"))
        .containsExactly("new");

    assertThat(db.query("SELECT DISTINCT key_id FROM credential_versions")).extracting(r -> r.get("key_id"))
        .containsExactly("new");
    JsonObject read = withCore(url, Map.of("new", newKey), "new", vertx -> vertx.eventBus()
        .<JsonObject>request(Addresses.CREDENTIALS_GET, new JsonObject().put(Fields.SITE_ID, siteId)
            .put(Fields.ORG_ID, "o"))
        .map(m -> m.body()));
    assertThat(read.getString(Fields.PASSWORD)).isEqualTo("s3cret-bootstrap");
  }

  private static JsonObject withCore(String url, Map<String, String> keys, String active,
                                     java.util.function.Function<Vertx, Future<JsonObject>> call) throws Exception {
    Vertx vertx = Vertx.vertx();
    try {
      JsonObject root = new JsonObject()
          .put("database", new JsonObject().put("url", url))
          .put("crypto", new JsonObject().put("keys", new JsonObject(Map.copyOf(keys))).put("activeKey", active))
          .put("reconciler", new JsonObject().put("intervalMs", 3_600_000));
      CoreVerticle core = new CoreVerticle(CoreConfig.fromJson(root), new SimpleMeterRegistry());
      return vertx.deployVerticle(core).compose(id -> call.apply(vertx))
          .toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
    } finally {
      vertx.close().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    }
  }
}
