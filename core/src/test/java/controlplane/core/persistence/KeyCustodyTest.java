package controlplane.core.persistence;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import controlplane.core.ConfigurationException;
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
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** Core's start on a real PostgreSQL with keys that are, or are not, the ones that sealed the database's values. */
class KeyCustodyTest {

  private final List<Vertx> instances = new ArrayList<>();
  private final String url = TestDatabase.freshDatabase();
  private final Jdbc jdbc = new Jdbc(url);

  @AfterEach
  void close() {
    instances.forEach(v -> await(v.close()));
  }

  @Test
  @DisplayName("a first start records a check value per key; a restart with the same keys starts")
  void recordsThenAccepts() {
    String k1 = DatabaseSuite.key();
    String k2 = DatabaseSuite.key();
    start(Map.of("k1", k1, "k2", k2), "k2");
    assertThat(jdbc.query("SELECT key_id FROM key_checks ORDER BY key_id")).extracting(r -> r.get("key_id"))
        .containsExactly("k1", "k2");
    start(Map.of("k1", k1, "k2", k2), "k1");
    assertThat(jdbc.query("SELECT count(*) AS n FROM key_checks").get(0).get("n")).isEqualTo(2L);
  }

  @Test
  @DisplayName("a restart with a different key under the same id is refused, naming it")
  void differentKeySameId() {
    String original = DatabaseSuite.key();
    enrol(start(Map.of("k2025", original), "k2025"));
    List<Map<String, Object>> checks = jdbc.query("SELECT * FROM key_checks");

    assertThatThrownBy(() -> start(Map.of("k2025", DatabaseSuite.key()), "k2025"))
        .isInstanceOf(ConfigurationException.class)
        .hasMessage("crypto.keys.k2025 does not match the key that sealed this database's values");
    assertThat(jdbc.query("SELECT * FROM key_checks")).usingRecursiveComparison().isEqualTo(checks);
    start(Map.of("k2025", original), "k2025");
  }

  @Test
  @DisplayName("values sealed by a key that is no longer configured: refused, naming the key id; nothing recorded")
  void sealedByAnUnconfiguredKey() {
    String a = DatabaseSuite.key();
    String b = DatabaseSuite.key();
    String c = DatabaseSuite.key();
    enrol(start(Map.of("a", a), "a"));
    enrol(start(Map.of("a", a, "b", b), "b"));
    enrol(start(Map.of("a", a, "b", b, "c", c), "c"));

    // b is neither the first nor the last key id: the start-up read must find it.
    assertThatThrownBy(() -> start(Map.of("a", a, "c", c, "d", DatabaseSuite.key()), "c"))
        .isInstanceOf(ConfigurationException.class)
        .hasMessageStartingWith("crypto.keys has no key b, which sealed stored passwords");
    assertThat(jdbc.query("SELECT key_id FROM key_checks ORDER BY key_id")).extracting(r -> r.get("key_id"))
        .containsExactly("a", "b", "c");
  }

  @Test
  @DisplayName("a reconcile account is the only value a key sealed, and that key is not configured: refused, naming it")
  void reconcileAccountSealedByAnUnconfiguredKey() {
    String lost = DatabaseSuite.key();
    String site = enrol(start(Map.of("lost", lost), "lost"), true);
    // The credential versions sealed by "lost" are gone (deleted as the lost-key procedure says); its reconcile
    // account is not.
    jdbc.exec("DELETE FROM credential_versions WHERE key_id = 'lost'");
    assertThat(jdbc.query("SELECT key_id FROM reconcile_accounts WHERE site_id = ?::uuid", site))
        .extracting(r -> r.get("key_id")).containsExactly("lost");

    assertThatThrownBy(() -> start(Map.of("new", DatabaseSuite.key()), "new"))
        .isInstanceOf(ConfigurationException.class)
        .hasMessageStartingWith("crypto.keys has no key lost, which sealed stored passwords");
    assertThat(jdbc.query("SELECT key_id FROM key_checks")).extracting(r -> r.get("key_id")).containsExactly("lost");

    // Deleting the accounts the lost key sealed lets the new key start.
    jdbc.exec("DELETE FROM reconcile_accounts WHERE key_id = 'lost'");
    start(Map.of("new", DatabaseSuite.key()), "new");
  }

  @Test
  @DisplayName("a database sealed before check values existed, its key's only value a reconcile account: a wrong key is"
      + " refused, the right one recorded")
  void reconcileAccountFromBeforeKeyChecks() {
    String key = DatabaseSuite.key();
    enrol(start(Map.of("k", key), "k"), true);
    jdbc.exec("DELETE FROM credential_versions WHERE key_id = 'k'");
    jdbc.exec("DELETE FROM key_checks");

    assertThatThrownBy(() -> start(Map.of("k", DatabaseSuite.key()), "k"))
        .isInstanceOf(ConfigurationException.class)
        .hasMessage("crypto.keys.k does not match the key that sealed this database's values");
    assertThat(jdbc.query("SELECT * FROM key_checks")).isEmpty();
    start(Map.of("k", key), "k");
    assertThat(jdbc.query("SELECT key_id FROM key_checks")).extracting(r -> r.get("key_id")).containsExactly("k");
  }

