package controlplane.config;

import static org.assertj.core.api.Assertions.assertThat;

import controlplane.core.testing.Jdbc;
import controlplane.core.testing.TestDatabase;
import controlplane.device.client.ClientOptions;
import controlplane.device.client.RouterOsClient;
import controlplane.http.TokenMinter;
import controlplane.simulator.Faults;
import controlplane.simulator.Fleet;
import controlplane.simulator.RouterSpec;
import controlplane.simulator.SimulatedRouter;
import controlplane.simulator.Simulator;
import controlplane.simulator.SimulatorVerticle;
import controlplane.simulator.UserSpec;
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
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * One bulk job shared by two service processes in separate JVMs over one PostgreSQL (each with its own device
 * verticle, no cluster: jobs need none), one of them SIGKILLed while it holds sites of the job. The survivor claims
 * the dead one's sites once their lease has run out (60 s; its poll every 20 s), after their PENDING versions were
 * taken over: the job completes with every site rotated and counted once, never more than {@code max_in_flight}
 * sites held at once, and every stored password logs in. About 90 seconds. Also: a job whose sites all sit behind one
 * edge is shared by two processes, not held by the first to claim it.
 */
class BulkJobProcessesTest {

  private static final String SECRET = "bulk-job-processes-test-secret-5e4d3c2b1a09";
  private static final String ORG = "org-jobs";
  private static final String USER = "altostrat-api";
  private static final int SITES = 60;
  private static final int MAX_IN_FLIGHT = 4;

  @TempDir
  Path dir;

  private final Vertx vertx = Vertx.vertx();
  private final List<ServiceRun> runs = new ArrayList<>();
  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
  private final String token = TokenMinter.mint(SECRET, ORG, "credentials:read credentials:rotate sites:write",
      "bulk-job-test", Duration.ofHours(1));

  @AfterEach
  void stop() throws Exception {
    for (ServiceRun run : runs) {
      run.kill();
    }
    vertx.close().await(30, TimeUnit.SECONDS);
    ServiceRun.keepLogs(dir, "bulk-job-logs");
  }

