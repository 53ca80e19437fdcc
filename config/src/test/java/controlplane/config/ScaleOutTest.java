package controlplane.config;

import static org.assertj.core.api.Assertions.assertThat;

import controlplane.core.testing.Jdbc;
import controlplane.core.testing.TestDatabase;
import controlplane.device.client.ApiException;
import controlplane.device.client.ClientOptions;
import controlplane.device.client.RouterOsClient;
import controlplane.http.TokenMinter;
import controlplane.simulator.Fleet;
import controlplane.simulator.RouterSpec;
import controlplane.simulator.SimulatorVerticle;
import controlplane.simulator.UserSpec;
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
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The scale-out topology in separate JVMs ({@code controlplane.config.Main}, as deployed): two api+core processes, one
 * device process for each of two edges, one PostgreSQL, a Vert.x cluster over Hazelcast (TCP-IP join on loopback,
 * mutual TLS on the event bus) and the simulated routers (in this JVM). Rotations go through both API nodes at once;
 * one API node is SIGKILLed mid-storm; one edge process is SIGKILLed and started again. Afterwards every site's stored
 * password logs in to its router, nothing is pending, and no answer was a 5xx other than 503 and 504.
 */
class ScaleOutTest {

  private static final String SECRET = "scale-out-test-secret-0f9e8d7c6b5a4f3e2d1c";
  private static final String ORG = "org-scale";
  private static final String SCOPES = "credentials:read credentials:rotate sites:write";
  private static final String USER = "altostrat-api";
  private static final String EDGE_A = "edge-a";
  private static final String EDGE_B = "edge-b";
  private static final int SITES_PER_EDGE = 6;

  @TempDir
  Path dir;

  private final Vertx vertx = Vertx.vertx();
  private final List<ServiceRun> runs = new ArrayList<>();
  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
  private final String token = TokenMinter.mint(SECRET, ORG, SCOPES, "scale-out-test", Duration.ofHours(1));

  @AfterEach
  void stop() throws Exception {
    for (ServiceRun run : runs) {
      run.kill();
    }
    vertx.close().await(30, TimeUnit.SECONDS);
    // The processes' logs, for a failure's post-mortem.
    ServiceRun.keepLogs(dir, "scale-out-logs");
  }

  /** One router of the simulated fleet, the site it becomes and the edge it is behind. */
  record Router(String name, String address, int port, String bootstrap, String edge) {
  }

  /** The cluster's shared settings: ports on loopback chosen now, the PEM files of the event bus's mutual TLS. */
  record Cluster(String name, List<Integer> hazelcastPorts, ClusterTls.Files tls) {
    JsonArray members() {
      return new JsonArray(hazelcastPorts.stream().map(p -> "127.0.0.1:" + p).toList());
    }
  }

