package controlplane.config.it.rotation;

import controlplane.config.ConfigLoader;
import controlplane.core.CoreConfig;
import controlplane.core.CoreVerticle;
import controlplane.core.bus.Addresses;
import controlplane.core.bus.Fields;
import controlplane.core.testing.TestDatabase;
import controlplane.device.DeviceConfig;
import controlplane.device.client.ClientOptions;
import controlplane.device.client.RouterOsClient;
import controlplane.device.push.DevicePushVerticle;
import controlplane.simulator.Fleet;
import controlplane.simulator.SimulatedRouter;
import controlplane.simulator.SimulatorVerticle;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

/**
 * The rotation roles of one process, for real: core on a fresh PostgreSQL database, the device-push verticle and
 * the simulator, talking over the event bus exactly as in production. No HTTP.
 */
final class Stack implements AutoCloseable {

  static final String ORG = "org-it";
  static final String USER = "altostrat-api";

  final Vertx vertx = Vertx.vertx();
  final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
  final String databaseUrl = TestDatabase.freshDatabase();
  final SimulatorVerticle simulator;
  final CoreVerticle core;
  final RouterOsClient client = RouterOsClient.create(vertx, ClientOptions.defaults());

  /**
   * @param fleetYaml the simulated routers
   * @param dataDir the configuration's dataDir (the sealing key is configured: the database is external)
   */
  Stack(String fleetYaml, Path dataDir, Map<String, Object> overrides) throws Exception {
    JsonObject config = await(ConfigLoader.load(vertx, null, Map.of()));
    config.getJsonObject("database").put("url", databaseUrl);
    // The shortest lease the configuration allows with this device timeout (it must outlast one device operation).
    config.getJsonObject("rotation").put("leaseSeconds", 9).put("deviceTimeoutMs", 8000);
    config.getJsonObject("reconciler").put("intervalMs", 500);
    // No background drift logins: these tests change routers' passwords on purpose.
    config.getJsonObject("drift").put("checkPeriodSeconds", 0);
    config.getJsonObject("device").put("connectTimeoutMs", 1000).put("commandTimeoutMs", 1500);
    config.put("dataDir", dataDir.toString());
    config.getJsonObject("crypto").put("keys", new JsonObject().put("it-1", newKey())).put("activeKey", "it-1");
    // database.url is set (production) but the simulated routers are on loopback.
    config.getJsonObject("enrolment").put("deniedNetworks",
        List.of("link-local", "unspecified", "multicast", "host-addresses")).put("ratePerMinute", 0);
    overrides.forEach((path, value) -> put(config, path, value));
    simulator = new SimulatorVerticle(Fleet.fromYaml(fleetYaml), null);
    core = new CoreVerticle(CoreConfig.fromJson(config), registry);
    await(vertx.deployVerticle(simulator));
    await(vertx.deployVerticle(core));
    await(vertx.deployVerticle(new DevicePushVerticle(DeviceConfig.fromJson(config), registry)));
  }

  private static String newKey() {
    byte[] key = new byte[32];
    new SecureRandom().nextBytes(key);
    return Base64.getEncoder().encodeToString(key);
  }

  private static void put(JsonObject config, String path, Object value) {
    String[] parts = path.split("\\.");
    JsonObject node = config;
    for (int i = 0; i < parts.length - 1; i++) {
      node = node.getJsonObject(parts[i]);
    }
    node.put(parts[parts.length - 1], value);
  }

  SimulatedRouter router(String name) {
    return simulator.simulator().router(name).orElseThrow();
  }

  /** The router's actual password for the API user, as the simulator holds it. */
  String routerPassword(String name) {
    return router(name).user(USER).orElseThrow().password();
  }

  String enrol(String routerName) throws Exception {
    SimulatedRouter r = router(routerName);
    String siteId = UUID.randomUUID().toString();
    await(request(Addresses.SITE_PUT, new JsonObject()
        .put(Fields.SITE_ID, siteId).put(Fields.ORG_ID, ORG).put(Fields.ACTOR, "it")
        .put(Fields.IP_ADDRESS, r.address()).put(Fields.API_PORT, r.port()).put(Fields.SERVER_IP, "edge-it")
        .put(Fields.USERNAME, USER).put(Fields.PASSWORD, routerPassword(routerName)).put(Fields.TLS, false)
        .put(Fields.VERIFY, true).put(Fields.ROTATE_ON_ENROL, false)));
    return siteId;
  }

  Future<JsonObject> rotate(String siteId) {
    return request(Addresses.ROTATE, new JsonObject().put(Fields.SITE_ID, siteId).put(Fields.ORG_ID, ORG)
        .put(Fields.ACTOR, "it"));
  }

  JsonObject current(String siteId) throws Exception {
    return await(request(Addresses.CREDENTIALS_GET,
        new JsonObject().put(Fields.SITE_ID, siteId).put(Fields.ORG_ID, ORG)));
  }

  Future<JsonObject> request(String address, JsonObject body) {
    return vertx.eventBus().<JsonObject>request(address, body, new DeliveryOptions().setSendTimeout(30_000))
        .map(m -> m.body());
  }

  /** Whether a fresh API login with {@code password} succeeds on the router. */
  boolean logsIn(String routerName, String password) throws Exception {
    SimulatedRouter r = router(routerName);
    return await(client.connect(r.address(), r.port(), false)
        .compose(c -> c.login(USER, password).eventually(c::close))
        .map(true)
        .otherwise(false));
  }

  static <T> T await(Future<T> f) throws Exception {
    return f.toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
  }

  @Override
  public void close() throws Exception {
    await(vertx.close());
  }
}