  @Test
  @DisplayName("two processes share a bulk job; one is SIGKILLed holding sites: the other finishes every site once,"
      + " within max_in_flight, and every stored password logs in")
  void jobSurvivesAKilledProcess() throws Exception {
    String dbUrl = TestDatabase.freshDatabase();
    Jdbc jdbc = new Jdbc(dbUrl);
    int routerPort = ServiceRun.freePort();
    Map<String, String> bootstrap = new LinkedHashMap<>();
    Simulator simulator = startRouters(SITES, "127.0.86.", routerPort, bootstrap);
    String sealingKey = ScaleOutTest.sealingKey();

    // B polls often; A rarely, so that A holds only what it claims when it creates the job (batchSize 2) and
    // refills itself, and B claims the rest of max_in_flight: both hold sites of the job.
    int portB = ServiceRun.freePort();
    ServiceRun b = start("b", portB, dbUrl, sealingKey, scheduler(500, 2, 8));
    int portA = ServiceRun.freePort();
    start("a", portA, dbUrl, sealingKey, scheduler(20_000, 2, 8));
    String ownerB = logged(b, ".* claims sites as (core-[0-9a-f-]+) .*");
    String processB = logged(b, ".* process ([0-9a-f-]{36}) registered .*");
    Map<String, String> sites = enrolAll(portA, bootstrap, routerPort);
    // Slow routers from here on (five replies a rotation), so that the job is still running when B is killed.
    setDelay(simulator, 250);

    String jobId = createJob(portA);

    // Never more sites of the job held under a live lease than max_in_flight, whoever holds them.
    AtomicLong maxHeld = new AtomicLong();
    AtomicBoolean sampling = new AtomicBoolean(true);
    Thread sampler = new Thread(() -> {
      while (sampling.get()) {
        maxHeld.accumulateAndGet(count(jdbc, "SELECT count(*) AS n FROM rotation_job_sites WHERE job_id = ?::uuid"
            + " AND state = 'running' AND lease_until > now()", jobId), Math::max);
        sleep(30);
      }
    });
    sampler.start();

    String heldByB = "SELECT count(*) AS n FROM rotation_job_sites WHERE job_id = ?::uuid AND state = 'running'"
        + " AND claimed_by = '" + ownerB + "'";
    // Killed mid-rotation: B holds sites of the job and the PENDING version of one of them.
    await("both processes hold sites of the job, B a PENDING version", () -> count(jdbc, heldByB, jobId) > 0
        && count(jdbc, "SELECT count(*) AS n FROM rotation_job_sites WHERE job_id = ?::uuid AND state = 'running'"
        + " AND claimed_by <> '" + ownerB + "'", jobId) > 0
        && count(jdbc, "SELECT count(*) AS n FROM credential_versions WHERE state = 'PENDING'"
        + " AND owner_process = ?::uuid", processB) > 0 ? Boolean.TRUE : null);
    b.kill();
    long heldByDead = count(jdbc, heldByB, jobId);
    assertThat(heldByDead).as("sites the killed process held").isPositive();
    setDelay(simulator, 0);

    JsonObject job = awaitCompleted(portA, jobId);
    sampling.set(false);
    sampler.join();

    assertThat(job.getInteger("total")).isEqualTo(SITES);
    assertThat(job.getInteger("succeeded")).as(job.encode()).isEqualTo(SITES);
    assertThat(job.getInteger("failed")).isZero();
    assertThat(job.getInteger("unknown")).isZero();
    assertThat(maxHeld.get()).isBetween(1L, (long) MAX_IN_FLIGHT);
    assertThat(count(jdbc, "SELECT count(*) AS n FROM rotation_job_sites WHERE job_id = ?::uuid"
        + " AND state = 'succeeded'", jobId)).isEqualTo(SITES);
    // The dead process's sites were claimed again by the survivor once their lease ran out.
    assertThat(count(jdbc, "SELECT count(*) AS n FROM rotation_job_sites WHERE job_id = ?::uuid AND attempts >= 2",
        jobId)).isGreaterThanOrEqualTo(heldByDead);
    assertThat(count(jdbc, "SELECT count(*) AS n FROM credential_versions WHERE state = 'PENDING'", null)).isZero();

    everyStoredPasswordLogsIn(portA, sites, bootstrap, routerPort);
  }

  @Test
  @DisplayName("a job on one edge is shared: a process whose sites of the job wait for the edge leaves the job's free"
      + " places to the other process, so both rotate sites of it")
  void jobOnOneEdgeIsShared() throws Exception {
    String dbUrl = TestDatabase.freshDatabase();
    Jdbc jdbc = new Jdbc(dbUrl);
    int routerPort = ServiceRun.freePort();
    Map<String, String> bootstrap = new LinkedHashMap<>();
    Simulator simulator = startRouters(20, "127.0.87.", routerPort, bootstrap);
    String sealingKey = ScaleOutTest.sealingKey();
    // One device operation per edge and process; a claim takes every free place (batchSize = max_in_flight), so the
    // first process to claim holds all of max_in_flight, three of them waiting for the edge.
    int portA = ServiceRun.freePort();
    ServiceRun a = start("a", portA, dbUrl, sealingKey, scheduler(500, MAX_IN_FLIGHT, 1));
    int portB = ServiceRun.freePort();
    ServiceRun b = start("b", portB, dbUrl, sealingKey, scheduler(500, MAX_IN_FLIGHT, 1));
    String processA = logged(a, ".* process ([0-9a-f-]{36}) registered .*");
    String processB = logged(b, ".* process ([0-9a-f-]{36}) registered .*");
    Map<String, String> sites = enrolAll(portA, bootstrap, routerPort);
    setDelay(simulator, 100);

    String jobId = createJob(portA);
    JsonObject job = awaitCompleted(portA, jobId);

    assertThat(job.getInteger("succeeded")).as(job.encode()).isEqualTo(sites.size());
    // Each site's current version records the process that rotated it.
    String byProcess = "SELECT count(*) AS n FROM credential_versions WHERE state = 'CURRENT' AND owner_process = ?::uuid";
    long rotatedByA = count(jdbc, byProcess, processA);
    long rotatedByB = count(jdbc, byProcess, processB);
    assertThat(rotatedByA).as("sites rotated by A").isPositive();
    assertThat(rotatedByB).as("sites rotated by B").isPositive();
    assertThat(rotatedByA + rotatedByB).isEqualTo(sites.size());
    setDelay(simulator, 0);
    everyStoredPasswordLogsIn(portA, sites, bootstrap, routerPort);
  }

