package controlplane.core.rotation;

import controlplane.core.CoreConfig;
import controlplane.core.CoreVerticle;
import controlplane.core.bus.Addresses;
import controlplane.core.bus.Failure;
import controlplane.core.bus.Fields;
import controlplane.core.bus.RotationStep;
import controlplane.core.testing.Jdbc;
import controlplane.core.testing.TestDatabase;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.Message;
import io.vertx.core.json.JsonObject;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/** A deployed {@link CoreVerticle} on a database of its own, with scripted routers, driven over the event bus. */
final class CoreFixture {

  static final String ORG = "org-1";
  /** One key for every fixture of the test JVM: a class's tests restart core on one database (key custody). */
  private static final String KEY = newKey();

  final Vertx vertx;
  final String dbUrl;
  final Jdbc jdbc;
  final FakeRouters routers = new FakeRouters();
  final SimpleMeterRegistry registry = new SimpleMeterRegistry();
  final CoreConfig config;
  /** A rotation stops (as if the process died) when it reaches this step. */
  volatile RotationStep stopAt;
  /** Called at every step a rotation reaches (after {@link #stopAt} is checked); null for nothing. */
  volatile java.util.function.Function<RotationStep, Future<Void>> onStep;
  CoreVerticle verticle;

  /**
   * Router addresses as in production (the fixture's routers have documentation addresses, which it allows) and no
   * enrolment rate limit.
   */
  CoreFixture(Vertx vertx, String dbUrl, long deviceTimeoutMs) {
    this(vertx, dbUrl, deviceTimeoutMs, new CoreConfig.Enrolment(CoreConfig.Enrolment.defaults(false).deniedNetworks(),
        List.of(), 0));
  }

  CoreFixture(Vertx vertx, String dbUrl, long deviceTimeoutMs, CoreConfig.Enrolment enrolment) {
    this(vertx, dbUrl, deviceTimeoutMs, enrolment, QUIET_SCHEDULER, new CoreConfig.Drift(0));
  }

  /** A scheduler that tests run themselves with {@link #schedule()}; the timer's interval is an hour. */
  static final CoreConfig.Scheduler QUIET_SCHEDULER = new CoreConfig.Scheduler(3_600_000, 200, 5, 60_000, 3_600_000, 8);

  /** With the fleet loop's configuration {@code scheduler} (bulk jobs, the per-edge cap); no drift checks. */
  CoreFixture(Vertx vertx, String dbUrl, long deviceTimeoutMs, CoreConfig.Scheduler scheduler) {
    this(vertx, dbUrl, deviceTimeoutMs, new CoreConfig.Enrolment(CoreConfig.Enrolment.defaults(false).deniedNetworks(),
        List.of(), 0), scheduler, new CoreConfig.Drift(0));
  }

  CoreFixture(Vertx vertx, String dbUrl, long deviceTimeoutMs, CoreConfig.Enrolment enrolment,
              CoreConfig.Scheduler scheduler, CoreConfig.Drift drift) {
    this.vertx = vertx;
    this.dbUrl = dbUrl;
    this.jdbc = new Jdbc(dbUrl);
    // A long interval: tests run the reconciler themselves with reconcileNow().
    this.config = new CoreConfig(new CoreConfig.Database(dbUrl, 8), new CoreConfig.Crypto(Map.of("k1", KEY), "k1"),
        new CoreConfig.Rotation(32, 60, deviceTimeoutMs), new CoreConfig.Reconciler(3_600_000),
        CoreConfig.Retention.DEFAULTS, enrolment, scheduler, drift);
  }

  private static String newKey() {
    byte[] key = new byte[32];
    new SecureRandom().nextBytes(key);
    return Base64.getEncoder().encodeToString(key);
  }

  CoreFixture start() {
    verticle = new CoreVerticle(config, registry, (step, siteId, versionId) -> step == stopAt
        ? Future.failedFuture(new IllegalStateException("stopped at " + step))
        : onStep == null ? Future.succeededFuture() : onStep.apply(step));
    await(routers.register(vertx));
    await(vertx.deployVerticle(verticle));
    // The reconciler's start-up pass (it looks at what earlier tests left on a shared database) is over before a
    // test starts, so that it never races the test's own requests.
    await(verticle.reconcileNow());
    return this;
  }