  @Test
  @DisplayName("a database sealed before check values existed: a wrong key is refused, the right one recorded")
  void databaseFromBeforeKeyChecks() {
    String key = DatabaseSuite.key();
    enrol(start(Map.of("local-1", key), "local-1"));
    jdbc.exec("DELETE FROM key_checks");

    assertThatThrownBy(() -> start(Map.of("local-1", DatabaseSuite.key()), "local-1"))
        .isInstanceOf(ConfigurationException.class)
        .hasMessage("crypto.keys.local-1 does not match the key that sealed this database's values");
    assertThat(jdbc.query("SELECT * FROM key_checks")).isEmpty();
    start(Map.of("local-1", key), "local-1");
    assertThat(jdbc.query("SELECT key_id FROM key_checks")).extracting(r -> r.get("key_id"))
        .containsExactly("local-1");
  }

  @Test
  @DisplayName("two processes starting together on an empty database both start and record one check value")
  void twoStartTogether() {
    String key = DatabaseSuite.key();
    Vertx one = vertx();
    Vertx two = vertx();
    Future<String> first = one.deployVerticle(core(Map.of("k1", key), "k1"));
    Future<String> second = two.deployVerticle(core(Map.of("k1", key), "k1"));
    await(Future.all(first, second));
    assertThat(jdbc.query("SELECT key_id FROM key_checks")).extracting(r -> r.get("key_id")).containsExactly("k1");
  }

  @Test
  @DisplayName("two processes starting together with different keys under one id: exactly one starts")
  void twoStartTogetherDisagreeing() {
    Future<String> first = vertx().deployVerticle(core(Map.of("k1", DatabaseSuite.key()), "k1"));
    Future<String> second = vertx().deployVerticle(core(Map.of("k1", DatabaseSuite.key()), "k1"));
    await(Future.join(first, second).otherwiseEmpty());
    assertThat(List.of(first.succeeded(), second.succeeded())).containsExactlyInAnyOrder(true, false);
    Throwable refused = first.failed() ? first.cause() : second.cause();
    assertThat(refused).isInstanceOf(ConfigurationException.class)
        .hasMessage("crypto.keys.k1 does not match the key that sealed this database's values");
  }

  private Vertx vertx() {
    Vertx v = Vertx.vertx();
    instances.add(v);
    return v;
  }

  private CoreVerticle core(Map<String, String> keys, String active) {
    return new CoreVerticle(new CoreConfig(new CoreConfig.Database(url, 2), new CoreConfig.Crypto(keys, active),
        new CoreConfig.Rotation(32, 60, 5_000), new CoreConfig.Reconciler(3_600_000)), new SimpleMeterRegistry());
  }

  /** Deploys core in a Vert.x of its own, undeployed at the end of the test; the Vert.x. */
  private Vertx start(Map<String, String> keys, String active) {
    Vertx v = vertx();
    await(v.deployVerticle(core(keys, active)));
    return v;
  }

  /** Enrols a site (a router of its own), which seals its password under the active key. */
  private static void enrol(Vertx vertx) {
    enrol(vertx, false);
  }

  /** The same, with a reconcile account (sealed under the active key too) when asked; the site id. */
  private static String enrol(Vertx vertx, boolean withReconcileAccount) {
    String siteId = UUID.randomUUID().toString();
    JsonObject request = new JsonObject()
        .put(Fields.SITE_ID, siteId).put(Fields.ORG_ID, "o").put(Fields.ACTOR, "t")
        .put(Fields.IP_ADDRESS, "127.0.0.1").put(Fields.API_PORT, 1).put(Fields.SERVER_IP, "edge")
        .put(Fields.USERNAME, "api-" + siteId).put(Fields.PASSWORD, "s3cret-bootstrap").put(Fields.TLS, false)
        .put(Fields.VERIFY, false);
    if (withReconcileAccount) {
      request.put(Fields.RECONCILE_USERNAME, "reconcile").put(Fields.RECONCILE_PASSWORD, "s3cret-reconcile");
    }
    await(vertx.eventBus().request(Addresses.SITE_PUT, request));
    return siteId;
  }

  private static <T> T await(Future<T> f) {
    try {
      return f.toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
    } catch (ExecutionException e) {
      throw e.getCause() instanceof RuntimeException r ? r : new IllegalStateException(e.getCause());
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }
}
