package controlplane.harness.bench;

import controlplane.config.EmbeddedDatabase;
import controlplane.harness.HarnessCommandLine;
import controlplane.http.TokenMinter;
import controlplane.simulator.Fleet;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The benchmark harness (docs/PERFORMANCE.md). Three kinds of process share this machine: PostgreSQL (embedded
 * io.zonky binaries, its own processes), the simulator ({@link SimulatorProcess}, its own JVM) and the service
 * ({@code controlplane.config.Main}, its own JVM, simulator disabled, database.url pointing to that PostgreSQL);
 * this JVM is the load generator and runs the floors. Phases: enrolment (not timed as a target), latency at one in
 * flight, the router floor, the database floor, throughput at each concurrency (JFR on the service at 64), the
 * fleet, then the resources. Prints a report and writes {@code results.json}; exits non-zero when any operation
 * failed.
 */
public final class BenchHarness {

  private static final Logger LOG = LoggerFactory.getLogger(BenchHarness.class);
  static final String ORG = "bench-org";
  static final String SHARED =
      "[service + PostgreSQL + simulator + load generator share this %d-core machine; load %s]";

  private BenchHarness() {
  }

  public static void main(String[] args) {
    HarnessCommandLine.exit(new BenchCommand(), args);
  }

  /** Runs, writes report.txt and prints it; the exit status: 0 when every operation succeeded. */
  static int runAndReport(BenchOptions o) throws Exception {
    JsonObject results = run(o);
    String report = BenchReport.text(results);
    Files.writeString(o.out().resolve("report.txt"), report, StandardCharsets.UTF_8);
    System.out.println(report);
    return allSucceeded(results) ? 0 : 1;
  }

  /** CPU milliseconds of each process at one instant. */
  private record Snap(long service, long serviceJit, long postgres, long simulator, long harness, long nanos) {
    JsonObject delta(Snap before, int operations) {
      double wallMs = (nanos - before.nanos) / 1e6;
      JsonObject out = new JsonObject().put("wall_ms", Math.round(wallMs));
      put(out, "service", service - before.service, operations, wallMs);
      // part of the service's: its JIT compiler threads
      put(out, "service_jit", serviceJit - before.serviceJit, operations, wallMs);
      put(out, "postgres", postgres - before.postgres, operations, wallMs);
      put(out, "simulator", simulator - before.simulator, operations, wallMs);
      put(out, "load_generator", harness - before.harness, operations, wallMs);
      return out;
    }

  }

  /** {@code out.name}: {@code ms} of CPU, per operation and as cores busy over {@code wallMs}. */
  static void put(JsonObject out, String name, long ms, int operations, double wallMs) {
    out.put(name, new JsonObject().put("cpu_ms", ms)
        .put("cpu_ms_per_op", operations == 0 ? 0.0 : Math.round(1000.0 * ms / operations) / 1000.0)
        .put("cores_busy", wallMs <= 0 ? 0.0 : Math.round(100.0 * ms / wallMs) / 100.0));
  }