  // -------------------------------------------------------------------------------------------------------------

  /** {@code count} routers at {@code net}1, {@code net}2, ... on {@code port}; their bootstrap passwords. */
  private Simulator startRouters(int count, String net, int port, Map<String, String> bootstrap) throws Exception {
    List<RouterSpec> specs = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      String address = net + (i + 1);
      bootstrap.put(address, "Boot-" + UUID.randomUUID());
      specs.add(RouterSpec.of("job-" + i, address, port, "7.15.3",
          List.of(new UserSpec("admin", "full", ""), new UserSpec(USER, "full", bootstrap.get(address)))));
    }
    SimulatorVerticle sv = new SimulatorVerticle(Fleet.of(specs), dir.resolve("simulator-state.json"));
    vertx.deployVerticle(sv).await(30, TimeUnit.SECONDS);
    return sv.simulator();
  }

  private void everyStoredPasswordLogsIn(int port, Map<String, String> sites, Map<String, String> bootstrap,
                                         int routerPort) throws Exception {
    RouterOsClient device = RouterOsClient.create(vertx, ClientOptions.defaults().withConnectTimeoutMs(2000)
        .withCommandTimeoutMs(3000));
    for (Map.Entry<String, String> site : sites.entrySet()) {
      String stored = new JsonArray(get(port, "/control-plane/" + site.getKey() + "/credentials")).getJsonObject(0)
          .getString("password");
      assertThat(stored).isNotEqualTo(bootstrap.get(site.getValue()));
      assertThat(ScaleOutTest.logsIn(device, site.getValue(), routerPort, stored)).as("site %s logs in", site.getKey())
          .isTrue();
    }
  }

  private static JsonObject scheduler(int pollMs, int batchSize, int perEdge) {
    return new JsonObject().put("intervalMs", pollMs).put("batchSize", batchSize).put("backoffBaseMs", 300)
        .put("backoffMaxMs", 2_000).put("maxAttempts", 30).put("maxInFlightPerEdge", perEdge);
  }

  private ServiceRun start(String name, int port, String dbUrl, String sealingKey, JsonObject scheduler)
      throws Exception {
    JsonObject c = new JsonObject()
        .put("dataDir", Files.createDirectories(dir.resolve("data-" + name)).toString())
        .put("http", new JsonObject().put("host", "127.0.0.1").put("port", port))
        .put("auth", new JsonObject().put("jwt", new JsonObject().put("hs256Secret", SECRET)))
        .put("database", new JsonObject().put("url", dbUrl).put("poolSize", 4))
        .put("crypto", new JsonObject().put("keys", new JsonObject().put("k1", sealingKey)).put("activeKey", "k1"))
        .put("rotation", new JsonObject().put("deviceTimeoutMs", 6_000).put("leaseSeconds", 7))
        .put("reconciler", new JsonObject().put("intervalMs", 500).put("ownerDeadAfterMs", 2_000))
        .put("scheduler", scheduler)
        .put("enrolment", new JsonObject().put("ratePerMinute", 0)
            .put("deniedNetworks", new JsonArray(List.of("link-local", "unspecified", "multicast"))))
        .put("simulator", new JsonObject().put("enabled", false))
        .put("device", new JsonObject().put("connectTimeoutMs", 2_000).put("commandTimeoutMs", 4_000));
    Path file = dir.resolve(name + ".yaml");
    Files.writeString(file, c.encodePrettily());
    ServiceRun run = ServiceRun.start(file, dir.resolve(name + ".log"));
    runs.add(run);
    run.awaitReady(port);
    return run;
  }

  /** The first group of {@code pattern} in the first line of the process's output it matches. */
  private static String logged(ServiceRun run, String pattern) throws IOException {
    return run.lines().stream().filter(l -> l.matches(pattern)).map(l -> l.replaceAll(pattern, "$1")).findFirst()
        .orElseThrow(() -> new AssertionError("no line matches " + pattern));
  }

  private static void setDelay(Simulator simulator, long ms) throws Exception {
    for (SimulatedRouter r : simulator.routers()) {
      r.faults(Faults.NONE.withDelayMs(ms)).await(10, TimeUnit.SECONDS);
    }
  }

  /** Enrols every router of {@code bootstrap} through the process on {@code port}: site id to router address. */
  private Map<String, String> enrolAll(int port, Map<String, String> bootstrap, int routerPort) throws Exception {
    Map<String, String> sites = new LinkedHashMap<>();
    for (Map.Entry<String, String> r : bootstrap.entrySet()) {
      sites.put(enrol(port, r.getKey(), routerPort, r.getValue()), r.getKey());
    }
    return sites;
  }

  /** A bulk job over every site of the organisation at {@code max_in_flight} MAX_IN_FLIGHT; its id. */
  private String createJob(int port) throws Exception {
    HttpResponse<String> created = send(port, "POST", "/control-plane/rotations",
        new JsonObject().put("selector", new JsonObject()).put("max_in_flight", MAX_IN_FLIGHT).encode());
    assertThat(created.statusCode()).as(created.body()).isEqualTo(202);
    return new JsonObject(created.body()).getString("id");
  }

  private JsonObject awaitCompleted(int port, String jobId) throws Exception {
    return await("the job completes", () -> {
      JsonObject j = new JsonObject(get(port, "/control-plane/rotations/" + jobId));
      return j.getString("state").equals("completed") ? j : null;
    }, Duration.ofMinutes(3));
  }

  private String enrol(int port, String address, int routerPort, String password) throws Exception {
    String siteId = UUID.randomUUID().toString();
    HttpResponse<String> r = send(port, "PUT", "/control-plane/" + siteId, new JsonObject().put("org_id", ORG)
        .put("ip_address", address).put("api_port", routerPort).put("server_ip", "edge-jobs").put("username", USER)
        .put("password", password).put("tls", false).put("rotate_on_enrol", false).encode());
    assertThat(r.statusCode()).as(r.body()).isIn(200, 201);
    return siteId;
  }

  private String get(int port, String path) throws Exception {
    HttpResponse<String> r = send(port, "GET", path, null);
    assertThat(r.statusCode()).as(path + ": " + r.body()).isEqualTo(200);
    return r.body();
  }

  private HttpResponse<String> send(int port, String method, String path, String body) throws Exception {
    return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
        .timeout(Duration.ofSeconds(30))
        .header("Authorization", "Bearer " + token)
        .header("Content-Type", "application/json")
        .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body))
        .build(), HttpResponse.BodyHandlers.ofString());
  }

  private static long count(Jdbc jdbc, String sql, String param) {
    List<Map<String, Object>> rows = param == null ? jdbc.query(sql) : jdbc.query(sql, param);
    return ((Number) rows.get(0).get("n")).longValue();
  }

  /** Polls {@code probe} until it answers non-null; its answer. */
  private static <T> T await(String what, ThrowingSupplier<T> probe) throws Exception {
    return await(what, probe, Duration.ofMinutes(1));
  }

  private static <T> T await(String what, ThrowingSupplier<T> probe, Duration within) throws Exception {
    Instant deadline = Instant.now().plus(within);
    while (true) {
      T answer = probe.get();
      if (answer != null) {
        return answer;
      }
      assertThat(Instant.now()).as("waiting until %s", what).isBefore(deadline);
      Thread.sleep(20);
    }
  }

  private interface ThrowingSupplier<T> {
    T get() throws Exception;
  }

  private static void sleep(long ms) {
    try {
      Thread.sleep(ms);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