  @Test
  @DisplayName("two API nodes and two edges in separate JVMs: kills of an API node and of an edge lose nothing")
  void apiAndEdgeNodesSurviveKills() throws Exception {
    String dbUrl = TestDatabase.freshDatabase();
    List<Router> routers = startRouters(2 * SITES_PER_EDGE);

    int hzApi1 = ServiceRun.freePort();
    int hzApi2 = ServiceRun.freePort();
    int hzEdgeA = ServiceRun.freePort();
    int hzEdgeB = ServiceRun.freePort();
    Cluster cluster = new Cluster("scale-out-" + UUID.randomUUID(), List.of(hzApi1, hzApi2, hzEdgeA, hzEdgeB),
        ClusterTls.write(dir.resolve("tls"), "cluster"));
    String sealingKey = sealingKey();

    Node api1 = new Node("api1", config(cluster, List.of("api", "core"), null, hzApi1, dbUrl, sealingKey));
    Node api2 = new Node("api2", config(cluster, List.of("api", "core"), null, hzApi2, dbUrl, sealingKey));
    Node edgeA = new Node("edge-a", config(cluster, List.of("device"), EDGE_A, hzEdgeA, null, null));
    Node edgeB = new Node("edge-b", config(cluster, List.of("device"), EDGE_B, hzEdgeB, null, null));
    // The first member first, so that the others join it rather than form clusters of their own at the same time.
    api1.start();
    api1.awaitReady();
    for (Node n : List.of(api2, edgeA, edgeB)) {
      n.start();
    }
    for (Node n : List.of(api2, edgeA, edgeB)) {
      n.awaitReady();
    }

    // Enrolment probes each router through its edge: it may answer edge_unavailable until the edges' consumers are
    // known cluster-wide, or device_timeout while the JVMs are cold. Half the sites through each API node.
    Map<String, Router> sites = new LinkedHashMap<>();
    for (int i = 0; i < routers.size(); i++) {
      Router r = routers.get(i);
      sites.put(enrol(i % 2 == 0 ? api1 : api2, r), r);
    }
    List<String> siteIds = List.copyOf(sites.keySet());

    // The storm: rotations through both API nodes at once.
    Map<String, AtomicInteger> outcomes = new ConcurrentHashMap<>();
    AtomicBoolean storming = new AtomicBoolean(true);
    AtomicBoolean api2Alive = new AtomicBoolean(true);
    AtomicInteger okApi1 = new AtomicInteger();
    AtomicInteger okApi2 = new AtomicInteger();
    ExecutorService workers = Executors.newFixedThreadPool(4);
    for (int w = 0; w < 4; w++) {
      int worker = w;
      workers.submit(() -> {
        int n = 0;
        while (storming.get()) {
          boolean viaApi2 = api2Alive.get() && (worker + n++) % 2 == 1;
          Node node = viaApi2 ? api2 : api1;
          String site = siteIds.get(ThreadLocalRandom.current().nextInt(siteIds.size()));
          try {
            HttpResponse<String> r = send(node, "POST", "/control-plane/" + site + "/credentials");
            String code = r.statusCode() == 200 ? "" : " " + new JsonObject(r.body()).getString("code");
            outcomes.computeIfAbsent(r.statusCode() + code, k -> new AtomicInteger()).incrementAndGet();
            if (r.statusCode() == 200) {
              (viaApi2 ? okApi2 : okApi1).incrementAndGet();
            }
          } catch (IOException e) {
            // Only the killed API node may fail to answer at all.
            outcomes.computeIfAbsent((viaApi2 ? "api2" : "api1") + " transport", k -> new AtomicInteger())
                .incrementAndGet();
          } catch (InterruptedException e) {
            return;
          }
        }
      });
    }

    awaitCount(okApi2, 5);
    awaitCount(okApi1, 5);
    api2.kill();
    api2Alive.set(false);
    int beforeEdgeKill = okApi1.get();
    awaitCount(okApi1, beforeEdgeKill + 5);
    edgeA.kill();
    // With edge-a gone, its sites answer 504 (in flight when it died) or 503 edge_unavailable (once the cluster
    // knows); edge-b's sites go on rotating.
    int whileEdgeADown = okApi1.get();
    awaitCount(okApi1, whileEdgeADown + 5);
    Thread.sleep(Duration.ofSeconds(7).toMillis());
    edgeA = new Node("edge-a-again", config(cluster, List.of("device"), EDGE_A, ServiceRun.freePort(), null, null));
    edgeA.start();
    edgeA.awaitReady();
    int afterEdgeBack = okApi1.get();
    awaitCount(okApi1, afterEdgeBack + 10);
    storming.set(false);
    workers.shutdown();
    assertThat(workers.awaitTermination(2, TimeUnit.MINUTES)).isTrue();

    // Every site rotates through api1 once more (edge-a back in the cluster), retrying while a pending version of the
    // storm is still being settled.
    for (String site : siteIds) {
      rotateUntilDone(api1, site);
    }

    System.out.println("scale-out storm outcomes: " + outcomes);
    Jdbc jdbc = new Jdbc(dbUrl);
    awaitNothingPending(jdbc);
    RouterOsClient device = RouterOsClient.create(vertx, ClientOptions.defaults().withConnectTimeoutMs(2000)
        .withCommandTimeoutMs(3000));
    for (Map.Entry<String, Router> e : sites.entrySet()) {
      HttpResponse<String> r = send(api1, "GET", "/control-plane/" + e.getKey() + "/credentials");
      assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
      String stored = new JsonArray(r.body()).getJsonObject(0).getString("password");
      assertThat(logsIn(device, e.getValue().address(), e.getValue().port(), stored)).as("stored password of site %s (%s) logs in", e.getKey(),
          e.getValue().edge()).isTrue();
    }
    assertThat(jdbc.query("SELECT count(*) AS n FROM credential_versions WHERE state = 'PENDING'").get(0))
        .containsEntry("n", 0L);
    // No 5xx but 503 and 504 (and no 500 at all); transport failures only from the killed API node.
    for (String outcome : outcomes.keySet()) {
      assertThat(outcome).as("outcomes %s", outcomes)
          .matches("200|409 rotation_in_progress|503 [a-z_]+|504 [a-z_]+|api2 transport");
    }
  }