  /** Runs every phase; the results as JSON (also written to {@code out/results.json}). */
  public static JsonObject run(BenchOptions o) throws Exception {
    Path out = o.out().toAbsolutePath();
    Files.createDirectories(out);
    JsonObject results = new JsonObject()
        .put("started_at", Instant.now().toString())
        .put("cores", Runtime.getRuntime().availableProcessors())
        .put("load_at_start", ProcStats.loadAverage())
        .put("options", new JsonObject().put("sites", o.sites()).put("fleet", o.fleet()).put("warmup", o.warmup())
            .put("latency_rotations", o.latencyRotations()).put("rotations", o.rotations())
            .put("concurrency", new JsonArray(new ArrayList<>(o.concurrency())))
            .put("fleet_concurrency", o.fleetConcurrency()).put("floor_rotations", o.floorRotations())
            .put("floor_concurrency", o.floorConcurrency()).put("pool_size", o.poolSize())
            .put("script_rounds", o.scriptRounds()).put("script_warmup", o.scriptWarmup())
            .put("service_jvm_options", String.join(" ", o.serviceJvmOptions()))
            .put("simulator_xmx", o.simulatorXmx()))
        .put("layout", "PostgreSQL: embedded io.zonky server (own processes); simulator: own JVM "
            + "(SimulatorProcess, production SimulatorVerticle, -Xmx" + o.simulatorXmx() + "); service: own JVM "
            + "(controlplane.config.Main, simulator disabled); load generator and floors: the harness JVM");
    Vertx vertx = Vertx.vertx();
    EmbeddedPostgres pg = null;
    ChildProcess simulator = null;
    ChildProcess service = null;
    try {
      deleteTree(out.resolve("pg")); // a previous run that was killed leaves its data behind
      EmbeddedPostgres.Builder pgBuilder = EmbeddedDatabase.durableBuilder();
      pg = (o.pgStatements() ? PgStatements.enable(pgBuilder) : pgBuilder).setDataDirectory(out.resolve("pg"))
          .setCleanDataDirectory(true).setPGStartupWait(Duration.ofSeconds(120)).start();
      PgStatements statements = o.pgStatements() ? PgStatements.on(pg) : PgStatements.OFF;
      try (Connection c = pg.getPostgresDatabase().getConnection(); Statement s = c.createStatement()) {
        s.execute("CREATE DATABASE bench");
        s.execute("CREATE DATABASE bench_floor");
      }
      long postmaster = Long.parseLong(Files.readAllLines(out.resolve("pg").resolve("postmaster.pid")).get(0).trim());
      String dbUrl = "postgresql://postgres@localhost:" + pg.getPort() + "/bench";
      String floorUrl = "postgresql://postgres@localhost:" + pg.getPort() + "/bench_floor";

      // Simulator: its own JVM.
      long t0 = System.nanoTime();
      simulator = ChildProcess.start("simulator", List.of("-Xmx" + o.simulatorXmx(),
              "-Dlogback.configurationFile=simulator-logback.xml"), BenchOptions.defaultClasspath(),
          SimulatorProcess.class.getName(),
          List.of(Integer.toString(o.fleet()), BenchOptions.FIRST_ADDRESS, Integer.toString(BenchOptions.ROUTER_PORT)),
          out.resolve("simulator.log"), true);
      String ready = simulator.awaitLine("simulator ready", 900);
      results.put("simulator_start", new JsonObject().put("line", ready)
          .put("wall_ms", (System.nanoTime() - t0) / 1_000_000));

      // Service: its own JVM.
      int httpPort = freePort();
      String secret = randomBase64();
      JsonObject config = new JsonObject()
          .put("http", new JsonObject().put("host", "127.0.0.1").put("port", httpPort))
          .put("auth", new JsonObject().put("jwt", new JsonObject().put("hs256Secret", secret)))
          .put("database", new JsonObject().put("url", dbUrl).put("poolSize", o.poolSize()))
          .put("dataDir", out.resolve("service-data").toString())
          .put("crypto", new JsonObject().put("keys", new JsonObject().put("bench-1", randomBase64()))
              .put("activeKey", "bench-1"))
          .put("simulator", new JsonObject().put("enabled", false))
          // What is measured is rotations: no background drift logins to the fleet meanwhile.
          .put("drift", new JsonObject().put("checkPeriodSeconds", 0))
          // The bulk-job rounds of the operator-script comparison run 64 in flight; every bench site is on one edge.
          .put("scheduler", new JsonObject().put("maxInFlightPerEdge", ScriptBaseline.IN_FLIGHT))
          .put("enrolment", loopbackFleetEnrolment());
      Path configFile = out.resolve("service.yaml"); // JSON is YAML
      Files.writeString(configFile, config.encodePrettily(), StandardCharsets.UTF_8);
      List<String> jvm = new ArrayList<>(o.serviceJvmOptions());
      service = ChildProcess.start("service", jvm, o.serviceClasspath(), "controlplane.config.Main",
          List.of("--config", configFile.toString()), out.resolve("service.log"), false);
      String token = TokenMinter.mint(secret, ORG, "credentials:read credentials:rotate sites:write", "bench",
          Duration.ofHours(6));
      HttpLoad probe = new HttpLoad(vertx, "127.0.0.1", httpPort, token, 2);
      awaitReady(probe, service);
      results.put("service_pid", service.pid()).put("simulator_pid", simulator.pid())
          .put("postgres_pid", postmaster);

      // Sites: the fleet's routers, each its own site.
      Fleet.Generate gen = SimulatorProcess.fleet(o.fleet(), BenchOptions.FIRST_ADDRESS, BenchOptions.ROUTER_PORT)
          .generate();
      List<HttpLoad.BenchSite> sites = new ArrayList<>(o.fleet());
      for (int i = 0; i < o.fleet(); i++) {
        var r = gen.router(i);
        sites.add(new HttpLoad.BenchSite(UUID.nameUUIDFromBytes(("bench-site:" + i).getBytes(StandardCharsets.UTF_8))
            .toString(), r.address(), r.port()));
      }
      List<String> allIds = sites.stream().map(HttpLoad.BenchSite::id).toList();
      List<String> ids = allIds.subList(0, o.sites());
      final long svc = service.pid();
      final long sim = simulator.pid();
      java.util.function.Supplier<Snap> snap = () -> new Snap(ProcStats.cpuMillis(svc),
          ProcStats.jitCompilerCpuMillis(svc), ProcStats.postgresCpuMillis(postmaster), ProcStats.cpuMillis(sim),
          ProcStats.selfCpuMillis(), System.nanoTime());

      try (HttpLoad http = new HttpLoad(vertx, "127.0.0.1", httpPort, token, 64)) {
        LOG.info("enrolling {} sites", sites.size());
        results.put("enrolment", phase(o, http.enrol(sites, ORG, false, 64)));
      }

      // Latency: one in flight.
      try (HttpLoad http = new HttpLoad(vertx, "127.0.0.1", httpPort, token, 1)) {
        LOG.info("latency: {} warm-up + {} rotations at 1 in flight", o.warmup(), o.latencyRotations());
        phase(o, http.rotate(ids, o.warmup(), 1));
        Snap before = snap.get();
        JsonObject lat = phase(o, http.rotate(ids, o.latencyRotations(), 1));
        results.put("latency", lat.put("cpu", snap.get().delta(before, lat.getInteger("ok"))));
      }

      // Floors.
      JsonObject floors = new JsonObject();
      List<DeviceFloor.Router> routers = sites.subList(0, o.sites()).stream()
          .map(s -> new DeviceFloor.Router(s.host(), s.port())).toList();
      DeviceFloor deviceFloor = new DeviceFloor(vertx);
      LOG.info("router floor: {} at {} in flight", o.floorRotations(), o.floorConcurrency());
      phase(o, deviceFloor.run(routers, Math.min(o.floorRotations(), routers.size()), o.floorConcurrency()));
      Snap before = snap.get();
      JsonObject dev = phase(o, deviceFloor.run(routers, o.floorRotations(), o.floorConcurrency()));
      floors.put("router", dev.put("cpu", snap.get().delta(before, dev.getInteger("ok"))));
      await(deviceFloor.close());
      DatabaseFloor dbFloor = new DatabaseFloor(vertx, floorUrl, o.poolSize());
      List<UUID> floorSites = await(dbFloor.prepare(o.sites()));
      LOG.info("database floor: {} at {} in flight", o.floorRotations(), o.floorConcurrency());
      phase(o, dbFloor.run(floorSites, Math.min(o.floorRotations(), floorSites.size()), o.floorConcurrency()));
      before = snap.get();
      JsonObject db = phase(o, dbFloor.run(floorSites, o.floorRotations(), o.floorConcurrency()));
      floors.put("database", db.put("cpu", snap.get().delta(before, db.getInteger("ok"))));
      await(dbFloor.close());
      double d = dev.getDouble("per_s");
      double b = db.getDouble("per_s");
      floors.put("combined_per_s", d > 0 && b > 0 ? Math.round(10.0 / (1 / d + 1 / b)) / 10.0 : 0.0);
      results.put("floor", floors);

      // Throughput: a warm-up at each concurrency (not measured), then the measured run. JFR is not on during a
      // measured run: the profiled run at jfrConcurrency comes after, with its own figures.
      JsonArray throughput = new JsonArray();
      for (int c : o.concurrency()) {
        try (HttpLoad http = new HttpLoad(vertx, "127.0.0.1", httpPort, token, c)) {
          LOG.info("throughput: {} warm-up + {} rotations over {} sites at {} in flight", o.warmup(), o.rotations(),
              ids.size(), c);
          phase(o, http.rotate(ids, o.warmup(), c));
          statements.reset();
          before = snap.get();
          JsonObject t = phase(o, http.rotate(ids, o.rotations(), c));
          t.put("cpu", snap.get().delta(before, t.getInteger("ok")));
          statements.write(out.resolve("pg-statements-" + c + ".txt"), t.getInteger("ok"));
          double floor = floors.getDouble("combined_per_s");
          t.put("fraction_of_floor", floor > 0 ? Math.round(100.0 * t.getDouble("per_s") / floor) / 100.0 : 0.0);
          t.put("fraction_of_router_floor", d > 0 ? Math.round(100.0 * t.getDouble("per_s") / d) / 100.0 : 0.0);
          t.put("service_rss_mib", ProcStats.statusKib(svc, "VmRSS") / 1024);
          throughput.add(t);
        }
      }
      results.put("throughput", throughput);
      if (o.scriptRounds() > 0) {
        List<String> routerLines = new ArrayList<>(o.fleet());
        for (int i = 0; i < o.fleet(); i++) {
          routerLines.add(gen.router(i).address() + " " + gen.router(i).port());
        }
        try (HttpLoad http = new HttpLoad(vertx, "127.0.0.1", httpPort, token, ScriptBaseline.IN_FLIGHT)) {
          if (o.scriptWarmup() > 0) {
            results.put("script_warmup", ScriptWarmUp.run(o.scriptWarmup(), rotations -> {
              Snap s0 = snap.get();
              JsonObject t = phase(o, http.rotate(ids, rotations, ScriptBaseline.IN_FLIGHT));
              JsonObject job = BulkJobRun.run(http, 1, ScriptBaseline.IN_FLIGHT);
              return new JsonObject().put("rotations", t.getInteger("ok")).put("per_s", t.getDouble("per_s"))
                  .put("bulk_job", job.getInteger("ok"))
                  .put("cpu", snap.get().delta(s0, t.getInteger("ok") + job.getInteger("ok")));
            }));
          }
          results.put("operator_script", ScriptBaseline.compare(o.scriptRounds(), o.rotations(), routerLines, out,
              () -> {
                Snap s0 = snap.get();
                JsonObject t = phase(o, http.rotate(ids, o.rotations(), ScriptBaseline.IN_FLIGHT));
                return t.put("cpu", snap.get().delta(s0, t.getInteger("ok")));
              }, () -> {
                statements.reset();
                Snap s0 = snap.get();
                JsonObject t = BulkJobRun.run(http, o.rotations(), ScriptBaseline.IN_FLIGHT);
                statements.write(out.resolve("pg-statements-bulk-jobs.txt"), t.getInteger("ok"));
                LOG.info("bulk jobs: {}", t.encode());
                return t.put("cpu", snap.get().delta(s0, t.getInteger("ok"))).put("load", ProcStats.loadAverage());
              }, () -> ProcStats.cpuMillis(sim)));
        }
      }
      if (o.jfr()) {
        int c = o.jfrConcurrency();
        try (HttpLoad http = new HttpLoad(vertx, "127.0.0.1", httpPort, token, c)) {
          Path jfr = out.resolve("service-" + c + ".jfr");
          LOG.info("profiled run (JFR, profile settings, Java samples every 1 ms): {} rotations at {} in flight",
              o.rotations(), c);
          jcmd(service.pid(), "JFR.start", "name=bench", "settings=" + samplingSettings(out), "filename=" + jfr);
          before = snap.get();
          JsonObject t = phase(o, http.rotate(ids, o.rotations(), c));
          t.put("cpu", snap.get().delta(before, t.getInteger("ok")));
          jcmd(service.pid(), "JFR.stop", "name=bench");
          Files.writeString(out.resolve("hotspots-" + c + ".txt"), JfrHotSpots.report(jfr, 25),
              StandardCharsets.UTF_8);
          results.put("profiled", t.put("jfr", jfr.toString()));
        }
      }

      // Fleet: every site rotated once.
      try (HttpLoad http = new HttpLoad(vertx, "127.0.0.1", httpPort, token, o.fleetConcurrency())) {
        LOG.info("fleet: {} sites at {} in flight", allIds.size(), o.fleetConcurrency());
        before = snap.get();
        JsonObject f = phase(o, http.rotate(allIds, allIds.size(), o.fleetConcurrency()));
        results.put("fleet", f.put("cpu", snap.get().delta(before, f.getInteger("ok"))));
      }

      // Resources.
      JsonObject res = new JsonObject()
          .put("service_rss_mib", ProcStats.statusKib(svc, "VmRSS") / 1024)
          .put("service_rss_peak_mib", ProcStats.statusKib(svc, "VmHWM") / 1024)
          .put("service_heap", heap(await(probe.get("/metrics"))));
      simulator.send("stats");
      String stats = simulator.awaitLine("stats", 120);
      res.put("simulator_routers", o.fleet()).put("simulator_stats", stats.substring("stats ".length()))
          .put("simulator_rss_mib", ProcStats.statusKib(sim, "VmRSS") / 1024);
      results.put("resources", res);
      probe.close();
    } finally {
      results.put("load_at_end", ProcStats.loadAverage()).put("finished_at", Instant.now().toString());
      stopAll(service, simulator, vertx, pg);
      Files.writeString(out.resolve("results.json"), results.encodePrettily(), StandardCharsets.UTF_8);
    }
    return results;
  }

