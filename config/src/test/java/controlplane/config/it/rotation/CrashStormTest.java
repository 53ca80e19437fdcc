package controlplane.config.it.rotation;

import static org.assertj.core.api.Assertions.assertThat;

import controlplane.core.crypto.KeyRing;
import controlplane.core.crypto.Sealed;
import controlplane.core.crypto.Sealer;
import controlplane.core.testing.Jdbc;
import controlplane.core.testing.TestDatabase;
import controlplane.device.client.ClientOptions;
import controlplane.device.client.RouterOsClient;
import controlplane.http.TokenMinter;
import controlplane.simulator.Faults;
import controlplane.simulator.Fleet;
import controlplane.simulator.SimulatedRouter;
import controlplane.simulator.SimulatorVerticle;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The service is SIGKILLed in the middle of a storm of rotations (separate JVM, device role in the same process) and
 * started again: the restarted process takes the dead one's PENDING versions over at once (V12). Every site's stored
 * password logs in again and nothing stays PENDING; the time from readiness until every stored password logs in is
 * printed (docs/RELIABILITY.md reports it), not asserted.
 *
 * <p>{@code -Dcrashstorm.ownerDeadAfterMs=600000} runs the same storm with takeovers in effect off (an owner is
 * dead only after ten minutes), which shows the time the lease alone takes.
 */
class CrashStormTest {

  private static final int SITES = 40;
  private static final String SECRET = "crash-storm-secret-0123456789abcdef";
  private static final String ORG = "org-storm";
  private static final String USER = "altostrat-api";
  private static final String SEALING_KEY = newKey();
  private static final Sealer SEALER = new Sealer(KeyRing.of(Map.of("storm-1", SEALING_KEY), "storm-1"));
  /** Each reply of the simulated routers is this late: a rotation takes about a second, so the kill lands mid-way. */
  private static final long ROUTER_DELAY_MS = 120;

  private static Vertx vertx;
  private static SimulatorVerticle simulator;
  private static RouterOsClient client;
  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  @TempDir
  Path dir;

  private static String newKey() {
    byte[] key = new byte[32];
    new java.security.SecureRandom().nextBytes(key);
    return java.util.Base64.getEncoder().encodeToString(key);
  }

  @BeforeAll
  static void startSimulator() throws Exception {
    vertx = Vertx.vertx();
    StringBuilder yaml = new StringBuilder("routers:\n");
    for (int i = 1; i <= SITES; i++) {
      yaml.append("""
            - name: storm-%d
              address: 127.8.0.%d
              port: 28729
              version: "7.15.3"
              login: plain
              identity: storm-%d
              users:
                - { name: altostrat-api, group: full, password: "boot-storm-%d" }
          """.formatted(i, i, i, i));
    }
    simulator = new SimulatorVerticle(Fleet.fromYaml(yaml.toString()), null);
    await(vertx.deployVerticle(simulator));
    client = RouterOsClient.create(vertx, ClientOptions.defaults());
  }

  @AfterAll
  static void stop() throws Exception {
    await(vertx.close());
  }

