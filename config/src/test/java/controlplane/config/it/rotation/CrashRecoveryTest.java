package controlplane.config.it.rotation;

import static org.assertj.core.api.Assertions.assertThat;

import controlplane.config.CrashingMain;
import controlplane.core.bus.RotationStep;
import controlplane.core.testing.Jdbc;
import controlplane.core.testing.TestDatabase;
import controlplane.device.client.ClientOptions;
import controlplane.device.client.RouterOsClient;
import controlplane.http.TokenMinter;
import controlplane.simulator.Fleet;
import controlplane.simulator.SimulatedRouter;
import controlplane.simulator.SimulatorVerticle;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The service process is killed for real (halted by its crash hook, like SIGKILL) between each pair of rotation steps,
 * then started again: every case converges to a stored current password that logs in to the router.
 */
class CrashRecoveryTest {

  private static final String SECRET = "crash-test-secret-0123456789abcdef";
  private static final String ORG = "org-crash";
  private static final String USER = "altostrat-api";
  /** One key for the crashing and the restarted process: the database is external, so the key is configured. */
  private static final String SEALING_KEY = newKey();

  private static Vertx vertx;
  private static SimulatorVerticle simulator;
  private static RouterOsClient client;
  private final HttpClient http = HttpClient.newHttpClient();

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
    RotationStep[] steps = RotationStep.values();
    for (int i = 0; i < steps.length; i++) {
      yaml.append("""
            - name: %s
              address: 127.7.0.%d
              port: 28729
              version: "7.15.3"
              login: plain
              identity: %s
              users:
                - { name: altostrat-api, group: full, password: "boot-%s" }
          """.formatted(router(steps[i]), i + 1, router(steps[i]), router(steps[i])));
    }
    simulator = new SimulatorVerticle(Fleet.fromYaml(yaml.toString()), null);
    await(vertx.deployVerticle(simulator));
    client = RouterOsClient.create(vertx, ClientOptions.defaults());
  }

  @AfterAll
  static void stop() throws Exception {
    await(vertx.close());
  }

  @ParameterizedTest(name = "killed at {0}")
  @EnumSource(RotationStep.class)
  @DisplayName("the process dies at a rotation step and is started again: the stored current password logs in")
  void convergesAfterCrash(RotationStep step) throws Exception {
    String dbUrl = TestDatabase.freshDatabase();
    int port = ServiceProcess.freePort();
    Path config = dir.resolve("service.yaml");
    Files.writeString(config, """
        http: { host: 127.0.0.1, port: %d }
        auth: { jwt: { hs256Secret: "%s" } }
        database: { url: "%s", poolSize: 4 }
        crypto: { keys: { crash-1: "%s" }, activeKey: crash-1 }
        dataDir: "%s"
        rotation: { leaseSeconds: 4, deviceTimeoutMs: 3000 }
        reconciler: { intervalMs: 500 }
        device: { connectTimeoutMs: 2000, commandTimeoutMs: 3000 }
        simulator: { enabled: false }
        # database.url is set (production) but the simulated routers are on loopback
        enrolment: { deniedNetworks: [link-local, unspecified, multicast, host-addresses] }
        """.formatted(port, SECRET, dbUrl, SEALING_KEY, dir.resolve("data")));
    Path log = dir.resolve("service.log");
    SimulatedRouter router = simulator.simulator().router(router(step)).orElseThrow();
    String siteId = UUID.randomUUID().toString();
    String bootstrap = router.user(USER).orElseThrow().password();

    int exit;
    try (ServiceProcess first = ServiceProcess.start(config, port, step, log)) {
      HttpResponse<String> enrolled = send(first, "PUT", "/control-plane/" + siteId, new JsonObject()
          .put("org_id", ORG).put("ip_address", router.address()).put("api_port", router.port())
          .put("server_ip", "edge-crash").put("username", USER).put("password", bootstrap).put("tls", false)
          // The crash is to hit the rotation below, not the one an enrolment makes by default.
          .put("rotate_on_enrol", false));
      assertThat(enrolled.statusCode()).as(enrolled.body()).isEqualTo(200);
      try {
        HttpResponse<String> r = send(first, "POST", "/control-plane/" + siteId + "/credentials", null);
        throw new AssertionError("the rotation answered " + r.statusCode() + " instead of the process dying");
      } catch (IOException expected) {
        // the process died mid-request
      }
      exit = first.awaitExit(Duration.ofSeconds(30));
    }
    assertThat(exit).as("halted at the step").isEqualTo(CrashingMain.EXIT_STATUS);

    try (ServiceProcess second = ServiceProcess.start(config, port, null, log)) {
      Jdbc db = new Jdbc(dbUrl);
      Instant deadline = Instant.now().plus(Duration.ofSeconds(60));
      while (pending(db, siteId) > 0 && Instant.now().isBefore(deadline)) {
        Thread.sleep(250);
      }
      assertThat(pending(db, siteId)).as("PENDING versions left").isZero();

      HttpResponse<String> read = send(second, "GET", "/control-plane/" + siteId + "/credentials", null);
      assertThat(read.statusCode()).isEqualTo(200);
      String stored = new JsonArray(read.body()).getJsonObject(0).getString("password");
      assertThat(logsIn(router, stored)).as("stored current password logs in").isTrue();
      assertThat(router.user(USER).orElseThrow().password()).isEqualTo(stored);
      if (step == RotationStep.PENDING_COMMITTED) {
        assertThat(stored).as("the router was never touched").isEqualTo(bootstrap);
      } else {
        assertThat(stored).as("the router took the new password, so it must be the stored one")
            .isNotEqualTo(bootstrap);
      }
    }
  }

  private static long pending(Jdbc db, String siteId) {
    return db.query("SELECT 1 FROM credential_versions WHERE site_id = ? AND state = 'PENDING'",
        UUID.fromString(siteId)).size();
  }

  private HttpResponse<String> send(ServiceProcess sp, String method, String path, JsonObject body)
      throws IOException, InterruptedException {
    String token = TokenMinter.mint(SECRET, ORG, "credentials:read credentials:rotate sites:write", "crash-test",
        Duration.ofMinutes(10));
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(sp.base() + path))
        .timeout(Duration.ofSeconds(60))
        .header("Authorization", "Bearer " + token);
    if (body != null) {
      b.header("Content-Type", "application/json").method(method, HttpRequest.BodyPublishers.ofString(body.encode()));
    } else {
      b.method(method, HttpRequest.BodyPublishers.noBody());
    }
    return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
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

  /** The simulated router that a crash at {@code step} is tried on. */
  private static String router(RotationStep step) {
    return step.name().toLowerCase(java.util.Locale.ROOT);
  }
}