  /** Waits for a phase and notes the machine's load beside its figures. */
  private static JsonObject phase(BenchOptions o, Future<JsonObject> f) throws Exception {
    JsonObject r = await(f);
    r.put("load", ProcStats.loadAverage());
    LOG.info("{}", r.encode());
    return r;
  }

  static <T> T await(Future<T> f) throws Exception {
    return f.toCompletionStage().toCompletableFuture().get(60, TimeUnit.MINUTES);
  }

  static boolean allSucceeded(JsonObject results) {
    List<JsonObject> phases = new ArrayList<>();
    for (String k : List.of("enrolment", "latency", "fleet")) {
      if (results.getJsonObject(k) != null) {
        phases.add(results.getJsonObject(k));
      }
    }
    JsonObject floor = results.getJsonObject("floor", new JsonObject());
    for (String k : List.of("router", "database")) {
      if (floor.getJsonObject(k) != null) {
        phases.add(floor.getJsonObject(k));
      }
    }
    results.getJsonArray("throughput", new JsonArray()).forEach(t -> phases.add((JsonObject) t));
    if (results.getJsonObject("profiled") != null && results.getJsonObject("profiled").getInteger("failed") != 0) {
      return false;
    }
    return phases.size() == 5 + results.getJsonArray("throughput", new JsonArray()).size()
        && phases.stream().allMatch(p -> p.getInteger("failed") == 0 && p.getInteger("ok") > 0);
  }