  static <T> T await(Future<T> future) {
    try {
      return future.toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
    } catch (java.util.concurrent.ExecutionException e) {
      throw e.getCause() instanceof RuntimeException r ? r : new IllegalStateException(e.getCause());
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  Future<JsonObject> send(String address, JsonObject body) {
    return vertx.eventBus().<JsonObject>request(address, body, new DeliveryOptions().setSendTimeout(30_000))
        .map(Message::body);
  }

  JsonObject ok(String address, JsonObject body) {
    return await(send(address, body));
  }

  /** The failure of a request that must fail. */
  Failure failure(String address, JsonObject body) {
    Future<JsonObject> f = send(address, body);
    try {
      JsonObject unexpected = await(f);
      throw new AssertionError("expected a failure, got " + unexpected);
    } catch (RuntimeException e) {
      return Failure.of(e);
    }
  }

  /** Enrols a new site whose router has {@code password}; returns its id. */
  String enrol(String password) {
    String siteId = UUID.randomUUID().toString();
    routers.set(siteId, password);
    ok(Addresses.SITE_PUT, siteBody(siteId, ORG, password));
    return siteId;
  }

  /** The enrolment of {@code siteId}'s router: each site id has a router of its own (one router, one site). */
  static JsonObject siteBody(String siteId, String org, String password) {
    return new JsonObject().put(Fields.SITE_ID, siteId).put(Fields.ORG_ID, org).put(Fields.ACTOR, "tester")
        .put(Fields.IP_ADDRESS, routerAddress(siteId)).put(Fields.API_PORT, 8728).put(Fields.SERVER_IP, "edge-1")
        .put(Fields.USERNAME, "altostrat-api").put(Fields.PASSWORD, password).put(Fields.TLS, false)
        .put(Fields.VERIFY, true).put(Fields.ROTATE_ON_ENROL, false);
  }

  /** An address of 198.18.0.0/15 (benchmarking, never a host's own), one per site id. */
  static String routerAddress(String siteId) {
    return ADDRESSES.computeIfAbsent(siteId, id -> {
      int n = NEXT_ADDRESS.incrementAndGet();
      return "198." + (18 + (n >> 16)) + "." + ((n >> 8) & 0xff) + "." + (n & 0xff);
    });
  }

  private static final Map<String, String> ADDRESSES = new ConcurrentHashMap<>();
  private static final AtomicInteger NEXT_ADDRESS = new AtomicInteger();

  static JsonObject siteRef(String siteId) {
    return new JsonObject().put(Fields.SITE_ID, siteId).put(Fields.ORG_ID, ORG).put(Fields.ACTOR, "tester");
  }

  JsonObject rotate(String siteId) {
    return ok(Addresses.ROTATE, siteRef(siteId));
  }

  /** The password that credentials.get answers for the site: the stored CURRENT one, opened. */
  String storedCurrent(String siteId) {
    return ok(Addresses.CREDENTIALS_GET, siteRef(siteId)).getString(Fields.PASSWORD);
  }

  /** State of each version of the site, oldest first. */
  List<String> states(String siteId) {
    return jdbc.query("SELECT state FROM credential_versions WHERE site_id = ?::uuid ORDER BY created_at, state",
        siteId).stream().map(r -> (String) r.get("state")).toList();
  }

  long count(String state, String siteId) {
    return (Long) jdbc.query("SELECT count(*) AS n FROM credential_versions WHERE site_id = ?::uuid AND state = ?",
        siteId, state).get(0).get("n");
  }

  List<Map<String, Object>> audit(String siteId) {
    return jdbc.query("SELECT actor, action, outcome, detail FROM audit_events WHERE site_id = ?::uuid ORDER BY id",
        siteId);
  }

  /** Ends the lease of every pending version, as if its time had passed. */
  void expireLeases() {
    jdbc.exec("UPDATE credential_versions SET lease_expires_at = now() - interval '1 second' WHERE state = 'PENDING'");
  }

  int schedule() {
    return await(verticle.scheduleNow());
  }

  int driftCheck() {
    return await(verticle.driftCheckNow());
  }

  int reconcile() {
    return await(verticle.reconcileNow());
  }

  static String freshDb() {
    return TestDatabase.freshDatabase();
  }
}