  // -------------------------------------------------------------------------------------------------------------

  /** A control-plane process of the test: its configuration file, its output and its HTTP port. */
  final class Node {
    final String name;
    final JsonObject config;
    ServiceRun run;

    Node(String name, JsonObject config) {
      this.name = name;
      this.config = config;
    }

    int port() {
      return config.getJsonObject("http").getInteger("port");
    }

    void start() throws IOException {
      Path file = dir.resolve(name + ".yaml");
      Files.writeString(file, config.encodePrettily());
      run = ServiceRun.start(file, dir.resolve(name + ".log"));
      runs.add(run);
    }

    void awaitReady() throws Exception {
      run.awaitReady(port());
    }

    void kill() throws InterruptedException {
      run.kill();
    }
  }

  /** JSON is YAML: the configuration file of one process. */
  JsonObject config(Cluster cluster, List<String> roles, String edge, int hazelcastPort, String dbUrl,
                            String sealingKey) throws IOException {
    String name = edge == null ? "core-" + hazelcastPort : edge + "-" + hazelcastPort;
    JsonObject c = new JsonObject()
        .put("roles", new JsonArray(roles))
        .put("dataDir", Files.createDirectories(dir.resolve("data-" + name)).toString())
        .put("http", new JsonObject().put("host", "127.0.0.1").put("port", ServiceRun.freePort())
            .put("requestTimeoutMs", 20_000))
        .put("rotation", new JsonObject().put("deviceTimeoutMs", 6_000).put("leaseSeconds", 7))
        .put("reconciler", new JsonObject().put("intervalMs", 1_000))
        .put("enrolment", new JsonObject().put("ratePerMinute", 0)
            .put("deniedNetworks", new JsonArray(List.of("link-local", "unspecified", "multicast", "host-addresses"))))
        .put("simulator", new JsonObject().put("enabled", false))
        .put("cluster", new JsonObject().put("enabled", true).put("name", cluster.name()).put("host", "127.0.0.1")
            .put("port", hazelcastPort).put("eventBusPort", ServiceRun.freePort()).put("members", cluster.members())
            .put("failureDetectionSeconds", 4)
            .put("tls", new JsonObject().put("certPem", cluster.tls().cert().toString())
                .put("keyPem", cluster.tls().key().toString()).put("caPem", cluster.tls().ca().toString())));
    if (roles.contains("api")) {
      c.put("auth", new JsonObject().put("jwt", new JsonObject().put("hs256Secret", SECRET)));
    }
    if (roles.contains("core")) {
      c.put("database", new JsonObject().put("url", dbUrl).put("poolSize", 4));
      c.put("crypto", new JsonObject().put("keys", new JsonObject().put("k1", sealingKey)).put("activeKey", "k1"));
    }
    if (edge != null) {
      c.put("device", new JsonObject().put("edges", new JsonArray(List.of(edge))).put("connectTimeoutMs", 1_000)
          .put("commandTimeoutMs", 2_000));
    }
    return c;
  }