  /** Heap in use and committed (MiB) from the service's Prometheus text. */
  static JsonObject heap(String metrics) {
    double used = 0;
    double committed = 0;
    double max = 0;
    for (String line : metrics.split("\n")) {
      if (line.startsWith("#") || !line.contains("area=\"heap\"")) {
        continue;
      }
      double v = Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
      if (line.startsWith("jvm_memory_used_bytes")) {
        used += v;
      } else if (line.startsWith("jvm_memory_committed_bytes")) {
        committed += v;
      } else if (line.startsWith("jvm_memory_max_bytes") && v > 0) {
        max += v;
      }
    }
    return new JsonObject().put("used_mib", Math.round(used / (1 << 20))).put("committed_mib",
        Math.round(committed / (1 << 20))).put("max_mib", Math.round(max / (1 << 20)));
  }

  /** Stops what a run started, any of it null when the run failed before starting it: service first. */
  static void stopAll(ChildProcess service, ChildProcess simulator, Vertx vertx, EmbeddedPostgres pg)
      throws Exception {
    if (service != null) {
      service.close();
    }
    if (simulator != null) {
      try {
        simulator.send("quit");
      } catch (IOException e) {
        // already gone
      }
      simulator.close();
    }
    vertx.close().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    if (pg != null) {
      pg.close();
    }
  }