  @Test
  @DisplayName("SIGKILL mid-storm, restart: every stored password logs in again and nothing stays PENDING")
  void healsAfterKillMidStorm() throws Exception {
    String dbUrl = TestDatabase.freshDatabase();
    int port = ServiceProcess.freePort();
    long ownerDeadAfterMs = Long.getLong("crashstorm.ownerDeadAfterMs", 5_000);
    Path config = dir.resolve("service.yaml");
    Files.writeString(config, """
        http: { host: 127.0.0.1, port: %d }
        auth: { jwt: { hs256Secret: "%s" } }
        database: { url: "%s", poolSize: 8 }
        crypto: { keys: { storm-1: "%s" }, activeKey: storm-1 }
        dataDir: "%s"
        rotation: { leaseSeconds: 20, deviceTimeoutMs: 10000 }
        reconciler: { intervalMs: 2000, ownerDeadAfterMs: %d }
        device: { connectTimeoutMs: 2000, commandTimeoutMs: 3000 }
        simulator: { enabled: false }
        enrolment: { deniedNetworks: [link-local, unspecified, multicast, host-addresses], ratePerMinute: 0 }
        """.formatted(port, SECRET, dbUrl, SEALING_KEY, dir.resolve("data"), ownerDeadAfterMs));
    Path log = dir.resolve("service.log");
    Map<String, SimulatedRouter> sites = new LinkedHashMap<>();

    try (ServiceProcess first = ServiceProcess.start(config, port, null, log)) {
      List<CompletableFuture<HttpResponse<String>>> enrolments = new ArrayList<>();
      for (int i = 1; i <= SITES; i++) {
        SimulatedRouter router = simulator.simulator().router("storm-" + i).orElseThrow();
        String siteId = UUID.randomUUID().toString();
        sites.put(siteId, router);
        enrolments.add(send(first, "PUT", "/control-plane/" + siteId, new JsonObject()
            .put("org_id", ORG).put("ip_address", router.address()).put("api_port", router.port())
            .put("server_ip", "edge-storm").put("username", USER)
            .put("password", router.user(USER).orElseThrow().password()).put("tls", false)));
      }
      for (CompletableFuture<HttpResponse<String>> e : enrolments) {
        assertThat(e.get(60, TimeUnit.SECONDS).statusCode()).isEqualTo(200);
      }
      for (SimulatedRouter router : sites.values()) {
        await(router.faults(Faults.NONE.withDelayMs(ROUTER_DELAY_MS)));
      }
      // The storm: one rotation per site at once, and the process is killed while they are under way.
      sites.keySet().forEach(site -> send(first, "POST", "/control-plane/" + site + "/credentials", null));
      // Killed once a third of the routers took their new password that is not stored as current yet.
      Jdbc watch = new Jdbc(dbUrl);
      long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
      while (System.nanoTime() < until && mismatched(watch, sites) < SITES / 3) {
        Thread.sleep(5);
      }
      first.kill();
    }

    Jdbc db = new Jdbc(dbUrl);
    long pendingAtKill = pending(db);
    long routersChanged = mismatched(db, sites);
    System.out.printf("crash storm: killed with %d PENDING versions; %d routers hold a password that is not the"
        + " stored current one%n", pendingAtKill, routersChanged);

    try (ServiceProcess second = ServiceProcess.start(config, port, null, log)) {
      long ready = System.nanoTime();
      long deadline = ready + TimeUnit.SECONDS.toNanos(120);
      while (System.nanoTime() < deadline && mismatched(db, sites) > 0) {
        Thread.sleep(100);
      }
      double seconds = (System.nanoTime() - ready) / 1e9;
      System.out.printf("crash storm: every stored password logs in %.1f s after readiness (ownerDeadAfterMs %d,"
          + " leaseSeconds 20)%n", seconds, ownerDeadAfterMs);
      assertThat(mismatched(db, sites)).as("sites whose stored password is not the router's").isZero();

      while (System.nanoTime() < deadline && pending(db) > 0) {
        Thread.sleep(250);
      }
      assertThat(pending(db)).as("PENDING versions left after the lease and the reconciler's passes").isZero();
      for (Map.Entry<String, SimulatedRouter> e : sites.entrySet()) {
        assertThat(logsIn(e.getValue(), stored(db).get(e.getKey()))).as("site %s", e.getKey()).isTrue();
      }
      if (pendingAtKill > 0 && ownerDeadAfterMs < 60_000) {
        assertThat(Files.readString(log)).contains("is dead; taking the version over");
      }
    }
  }

  private static long pending(Jdbc db) {
    return ((Number) db.query("SELECT count(*) AS n FROM credential_versions WHERE state = 'PENDING'").get(0)
        .get("n")).longValue();
  }

  /** Every site's stored CURRENT password, opened with the service's key; one query. */
  private static Map<String, String> stored(Jdbc db) {
    Map<String, String> out = new java.util.HashMap<>();
    for (Map<String, Object> row : db.query("SELECT site_id, id, key_id, nonce, sealed_password"
        + " FROM credential_versions WHERE state = 'CURRENT'")) {
      UUID site = (UUID) row.get("site_id");
      out.put(site.toString(), SEALER.open(new Sealed((String) row.get("key_id"), (byte[]) row.get("nonce"),
          (byte[]) row.get("sealed_password")), site, (UUID) row.get("id")));
    }
    return out;
  }

  /** The sites whose router does not hold the stored CURRENT password (the simulator is the router's truth). */
  private static long mismatched(Jdbc db, Map<String, SimulatedRouter> sites) {
    Map<String, String> stored = stored(db);
    return sites.entrySet().stream()
        .filter(e -> !e.getValue().user(USER).orElseThrow().password().equals(stored.get(e.getKey()))).count();
  }

  private CompletableFuture<HttpResponse<String>> send(ServiceProcess sp, String method, String path,
                                                      JsonObject body) {
    String token = TokenMinter.mint(SECRET, ORG, "credentials:read credentials:rotate sites:write", "storm-test",
        Duration.ofMinutes(10));
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(sp.base() + path))
        .timeout(Duration.ofSeconds(60))
        .header("Authorization", "Bearer " + token);
    if (body != null) {
      b.header("Content-Type", "application/json").method(method, HttpRequest.BodyPublishers.ofString(body.encode()));
    } else {
      b.method(method, HttpRequest.BodyPublishers.noBody());
    }
    return http.sendAsync(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  private static boolean logsIn(SimulatedRouter r, String password) throws Exception {
    return await(client.connect(r.address(), r.port(), false)
        .compose(c -> c.login(USER, password).eventually(c::close))
        .map(true)
        .otherwise(false));
  }

  private static <T> T await(Future<T> f) throws Exception {
    return f.toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
  }
}