  /** The simulated routers, in this JVM: half behind each edge, each on a loopback address of its own. */
  List<Router> startRouters(int count) throws Exception {
    int port = ServiceRun.freePort();
    List<Router> routers = new ArrayList<>();
    List<RouterSpec> specs = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      Router r = new Router("so-" + i, "127.0." + (84 + i / 250) + "." + (i % 250 + 1), port,
          "Boot-" + UUID.randomUUID(),
          i % 2 == 0 ? EDGE_A : EDGE_B);
      routers.add(r);
      specs.add(RouterSpec.of(r.name(), r.address(), r.port(), "7.15.3",
          List.of(new UserSpec("admin", "full", ""), new UserSpec(USER, "full", r.bootstrap()))));
    }
    vertx.deployVerticle(new SimulatorVerticle(Fleet.of(specs), dir.resolve("simulator-state.json")))
        .await(30, TimeUnit.SECONDS);
    return routers;
  }

  String enrol(Node node, Router r) throws Exception {
    String siteId = UUID.randomUUID().toString();
    JsonObject body = new JsonObject().put("org_id", ORG).put("ip_address", r.address()).put("api_port", r.port())
        .put("server_ip", r.edge()).put("username", USER).put("password", r.bootstrap()).put("tls", false);
    Instant deadline = Instant.now().plus(Duration.ofMinutes(1));
    while (true) {
      HttpResponse<String> resp = http.send(request(node, "PUT", "/control-plane/" + siteId,
          HttpRequest.BodyPublishers.ofString(body.encode())), HttpResponse.BodyHandlers.ofString());
      if (resp.statusCode() == 200) {
        return siteId;
      }
      assertThat(resp.statusCode()).as("enrolment of %s: %s", r.name(), resp.body()).isIn(503, 504);
      assertThat(Instant.now()).as("edge %s never served: %s", r.edge(), resp.body()).isBefore(deadline);
      Thread.sleep(300);
    }
  }

  private void rotateUntilDone(Node node, String site) throws Exception {
    Instant deadline = Instant.now().plus(Duration.ofMinutes(1));
    while (true) {
      HttpResponse<String> r = send(node, "POST", "/control-plane/" + site + "/credentials");
      if (r.statusCode() == 200) {
        return;
      }
      // A version the storm left pending (an API node or an edge killed mid-push) holds the site until settled.
      assertThat(r.statusCode()).as(r.body()).isIn(409, 503, 504);
      assertThat(Instant.now()).as("site %s never rotated: %s", site, r.body()).isBefore(deadline);
      Thread.sleep(500);
    }
  }

  private static void awaitNothingPending(Jdbc jdbc) throws InterruptedException {
    Instant deadline = Instant.now().plus(Duration.ofMinutes(1));
    while (Instant.now().isBefore(deadline)) {
      Object n = jdbc.query("SELECT count(*) AS n FROM credential_versions WHERE state = 'PENDING'").get(0).get("n");
      if (((Number) n).longValue() == 0) {
        return;
      }
      Thread.sleep(500);
    }
  }

  private static void awaitCount(AtomicInteger counter, int atLeast) throws InterruptedException {
    Instant deadline = Instant.now().plus(Duration.ofMinutes(1));
    while (counter.get() < atLeast) {
      assertThat(Instant.now()).as("rotations did not reach %d", atLeast).isBefore(deadline);
      Thread.sleep(100);
    }
  }

  HttpResponse<String> send(Node node, String method, String path) throws IOException, InterruptedException {
    return http.send(request(node, method, path, HttpRequest.BodyPublishers.noBody()),
        HttpResponse.BodyHandlers.ofString());
  }

  private HttpRequest request(Node node, String method, String path, HttpRequest.BodyPublisher body) {
    return HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + node.port() + path))
        .timeout(Duration.ofSeconds(30))
        .header("Authorization", "Bearer " + token)
        .header("Content-Type", "application/json")
        .method(method, body).build();
  }

  /** Whether the API user logs in to the router at {@code address:port} with {@code password}. */
  static boolean logsIn(RouterOsClient device, String address, int port, String password) throws Exception {
    Future<Boolean> result = device.connect(address, port, false).compose(c -> c.login(USER, password)
        .transform(ar -> c.close().transform(x -> {
          if (ar.succeeded()) {
            return Future.succeededFuture(true);
          }
          if (ar.cause() instanceof ApiException e && e.kind() == ApiException.Kind.LOGIN_FAILED) {
            return Future.succeededFuture(false);
          }
          return Future.failedFuture(ar.cause());
        })));
    return result.await(30, TimeUnit.SECONDS);
  }

  static String sealingKey() {
    byte[] key = new byte[32];
    new SecureRandom().nextBytes(key);
    return Base64.getEncoder().encodeToString(key);
  }
}