  static void awaitReady(HttpLoad probe, ChildProcess service) throws Exception {
    for (int i = 0; i < 600; i++) {
      if (!service.alive()) {
        throw new IllegalStateException("the service exited during start-up; see service.log");
      }
      try {
        await(probe.get("/health/ready"));
        return;
      } catch (Exception e) {
        Thread.sleep(200);
      }
    }
    throw new IllegalStateException("the service was not ready within 120 s; see service.log");
  }

  /** The JDK's {@code profile} settings with Java execution sampled every 1 ms instead of 10 ms. */
  private static String samplingSettings(Path out) throws IOException {
    String profile = Files.readString(Path.of(System.getProperty("java.home"), "lib", "jfr", "profile.jfc"),
        StandardCharsets.UTF_8);
    String tuned = profile.replace("control=\"method-sampling-java-interval\">10 ms<",
        "control=\"method-sampling-java-interval\">1 ms<");
    Path file = out.resolve("sampling.jfc");
    Files.writeString(file, tuned, StandardCharsets.UTF_8);
    return file.toString();
  }

  private static void jcmd(long pid, String... args) throws IOException, InterruptedException {
    List<String> cmd = new ArrayList<>();
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "jcmd").toString());
    cmd.add(Long.toString(pid));
    cmd.addAll(List.of(args));
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
      throw new IllegalStateException("jcmd " + String.join(" ", args) + " failed: " + output);
    }
  }

  static void deleteTree(Path dir) throws IOException {
    if (!Files.exists(dir)) {
      return;
    }
    try (var paths = Files.walk(dir)) {
      for (Path p : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    }
  }

  /**
   * {@code enrolment} of a service whose database is external (production defaults) but whose simulated routers are
   * on loopback: the production denied networks less loopback, and no rate limit (a whole fleet enrols at once).
   */
  static JsonObject loopbackFleetEnrolment() {
    return new JsonObject()
        .put("deniedNetworks", new JsonArray().add("link-local").add("unspecified").add("multicast")
            .add("host-addresses"))
        .put("ratePerMinute", 0);
  }

  /** A port free on every address, below the ephemeral range (FreePorts). */
  static int freePort() throws IOException {
    return controlplane.config.FreePorts.next();
  }


  static String randomBase64() {
    byte[] b = new byte[32];
    new SecureRandom().nextBytes(b);
    return Base64.getEncoder().encodeToString(b);
  }

  static String shared(JsonObject results, String load) {
    return String.format(SHARED, results.getInteger("cores", 2), load);
  }
}
