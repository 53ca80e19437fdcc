package controlplane.harness.chaos;

import controlplane.device.client.ApiConnection;
import controlplane.device.client.ApiException;
import controlplane.device.client.ClientOptions;
import controlplane.device.client.RouterOsClient;
import controlplane.harness.HarnessCommandLine;
import controlplane.http.TokenMinter;
import controlplane.simulator.Faults;
import controlplane.simulator.Fleet;
import controlplane.simulator.LoginStyle;
import controlplane.simulator.SimulatedRouter;
import controlplane.simulator.Simulator;
import controlplane.simulator.SimulatorVerticle;
import controlplane.simulator.UserSpec;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClosedException;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import java.io.IOException;
import java.net.ConnectException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Issue 5's chaos run. Starts its own PostgreSQL, a simulated fleet in this JVM, and the control plane as a separate
 * process; enrols every router over HTTP; drives concurrent rotations while faults come and go on random routers,
 * the service is SIGKILLed and restarted, and PostgreSQL is restarted; makes a few routers unrecoverable on purpose;
 * then lets the reconciler settle and checks every router. See {@code docs/RELIABILITY.md}.
 *
 * <p>The run knows the sealing key (it writes the service's configuration), so it can open every stored version and
 * say exactly whether a router's password is stored. It never prints a password.
 */
public final class ChaosRun {

  private static final Logger LOG = LoggerFactory.getLogger(ChaosRun.class);

  static final String ORG = "chaos-org";
  static final String API_USER = "altostrat-api";
  static final String SCOPE = "credentials:read credentials:rotate sites:write";
  static final String KEY_ID = "chaos-1";
  static final String EDGE = "edge-chaos-1";

  // Service timing: a short lease and a fast reconciler so that a run settles in seconds, device timeouts of a
  // couple of seconds so that stalls are seen quickly; the device timeout of core stays below the lease.
  static final int LEASE_SECONDS = 6;
  /** The wait for the bulk jobs after the load: a killed process's sites come free when their lease (60 s) ends. */
  static final Duration JOBS_FINISH_BOUND = Duration.ofMinutes(3);
  static final long CORE_DEVICE_TIMEOUT_MS = 5000;
  static final int CONNECT_TIMEOUT_MS = 1500;
  static final int COMMAND_TIMEOUT_MS = 1500;
  static final long RECONCILER_INTERVAL_MS = 1000;

  private final ChaosOptions o;
  private final Random random;
  private final String jwtSecret;
  private final String sealingKey;
  private Vertx vertx;
  private ChaosDatabase db;
  private Simulator simulator;
  private ServiceProcess service;
  private WebClient web;
  private RouterOsClient device;
  private int httpPort;
  private String token;

  private final List<Target> targets = new ArrayList<>();
  private final Map<UUID, Target> bySite = new HashMap<>();
  /** Sites made unrecoverable on purpose; workers and the injector leave them alone from then on. */
  private final Set<UUID> unrecoverable = ConcurrentHashMap.newKeySet();
  private final Set<String> excludedRouters = ConcurrentHashMap.newKeySet();
  private final Map<String, LongAdder> outcomes = new ConcurrentHashMap<>();
  /** Sites whose rotation answer left the outcome open (504 unknown or cut by a kill). */
  private final Map<UUID, AtomicInteger> unknownBySite = new ConcurrentHashMap<>();
  /** Passwords answered with 200, per site; in memory only, compared, never printed. */
  private final Map<UUID, Set<String>> acknowledged = new ConcurrentHashMap<>();
  private final List<String> killLines = Collections.synchronizedList(new ArrayList<>());
  private final List<Thread> trackers = new ArrayList<>();
  private ChaosJobs jobs;
  private volatile long lastRestartReadyNanos;
  private volatile Duration settleAfterLastRestart;
  private int databaseRestarts;

  private record Target(UUID siteId, SimulatedRouter router) {
  }

  private ChaosRun(ChaosOptions options) {
    this.o = options;
    this.random = new Random(options.seed());
    this.jwtSecret = randomBase64(32);
    this.sealingKey = randomBase64(32);
  }

  public static void main(String[] args) {
    HarnessCommandLine.exit(new ChaosCommand(), args);
  }

  /**
   * Runs and prints the report; the exit status: 0 when every invariant holds, 1 when one is broken, 3 when the run
   * could not be carried out.
   */
  static int runAndReport(ChaosOptions options) {
    try {
      ChaosReport report = run(options);
      System.out.println(report.format());
      return report.ok() ? 0 : 1;
    } catch (Exception e) {
      LOG.error("chaos run aborted: {}", e.toString(), e);
      return 3;
    }
  }

  /** Runs the whole scenario and returns what it observed; throws only when the run itself could not be carried out. */
  public static ChaosReport run(ChaosOptions options) throws Exception {
    ChaosRun run = new ChaosRun(options);
    try {
      return run.execute();
    } finally {
      run.shutdown();
    }
  }

  private ChaosReport execute() throws Exception {
    Files.createDirectories(o.runDir());
    LOG.info("chaos run in {}: {} routers, {} s of load, {} kills, {} database restarts, seed {}", o.runDir(),
        o.routers(), o.load().toSeconds(), o.kills(), o.databaseRestarts(), o.seed());
    vertx = Vertx.vertx(new VertxOptions().setBlockedThreadCheckInterval(10_000));

    // 1. PostgreSQL, a separate process on a fixed port
    db = new ChaosDatabase(o.runDir().resolve("postgres"), freePort());
    db.start();

    // 2. the simulated fleet, in this JVM
    int routerPort = freePort();
    Fleet fleet = new Fleet(List.of(), new Fleet.Generate(o.routers(), o.firstAddress(), routerPort, "7.15.3",
        LoginStyle.PLAIN, List.of(new UserSpec("admin", "full", ""), new UserSpec(API_USER, "full", "bootstrap-chaos")),
        Faults.NONE));
    SimulatorVerticle sv = new SimulatorVerticle(fleet, null);
    await(vertx.deployVerticle(sv), Duration.ofMinutes(2));
    simulator = sv.simulator();
    device = RouterOsClient.create(vertx, ClientOptions.defaults().withConnectTimeoutMs(3000)
        .withCommandTimeoutMs(5000));

    // 3. the service, a separate process
    httpPort = freePort();
    Path config = writeServiceConfig();
    Path logback = writeLogback();
    service = new ServiceProcess(o, config, logback, httpPort);
    service.start(Duration.ofMinutes(2));
    lastRestartReadyNanos = System.nanoTime();
    web = WebClient.create(vertx, new WebClientOptions().setDefaultHost("127.0.0.1").setDefaultPort(httpPort)
        .setConnectTimeout(2000).setIdleTimeout(30), new PoolOptions().setHttp1MaxSize(o.concurrency() + 8));
    token = TokenMinter.mint(jwtSecret, ORG, SCOPE, "chaos-driver", Duration.ofHours(12));
    jobs = new ChaosJobs(vertx, web, token, db);

    // 4. enrol every router as a site
    for (SimulatedRouter r : simulator.routers()) {
      Target t = new Target(UUID.randomUUID(), r);
      targets.add(t);
      bySite.put(t.siteId(), t);
    }
    enrolAll();

    // 5. load, faults, kills, database restarts
    drive();

    // 6. every fault cleared: the bulk jobs finish, then the reconciler settles
    Duration jobsFinished = o.jobs() > 0 ? jobs.awaitFinished(JOBS_FINISH_BOUND) : null;
    Duration settleAfterLoad = settle();

    // 7. and 8. check every router and job, report
    ChaosReport report = check(settleAfterLoad);
    if (o.jobs() > 0) {
      ChaosJobs.Outcome jobOutcome = jobs.check(jobsFinished, o.jobs());
      report = report.withBulkJobs(jobOutcome.summary(), jobOutcome.problems());
    }
    if (o.hostileSweep()) {
      HostileInputSweep.Result sweep = new HostileInputSweep(httpPort, jwtSecret, ORG, targets.get(0).siteId(),
          targets.get(1).siteId(), this::serviceServes).run();
      Files.writeString(o.runDir().resolve("hostile-sweep.txt"), sweep.format());
      report = report.withHostileSweep(sweep.format(), sweep.ok());
    }
    Files.writeString(o.runDir().resolve("report.txt"), report.format());
    return report;
  }

  // ---------------------------------------------------------------------------------------------------- set-up

  private Path writeServiceConfig() throws IOException {
    String yaml = """
        # written by ChaosRun; the service reads only this file (CP_* variables are removed from its environment)
        http:
          host: 127.0.0.1
          port: %d
          maxBodyBytes: 16384
        auth:
          jwt:
            hs256Secret: "%s"
        database:
          url: "%s"
          poolSize: 16
        dataDir: "%s"
        crypto:
          keys:
            %s: "%s"
          activeKey: %s
        rotation:
          passwordLength: 32
          leaseSeconds: %d
          deviceTimeoutMs: %d
        reconciler:
          intervalMs: %d
        # routers' passwords are changed behind the service's back on purpose: no drift checks to race the faults
        drift:
          checkPeriodSeconds: 0
        device:
          edges: ["*"]
          connectTimeoutMs: %d
          commandTimeoutMs: %d
        simulator:
          enabled: false
        # an external database (production defaults), but the simulated routers are on loopback
        enrolment:
          deniedNetworks: [link-local, unspecified, multicast, host-addresses]
          ratePerMinute: 0
        """.formatted(httpPort, jwtSecret, db.serviceUrl(), o.runDir().resolve("service-data").toAbsolutePath(),
        KEY_ID, sealingKey, KEY_ID, LEASE_SECONDS, CORE_DEVICE_TIMEOUT_MS, RECONCILER_INTERVAL_MS,
        CONNECT_TIMEOUT_MS, COMMAND_TIMEOUT_MS);
    Path file = o.runDir().resolve("service.yaml");
    Files.writeString(file, yaml, StandardCharsets.UTF_8);
    try {
      Files.setPosixFilePermissions(file, java.nio.file.attribute.PosixFilePermissions.fromString("rw-------"));
    } catch (UnsupportedOperationException ignored) {
      // not a POSIX file system
    }
    return file;
  }

  private Path writeLogback() throws IOException {
    Path file = o.runDir().resolve("service-logback.xml");
    Files.writeString(file, """
        <configuration>
          <appender name="OUT" class="ch.qos.logback.core.ConsoleAppender">
            <encoder><pattern>%d{HH:mm:ss.SSS} %-5level [%thread] %logger{30} - %msg%n</pattern></encoder>
          </appender>
          <logger name="io.netty" level="WARN"/>
          <logger name="org.flywaydb" level="WARN"/>
          <logger name="io.zonky" level="WARN"/>
          <root level="INFO"><appender-ref ref="OUT"/></root>
        </configuration>
        """);
    return file;
  }

  private void enrolAll() throws Exception {
    long begin = System.nanoTime();
    AtomicInteger next = new AtomicInteger();
    List<String> failures = Collections.synchronizedList(new ArrayList<>());
    List<Future<Void>> lanes = new ArrayList<>();
    for (int i = 0; i < o.concurrency(); i++) {
      lanes.add(enrolLane(next, failures));
    }
    await(Future.all(lanes), Duration.ofMinutes(10));
    if (!failures.isEmpty()) {
      throw new IllegalStateException(failures.size() + " enrolments failed, first: " + failures.get(0));
    }
    LOG.info("enrolled {} sites in {} ms", targets.size(), (System.nanoTime() - begin) / 1_000_000);
  }

  private Future<Void> enrolLane(AtomicInteger next, List<String> failures) {
    return lane(next, t -> {
      JsonObject body = new JsonObject().put("org_id", ORG).put("ip_address", t.router().address())
          .put("api_port", t.router().port()).put("server_ip", EDGE).put("username", API_USER)
          .put("password", "bootstrap-chaos").put("tls", false).put("verify", true)
          // The fleet is set up, not taken over: its rotations are the run's own.
          .put("rotate_on_enrol", false);
      return enrolOne(t, body, 0).andThen(ar -> {
        if (ar.failed()) {
          failures.add(t.siteId() + ": " + ar.cause().getMessage());
        }
      });
    });
  }

  /** Applies {@code action} to the targets one after the other, taking the next index from {@code next}. */
  private <T> Future<Void> lane(AtomicInteger next, java.util.function.Function<Target, Future<T>> action) {
    Promise<Void> done = Promise.promise();
    vertx.runOnContext(v -> laneStep(next, action, done));
    return done.future();
  }

  private <T> void laneStep(AtomicInteger next, java.util.function.Function<Target, Future<T>> action,
                            Promise<Void> done) {
    int i = next.getAndIncrement();
    if (i >= targets.size()) {
      done.complete();
      return;
    }
    action.apply(targets.get(i)).onComplete(ar -> vertx.runOnContext(v -> laneStep(next, action, done)));
  }

  private Future<Void> enrolOne(Target t, JsonObject body, int attempt) {
    return web.put("/control-plane/" + t.siteId()).bearerTokenAuthentication(token).timeout(60_000)
        .sendJsonObject(body).compose(resp -> {
          if (resp.statusCode() == 200) {
            return Future.<Void>succeededFuture();
          }
          String why = resp.statusCode() + " " + code(resp);
          return attempt < 3 ? delay(500).compose(v -> enrolOne(t, body, attempt + 1))
              : Future.failedFuture(new IllegalStateException(why));
        }, err -> attempt < 3 ? delay(500).compose(v -> enrolOne(t, body, attempt + 1)) : Future.failedFuture(err));
  }

  // ---------------------------------------------------------------------------------------------------- load

  private void drive() throws Exception {
    int maxFaulty = Math.max(2, (int) Math.round(o.routers() * o.faultyFraction()));
    FaultInjector injector = new FaultInjector(vertx, simulator.routers(), excludedRouters, random, maxFaulty,
        COMMAND_TIMEOUT_MS);
    long loadStart = System.nanoTime();
    long loadEnd = loadStart + o.load().toNanos();
    injector.start();
    List<Future<Void>> workers = new ArrayList<>();
    for (int i = 0; i < o.concurrency(); i++) {
      workers.add(worker(loadEnd));
    }
    jobs.schedule(o.jobs(), loadStart, loadEnd, targets.stream().map(Target::siteId).toList(), random, o.seed());

    // the disruptions, spread over the load: kills, with the database restarts between them
    List<String> events = schedule();
    int killNo = 0;
    for (int e = 0; e < events.size(); e++) {
      long at = loadStart + o.load().toNanos() * (e + 1) / (events.size() + 1)
          + (long) ((random.nextDouble() - 0.5) * o.load().toNanos() / (events.size() + 1) / 3);
      sleepUntil(at);
      if (events.get(e).equals("kill")) {
        killNo++;
        killAndRestart(killNo);
      } else {
        restartDatabase();
      }
    }
    sleepUntil(loadEnd);
    LOG.info("load over; waiting for the in-flight rotations");
    await(Future.join(workers), Duration.ofMinutes(3));
    await(injector.stop(), Duration.ofMinutes(1));
    Thread.sleep(1000);
    await(injector.stop(), Duration.ofMinutes(1)); // a fault set while the first stop ran
    faultsInjected = injector.injectedByKind();
  }

  private Map<String, Long> faultsInjected = Map.of();

  private List<String> schedule() {
    List<String> events = new ArrayList<>();
    int dbLeft = o.databaseRestarts();
    for (int k = 0; k < o.kills(); k++) {
      events.add("kill");
      if (dbLeft > 0 && k < o.kills() - 1) {
        events.add("db");
        dbLeft--;
      }
    }
    for (; dbLeft > 0; dbLeft--) {
      events.add(Math.max(0, events.size() - 1), "db"); // the last disruption stays a kill when there is one
    }
    return events;
  }

  /** One lane of load: rotate a random site, classify the answer, repeat until {@code loadEnd}. */
  private Future<Void> worker(long loadEnd) {
    Promise<Void> done = Promise.promise();
    vertx.runOnContext(v -> step(loadEnd, done));
    return done.future();
  }

  // Each step schedules the next one on a timer: no chain of futures grows with the number of rotations.
  private void step(long loadEnd, Promise<Void> done) {
    if (System.nanoTime() >= loadEnd) {
      done.complete();
      return;
    }
    Target t = targets.get(random.nextInt(targets.size()));
    if (unrecoverable.contains(t.siteId())) {
      vertx.setTimer(1, id -> step(loadEnd, done));
      return;
    }
    count("requested");
    web.post("/control-plane/" + t.siteId() + "/credentials").bearerTokenAuthentication(token)
        .timeout(90_000).send()
        .onComplete(ar -> {
          long pause;
          try {
            pause = ar.succeeded() ? onAnswer(t, ar.result()) : onNoAnswer(t, ar.cause());
          } catch (RuntimeException e) {
            count("unclean: " + e.getClass().getSimpleName());
            pause = 0;
          }
          vertx.setTimer(1 + pause + random.nextInt(40), id -> step(loadEnd, done));
        });
  }

  private long onAnswer(Target t, HttpResponse<Buffer> resp) {
    int status = resp.statusCode();
    if (status == 200) {
      JsonObject cred;
      try {
        cred = resp.bodyAsJsonObject();
      } catch (DecodeException e) {
        count("unclean: 200 with a body that is not JSON");
        return 0;
      }
      if (cred == null || !t.siteId().toString().equals(cred.getString("site_id")) || cred.getString("password") == null) {
        count("unclean: 200 without the credential of the site");
        return 0;
      }
      acknowledged.computeIfAbsent(t.siteId(), k -> ConcurrentHashMap.newKeySet()).add(cred.getString("password"));
      count("200 applied");
      return 0;
    }
    String code = code(resp);
    count(status + " " + code);
    if ("device_outcome_unknown".equals(code)) {
      unknownBySite.computeIfAbsent(t.siteId(), k -> new AtomicInteger()).incrementAndGet();
    }
    return status == 503 ? 200 : 0;
  }

  private long onNoAnswer(Target t, Throwable err) {
    if (err instanceof ConnectException || (err.getMessage() != null && err.getMessage().contains("Connection refused"))) {
      count("transport: refused (service down)");
      return 100;
    }
    if (err instanceof HttpClosedException || err instanceof IOException) {
      // the request was sent (or about to be) and the service went away: nobody can say what it did
      count("transport: cut (service killed)");
      unknownBySite.computeIfAbsent(t.siteId(), k -> new AtomicInteger()).incrementAndGet();
      return 100;
    }
    if (err instanceof TimeoutException || String.valueOf(err.getMessage()).contains("timeout")) {
      count("transport: no answer in 90 s");
      unknownBySite.computeIfAbsent(t.siteId(), k -> new AtomicInteger()).incrementAndGet();
      return 0;
    }
    count("transport: " + err.getClass().getSimpleName());
    unknownBySite.computeIfAbsent(t.siteId(), k -> new AtomicInteger()).incrementAndGet();
    return 100;
  }

  private static String code(HttpResponse<Buffer> resp) {
    try {
      JsonObject body = resp.bodyAsJsonObject();
      String code = body == null ? null : body.getString("code");
      return code == null ? "(no code)" : code;
    } catch (RuntimeException e) {
      return "(body not JSON)";
    }
  }

  private void count(String key) {
    outcomes.computeIfAbsent(key, k -> new LongAdder()).increment();
  }

  // ---------------------------------------------------------------------------------------------------- disruptions

  private void killAndRestart(int n) throws Exception {
    service.kill();
    long killedAt = System.nanoTime();
    List<UUID> leftovers = db.sitesWithPending();
    Set<UUID> pendingIds = pendingVersionIds();
    int made = 0;
    if (unrecoverable.size() < o.unrecoverable()) {
      made = sabotage(leftovers, o.unrecoverable() - unrecoverable.size());
    }
    long downMs = 300 + random.nextInt(2200);
    Thread.sleep(downMs);
    Duration startup = service.start(Duration.ofMinutes(2));
    long ready = System.nanoTime();
    lastRestartReadyNanos = ready;
    String line = String.format("#%d: %d PENDING left by the crash, %d made unrecoverable, down %d ms, "
            + "ready %d ms after the restart", n, pendingIds.size(), made,
        (ready - killedAt) / 1_000_000 - startup.toMillis(), startup.toMillis());
    LOG.info("kill {}", line);
    int index = killLines.size();
    killLines.add(line);
    trackSettlement(index, n, pendingIds, ready);
  }

  private Set<UUID> pendingVersionIds() throws SQLException {
    Set<UUID> ids = new HashSet<>();
    try (Connection c = db.connect(); PreparedStatement ps = c.prepareStatement(
        "SELECT id FROM credential_versions WHERE state = 'PENDING'"); ResultSet rs = ps.executeQuery()) {
      while (rs.next()) {
        ids.add(rs.getObject(1, UUID.class));
      }
    }
    return ids;
  }

  /**
   * While the service is down, changes the API user's password on up to {@code wanted} routers whose rotation is
   * pending, to a value nobody stores: when the reconciler probes them after the restart, no known password logs in.
   */
  private int sabotage(List<UUID> pendingSites, int wanted) {
    List<UUID> candidates = new ArrayList<>(new TreeSet<>(pendingSites));
    Collections.shuffle(candidates, random);
    int made = 0;
    for (UUID site : candidates) {
      if (made >= wanted) {
        break;
      }
      Target t = bySite.get(site);
      if (t == null || unrecoverable.contains(site)) {
        continue;
      }
      unrecoverable.add(site);
      excludedRouters.add(t.router().name());
      t.router().setPassword(API_USER, randomBase64(24));
      made++;
      LOG.info("site {} ({}) made unrecoverable: its password changed behind the service's back", site,
          t.router().name());
    }
    return made;
  }

  /** Watches, in the background, the PENDING versions a crash left until none is PENDING any more (bounded). */
  private void trackSettlement(int lineIndex, int killNo, Set<UUID> versionIds, long readyNanos) {
    Thread th = new Thread(() -> {
      long deadline = System.nanoTime() + o.load().toNanos() + o.settleTimeout().toNanos();
      Duration took = null;
      while (System.nanoTime() < deadline && !Thread.currentThread().isInterrupted()) {
        if (versionIds.isEmpty()) {
          took = Duration.ZERO;
          break;
        }
        try (Connection c = db.connect(); PreparedStatement ps = c.prepareStatement(
            "SELECT count(*) FROM credential_versions WHERE state = 'PENDING' AND id = ANY (?)")) {
          ps.setArray(1, c.createArrayOf("uuid", versionIds.toArray()));
          try (ResultSet rs = ps.executeQuery()) {
            rs.next();
            if (rs.getLong(1) == 0) {
              took = Duration.ofNanos(System.nanoTime() - readyNanos);
              break;
            }
          }
        } catch (SQLException e) {
          // the database is being restarted: keep watching
        }
        try {
          Thread.sleep(250);
        } catch (InterruptedException e) {
          return;
        }
      }
      String suffix = took == null ? "; its leftovers not settled in time" : String.format(
          "; its leftovers settled %.1f s after the restart", took.toMillis() / 1000.0);
      killLines.set(lineIndex, killLines.get(lineIndex) + suffix);
      if (killNo == o.kills()) {
        settleAfterLastRestart = took;
      }
    }, "settle-tracker-" + killNo);
    th.setDaemon(true);
    th.start();
    trackers.add(th);
  }

  private void restartDatabase() throws Exception {
    db.stop();
    long downMs = 3000 + random.nextInt(3000);
    Thread.sleep(downMs);
    db.start();
    databaseRestarts++;
    LOG.info("PostgreSQL restarted after {} ms down", downMs);
  }

  // ---------------------------------------------------------------------------------------------------- settle

  /**
   * Waits (bounded by the settle timeout) until no version is PENDING and the out_of_sync sites are exactly the ones
   * made unrecoverable: the reconciler re-checks out_of_sync sites with a back-off, so a site that refused logins for
   * a while may come back by itself. Returns the time from the end of the load, or null when it did not happen.
   */
  private Duration settle() throws InterruptedException {
    long begin = System.nanoTime();
    long deadline = begin + o.settleTimeout().toNanos();
    long pending = -1;
    Set<UUID> extra = Set.of();
    boolean pendingDone = false;
    while (System.nanoTime() < deadline) {
      pending = db.pendingCount();
      if (pending == 0 && !pendingDone) {
        pendingDone = true;
        LOG.info("no PENDING version left, {} ms after the end of the load", (System.nanoTime() - begin) / 1_000_000);
      }
      if (pending == 0) {
        try {
          Set<UUID> outOfSync = new TreeSet<>();
          db.siteStatuses().forEach((site, status) -> {
            if ("out_of_sync".equals(status)) {
              outOfSync.add(site);
            }
          });
          if (outOfSync.equals(unrecoverable)) {
            Duration took = Duration.ofNanos(System.nanoTime() - begin);
            LOG.info("settled: out_of_sync = the {} sites made unrecoverable, {} ms after the end of the load",
                unrecoverable.size(), took.toMillis());
            for (Thread t : trackers) {
              t.join(5000);
            }
            return took;
          }
          outOfSync.removeAll(unrecoverable);
          if (!outOfSync.equals(extra)) {
            extra = outOfSync;
            LOG.info("waiting: {} sites out_of_sync that were not made unrecoverable", extra.size());
          }
        } catch (SQLException e) {
          // read again
        }
      }
      Thread.sleep(250);
    }
    LOG.warn("not settled after {}: {} PENDING, {} unexpected out_of_sync", o.settleTimeout(), pending, extra.size());
    for (Thread t : trackers) {
      t.interrupt();
    }
    return null;
  }

  // ---------------------------------------------------------------------------------------------------- checks

  private record SiteCheck(UUID siteId, String currentLogin, boolean currentMatchesRouter, String apiStatus) {
  }

  private ChaosReport check(Duration settleAfterLoad) throws Exception {
    Map<UUID, List<ChaosDatabase.Version>> versions = db.versions(KEY_ID, sealingKey);
    Map<UUID, String> statuses = db.siteStatuses();
    long pendingLeft = db.pendingCount();

    Map<UUID, SiteCheck> checks = new ConcurrentHashMap<>();
    AtomicInteger next = new AtomicInteger();
    List<Future<Void>> lanes = new ArrayList<>();
    for (int i = 0; i < Math.min(16, o.concurrency()); i++) {
      lanes.add(checkLane(next, checks));
    }
    await(Future.join(lanes), Duration.ofMinutes(10));

    int lockedOut = 0;
    int lost = 0;
    int ackDiscarded = 0;
    int apiMismatch = 0;
    Set<UUID> outOfSync = new TreeSet<>();
    List<String> problems = new ArrayList<>();
    Set<String> allSecrets = new HashSet<>();
    for (Target t : targets) {
      UUID site = t.siteId();
      List<ChaosDatabase.Version> vs = versions.getOrDefault(site, List.of());
      vs.forEach(v -> {
        if (v.password() != null) {
          allSecrets.add(v.password());
        }
      });
      String actual = t.router().user(API_USER).map(UserSpec::password).orElse(null);
      boolean actualStored = actual != null && vs.stream().anyMatch(v -> actual.equals(v.password()));
      SiteCheck c = checks.get(site);
      String dbStatus = statuses.get(site);
      if ("out_of_sync".equals(dbStatus)) {
        outOfSync.add(site);
      }
      if (c != null && c.apiStatus() != null && !c.apiStatus().equals(dbStatus)) {
        apiMismatch++;
      }
      boolean loginOk = c != null && "ok".equals(c.currentLogin());
      boolean sabotaged = unrecoverable.contains(site);
      List<String> why = new ArrayList<>();
      if (!sabotaged && !loginOk) {
        lockedOut++;
        why.add("locked out (current login: " + (c == null ? "not checked" : c.currentLogin()) + ")");
      }
      if (!sabotaged && !actualStored) {
        lost++;
        why.add("password lost");
      }
      if (!sabotaged && actualStored && !loginOk) {
        String state = vs.stream().filter(v -> actual.equals(v.password())).map(ChaosDatabase.Version::state)
            .findFirst().orElse("?");
        why.add("the router's password is stored as " + state);
      }
      for (String ack : acknowledged.getOrDefault(site, Set.of())) {
        String state = vs.stream().filter(v -> ack.equals(v.password())).map(ChaosDatabase.Version::state)
            .findFirst().orElse(null);
        if (state == null || state.equals("FAILED") || state.equals("PENDING")) {
          ackDiscarded++;
          why.add("a password answered with 200 is " + (state == null ? "not stored" : "stored as " + state));
        }
      }
      if ("out_of_sync".equals(dbStatus) && !sabotaged) {
        why.add("out_of_sync though recoverable (router password " + (actualStored ? "is" : "is not")
            + " stored, current " + (loginOk ? "logs in" : "does not log in") + ")");
      }
      if (sabotaged && !"out_of_sync".equals(dbStatus)) {
        why.add("made unrecoverable but reported " + dbStatus);
      }
      if (!why.isEmpty() && problems.size() < 50) {
        problems.add(site + " " + t.router().name() + ": " + String.join("; ", why)
            + (unknownBySite.containsKey(site) ? " [had " + unknownBySite.get(site).get() + " unknown answers]" : ""));
      }
    }
    acknowledged.values().forEach(allSecrets::addAll);
    List<String> secretsInLogs = secretsIn(service.logFiles(), allSecrets);

    Map<String, Long> outcomeCounts = new TreeMap<>();
    outcomes.forEach((k, v) -> outcomeCounts.put(k, v.sum()));
    long requested = outcomeCounts.getOrDefault("requested", 0L);
    outcomeCounts.remove("requested");
    long applied = outcomeCounts.getOrDefault("200 applied", 0L);
    Map<String, Long> clean = new TreeMap<>();
    Map<String, Long> unclean = new TreeMap<>();
    long unknown = 0;
    long serviceDown = 0;
    for (Map.Entry<String, Long> e : outcomeCounts.entrySet()) {
      String k = e.getKey();
      if (k.equals("200 applied")) {
        continue;
      }
      if (k.endsWith("device_outcome_unknown") || k.startsWith("transport: cut") || k.startsWith("transport: no answer")) {
        unknown += e.getValue();
      } else if (k.startsWith("transport: refused")) {
        serviceDown += e.getValue();
      } else if (k.startsWith("unclean") || k.startsWith("transport") || k.startsWith("500")
          || k.contains("(no code)") || k.contains("(body not JSON)")) {
        unclean.put(k, e.getValue());
      } else {
        clean.put(k.substring(k.indexOf(' ') + 1) + " " + k.substring(0, k.indexOf(' ')), e.getValue());
      }
    }
    Set<UUID> stillPending = new HashSet<>(db.sitesWithPending());
    long unknownSettled = 0;
    for (Map.Entry<UUID, AtomicInteger> e : unknownBySite.entrySet()) {
      if (!stillPending.contains(e.getKey())) {
        unknownSettled += e.getValue().get();
      }
    }
    if (!stillPending.isEmpty()) {
      for (UUID s : stillPending) {
        if (problems.size() < 50) {
          problems.add(s + ": still PENDING");
        }
      }
    }
    return new ChaosReport(o.routers(), o.load(), o.seed(), outcomeCounts, requested, applied, clean, unknown,
        unknownSettled, serviceDown, unclean, faultsInjected, List.copyOf(killLines), databaseRestarts,
        new TreeSet<>(unrecoverable), outOfSync, lockedOut, lost, pendingLeft, ackDiscarded, apiMismatch,
        secretsInLogs, settleAfterLastRestart, settleAfterLoad, db.versionStates(), db.auditCounts(), problems, null,
        null, null, null);
  }

  private Future<Void> checkLane(AtomicInteger next, Map<UUID, SiteCheck> out) {
    return lane(next, t -> checkSite(t).andThen(ar -> out.put(t.siteId(), ar.succeeded() ? ar.result()
        : new SiteCheck(t.siteId(), "check failed: " + ar.cause().getClass().getSimpleName(), false, null))));
  }

  /** GET the current credential over the API, log in with it on the router, GET the site's status. */
  private Future<SiteCheck> checkSite(Target t) {
    String path = "/control-plane/" + t.siteId();
    return web.get(path + "/credentials").bearerTokenAuthentication(token).timeout(30_000).send()
        .compose(resp -> {
          if (resp.statusCode() != 200) {
            return Future.succeededFuture(new SiteCheck(t.siteId(), "GET credentials " + resp.statusCode() + " "
                + code(resp), false, null));
          }
          JsonArray arr = resp.bodyAsJsonArray();
          String current = arr == null || arr.isEmpty() ? null : arr.getJsonObject(0).getString("password");
          if (current == null) {
            return Future.succeededFuture(new SiteCheck(t.siteId(), "no current credential", false, null));
          }
          String actual = t.router().user(API_USER).map(UserSpec::password).orElse("");
          return login(t.router(), current).map(result -> new SiteCheck(t.siteId(), result, actual.equals(current),
              null));
        })
        .compose(c -> web.get(path).bearerTokenAuthentication(token).timeout(30_000).send().map(resp ->
            new SiteCheck(c.siteId(), c.currentLogin(), c.currentMatchesRouter(),
                resp.statusCode() == 200 ? resp.bodyAsJsonObject().getString("status") : "GET " + resp.statusCode())));
  }

  private Future<String> login(SimulatedRouter r, String password) {
    return device.connect(r.address(), r.port(), false).compose(conn -> conn.login(API_USER, password)
        .transform(ar -> conn.close().otherwiseEmpty().map(v -> {
          if (ar.succeeded()) {
            return "ok";
          }
          return ar.cause() instanceof ApiException e ? "refused (" + e.kind() + ")" : "failed";
        })));
  }

  /**
   * Log files holding one of {@code secrets}. Linear in the size of the logs: every maximal run of characters that
   * can appear in a password is looked up (with every window of a secret's length inside it) in a hash set.
   */
  static List<String> secretsIn(List<Path> files, Set<String> secrets) throws IOException {
    Set<Integer> lengths = new TreeSet<>();
    Set<String> set = new HashSet<>();
    for (String s : secrets) {
      if (s.length() >= 8) {
        set.add(s);
        lengths.add(s.length());
      }
    }
    List<String> hits = new ArrayList<>();
    for (Path f : files) {
      String text = Files.readString(f, StandardCharsets.UTF_8);
      if (containsAny(text, set, lengths)) {
        hits.add(f.getFileName().toString());
      }
    }
    return hits;
  }

  private static boolean containsAny(String text, Set<String> secrets, Set<Integer> lengths) {
    int n = text.length();
    int i = 0;
    while (i < n) {
      while (i < n && !passwordChar(text.charAt(i))) {
        i++;
      }
      int start = i;
      while (i < n && passwordChar(text.charAt(i))) {
        i++;
      }
      int runLength = i - start;
      for (int len : lengths) {
        for (int at = start; at + len <= start + runLength; at++) {
          if (secrets.contains(text.substring(at, at + len))) {
            return true;
          }
        }
      }
    }
    return false;
  }

  /** Anything but whitespace, quotes and the separators log lines put around values. */
  private static boolean passwordChar(char c) {
    return c > ' ' && c != '"' && c != '\'' && c != ',' && c != ';' && c != '(' && c != ')' && c != '[' && c != ']'
        && c != '{' && c != '}' && c != '<' && c != '>' && c != '|';
  }

  /** Whether the service still answers an ordinary authenticated read: used by the hostile sweep after each attack. */
  private Future<Boolean> serviceServes() {
    return web.get("/control-plane/" + targets.get(2 % targets.size()).siteId() + "/credentials")
        .bearerTokenAuthentication(token).timeout(10_000).send().map(r -> r.statusCode() == 200)
        .otherwise(false);
  }

  // ---------------------------------------------------------------------------------------------------- helpers

  private void shutdown() {
    for (Thread t : trackers) {
      t.interrupt();
    }
    try {
      if (service != null) {
        service.stop();
      }
    } catch (Exception e) {
      LOG.warn("service stop: {}", e.toString());
    }
    try {
      if (vertx != null) {
        vertx.close().toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
      }
    } catch (Exception e) {
      LOG.warn("vert.x close: {}", e.toString());
    }
    try {
      if (db != null) {
        db.close();
      }
    } catch (Exception e) {
      LOG.warn("database stop: {}", e.toString());
    }
  }

  private Future<Void> delay(long ms) {
    Promise<Void> p = Promise.promise();
    vertx.setTimer(Math.max(1, ms), id -> p.complete());
    return p.future();
  }

  private static void sleepUntil(long nanos) throws InterruptedException {
    long left;
    while ((left = nanos - System.nanoTime()) > 0) {
      Thread.sleep(Math.min(TimeUnit.NANOSECONDS.toMillis(left) + 1, 1000));
    }
  }

  static <T> T await(Future<T> f, Duration timeout) throws Exception {
    try {
      return f.toCompletionStage().toCompletableFuture().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (java.util.concurrent.ExecutionException e) {
      throw e.getCause() instanceof Exception ex ? ex : e;
    }
  }

  /** A port free on every address, below the ephemeral range (FreePorts). */
  static int freePort() throws IOException {
    return controlplane.config.FreePorts.next();
  }


  static String randomBase64(int bytes) {
    byte[] b = new byte[bytes];
    new SecureRandom().nextBytes(b);
    return Base64.getEncoder().encodeToString(b);
  }

}
