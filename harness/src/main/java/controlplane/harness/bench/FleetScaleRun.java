package controlplane.harness.bench;

import controlplane.config.EmbeddedDatabase;
import controlplane.harness.HarnessCommandLine;
import controlplane.http.TokenMinter;
import controlplane.simulator.Fleet;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The fleet loop at scale (issue 12 point 9, docs/PERFORMANCE.md): PostgreSQL (embedded, durable), the routers split
 * over several simulator processes, and the service (its own JVM, production settings but for drift, which is off
 * until the policy phase) driven over HTTP. Phases:
 * <ol>
 *   <li>enrolment of every router as its own site (verify on, no rotation at enrolment), spread over the edges;
 *       then until the scheduler has planned every enrolled site;</li>
 *   <li>a bulk job over the whole organisation ({@code POST /control-plane/rotations}), followed to completion;</li>
 *   <li>the idle fleet: the scheduler's and the gauges' cost per scheduler tick, in CPU of the service and of
 *       PostgreSQL, with nothing due;</li>
 *   <li>an organisation policy with a drift period: the replan of every site, then drift checks counted from the
 *       service's {@code /metrics};</li>
 *   <li>the end state checked in the database: one CURRENT version per site, nothing PENDING.</li>
 * </ol>
 * The service's resident memory is sampled every second throughout. Writes {@code results.json} and
 * {@code report.txt}; exits non-zero when anything failed.
 */
public final class FleetScaleRun {

  private static final Logger LOG = LoggerFactory.getLogger(FleetScaleRun.class);
  static final String ORG = "fleet-org";
  /** The service's scheduler.intervalMs (the default). */
  static final long TICK_MS = 5000;

  private FleetScaleRun() {
  }

  public static void main(String[] args) {
    HarnessCommandLine.exit(new FleetScaleCommand(), args);
  }

  static int runAndReport(FleetScaleOptions o) throws Exception {
    JsonObject results = run(o);
    String report = FleetScaleReport.text(results);
    Files.writeString(o.out().resolve("report.txt"), report, StandardCharsets.UTF_8);
    System.out.println(report);
    return succeeded(results) ? 0 : 1;
  }

  /** Every site rotated by the job, every drift check found the password in place, the end state clean. */
  static boolean succeeded(JsonObject r) {
    JsonObject job = r.getJsonObject("job", new JsonObject());
    JsonObject end = r.getJsonObject("end_state", new JsonObject());
    JsonObject drift = r.getJsonObject("drift", new JsonObject());
    int sites = r.getJsonObject("options").getInteger("sites");
    return r.getJsonObject("enrolment", new JsonObject()).getInteger("ok", 0) == sites
        && "completed".equals(job.getString("state")) && job.getInteger("succeeded", 0) == sites
        && drift.getLong("checks_ok", 0L) > 0 && drift.getLong("checks_other", 0L) == 0
        && end.getLong("current", 0L) == sites && end.getLong("pending", -1L) == 0;
  }

  public static JsonObject run(FleetScaleOptions o) throws Exception {
    Path out = o.out().toAbsolutePath();
    Files.createDirectories(out);
    JsonObject results = new JsonObject().put("started_at", Instant.now().toString())
        .put("cores", Runtime.getRuntime().availableProcessors()).put("load_at_start", ProcStats.loadAverage())
        .put("options", new JsonObject().put("sites", o.sites()).put("simulators", o.simulators())
            .put("edges", o.edges()).put("enrol_concurrency", o.enrolConcurrency())
            .put("job_max_in_flight", o.jobMaxInFlight()).put("idle_seconds", o.idleSeconds())
            .put("drift_period_seconds", o.driftPeriodSeconds()).put("drift_seconds", o.driftSeconds())
            .put("service_jvm_options", String.join(" ", o.serviceJvmOptions()))
            .put("simulator_xmx", o.simulatorXmx()).put("pool_size", o.poolSize()));
    Vertx vertx = Vertx.vertx();
    EmbeddedPostgres pg = null;
    List<ChildProcess> simulators = new ArrayList<>();
    ChildProcess service = null;
    ScheduledExecutorService sampler = Executors.newSingleThreadScheduledExecutor();
    try {
      BenchHarness.deleteTree(out.resolve("pg"));
      pg = EmbeddedDatabase.durableBuilder().setDataDirectory(out.resolve("pg")).setCleanDataDirectory(true)
          .setPGStartupWait(Duration.ofSeconds(120)).start();
      try (Connection c = pg.getPostgresDatabase().getConnection(); Statement s = c.createStatement()) {
        s.execute("CREATE DATABASE fleet");
      }
      DataSource db = pg.getDatabase("postgres", "fleet");
      long postmaster = Long.parseLong(Files.readAllLines(out.resolve("pg").resolve("postmaster.pid")).get(0).trim());

      // The routers: consecutive addresses, split over the simulator processes, which start in parallel.
      Fleet.Generate all = SimulatorProcess.fleet(o.sites(), FleetScaleOptions.FIRST_ADDRESS, BenchOptions.ROUTER_PORT)
          .generate();
      int per = (o.sites() + o.simulators() - 1) / o.simulators();
      long t0 = System.nanoTime();
      for (int k = 0, first = 0; first < o.sites(); k++, first += per) {
        int count = Math.min(per, o.sites() - first);
        simulators.add(ChildProcess.start("simulator-" + k, List.of("-Xmx" + o.simulatorXmx(),
                "-Dlogback.configurationFile=simulator-logback.xml"), BenchOptions.defaultClasspath(),
            SimulatorProcess.class.getName(), List.of(Integer.toString(count), all.router(first).address(),
                Integer.toString(BenchOptions.ROUTER_PORT)), out.resolve("simulator-" + k + ".log"), true));
      }
      JsonArray ready = new JsonArray();
      for (ChildProcess sim : simulators) {
        ready.add(sim.awaitLine("simulator ready", 1800));
      }
      results.put("simulators_start", new JsonObject().put("lines", ready)
          .put("wall_ms", (System.nanoTime() - t0) / 1_000_000));

      int httpPort = BenchHarness.freePort();
      String secret = BenchHarness.randomBase64();
      JsonObject config = new JsonObject()
          .put("http", new JsonObject().put("host", "127.0.0.1").put("port", httpPort))
          .put("auth", new JsonObject().put("jwt", new JsonObject().put("hs256Secret", secret)))
          .put("database", new JsonObject().put("url", "postgresql://postgres@localhost:" + pg.getPort() + "/fleet")
              .put("poolSize", o.poolSize()))
          .put("dataDir", out.resolve("service-data").toString())
          .put("crypto", new JsonObject().put("keys", new JsonObject().put("fleet-1", BenchHarness.randomBase64()))
              .put("activeKey", "fleet-1"))
          .put("simulator", new JsonObject().put("enabled", false))
          // Off until the policy phase sets a drift period for the organisation.
          .put("drift", new JsonObject().put("checkPeriodSeconds", 0))
          .put("enrolment", BenchHarness.loopbackFleetEnrolment());
      Path configFile = out.resolve("service.yaml"); // JSON is YAML
      Files.writeString(configFile, config.encodePrettily(), StandardCharsets.UTF_8);
      service = ChildProcess.start("service", o.serviceJvmOptions(), o.serviceClasspath(),
          "controlplane.config.Main", List.of("--config", configFile.toString()), out.resolve("service.log"), false);
      String token = TokenMinter.mint(secret, ORG, "credentials:read credentials:rotate sites:write", "fleet-scale",
          Duration.ofHours(12));
      HttpLoad api = new HttpLoad(vertx, "127.0.0.1", httpPort, token, 4);
      BenchHarness.awaitReady(api, service);
      long svc = service.pid();
      AtomicLong rssPeakKib = new AtomicLong();
      sampler.scheduleAtFixedRate(() -> rssPeakKib.accumulateAndGet(ProcStats.statusKib(svc, "VmRSS"), Math::max),
          0, 1, TimeUnit.SECONDS);
      Cpu cpu = new Cpu(svc, postmaster);

      // 1. Enrolment.
      List<HttpLoad.BenchSite> sites = new ArrayList<>(o.sites());
      Map<String, String> edgeOf = new HashMap<>(o.sites() * 2);
      for (int i = 0; i < o.sites(); i++) {
        var r = all.router(i);
        String id = UUID.nameUUIDFromBytes(("fleet-site:" + i).getBytes(StandardCharsets.UTF_8)).toString();
        sites.add(new HttpLoad.BenchSite(id, r.address(), r.port()));
        edgeOf.put(id, "edge-" + (i % o.edges()));
      }
      Cpu.Snap before = cpu.snap();
      try (HttpLoad http = new HttpLoad(vertx, "127.0.0.1", httpPort, token, o.enrolConcurrency())) {
        LOG.info("enrolling {} sites over {} edges", o.sites(), o.edges());
        JsonObject enrol = BenchHarness.await(http.enrol(sites, ORG, true, o.enrolConcurrency(),
            s -> edgeOf.get(s.id())));
        results.put("enrolment", enrol.put("cpu", cpu.delta(before, enrol.getInteger("ok"))));
        LOG.info("enrolment: {}", enrol.encode());
      }
      results.put("planned_after_enrolment", awaitPlanned(db, 3600));

      // 2. The bulk job.
      before = cpu.snap();
      long jobStart = System.nanoTime();
      JsonObject job = BenchHarness.await(api.call(HttpMethod.POST, "/control-plane/rotations",
          new JsonObject().put("selector", new JsonObject()).put("max_in_flight", o.jobMaxInFlight()), 202));
      String jobPath = "/control-plane/rotations/" + job.getString("id");
      JsonArray progress = new JsonArray();
      while (!List.of("completed", "cancelled").contains(job.getString("state"))) {
        Thread.sleep(Math.min(10_000, Math.max(1000, o.sites() / 20)));
        job = BenchHarness.await(api.call(HttpMethod.GET, jobPath, null, 200));
        long s = (System.nanoTime() - jobStart) / 1_000_000_000;
        progress.add(new JsonObject().put("s", s).put("done", job.getInteger("total") - job.getInteger("remaining"))
            .put("load", ProcStats.loadAverage()));
        LOG.info("job: {} s, {} of {} done ({} failed, {} unknown)", s,
            job.getInteger("total") - job.getInteger("remaining"), job.getInteger("total"), job.getInteger("failed"),
            job.getInteger("unknown"));
      }
      long jobMs = (System.nanoTime() - jobStart) / 1_000_000;
      results.put("job", new JsonObject().put("state", job.getString("state")).put("total", job.getInteger("total"))
          .put("succeeded", job.getInteger("succeeded")).put("failed", job.getInteger("failed"))
          .put("unknown", job.getInteger("unknown")).put("wall_ms", jobMs)
          .put("per_s", Math.round(10.0 * job.getInteger("succeeded") * 1000 / Math.max(1, jobMs)) / 10.0)
          .put("cpu", cpu.delta(before, job.getInteger("succeeded"))).put("progress", progress)
          .put("load", ProcStats.loadAverage()));

      // 3. The idle fleet: nothing due, no drift: what the scheduler and the gauges cost per tick.
      LOG.info("idle fleet: {} s", o.idleSeconds());
      before = cpu.snap();
      Thread.sleep(o.idleSeconds() * 1000L);
      double ticks = o.idleSeconds() * 1000.0 / TICK_MS;
      JsonObject idle = cpu.delta(before, 0);
      results.put("idle", idle.put("ticks", ticks)
          .put("service_cpu_ms_per_tick", Math.round(10.0 * idle.getJsonObject("service").getLong("cpu_ms") / ticks)
              / 10.0)
          .put("postgres_cpu_ms_per_tick", Math.round(10.0 * idle.getJsonObject("postgres").getLong("cpu_ms") / ticks)
              / 10.0)
          .put("load", ProcStats.loadAverage()));

      // 4. A drift period for the organisation: every site planned again, then drift checks.
      long replanStart = System.nanoTime();
      BenchHarness.await(api.call(HttpMethod.PUT, "/control-plane/rotation-policy", new JsonObject()
          .put("rotation_period_seconds", 30L * 86400).put("rotation_window_seconds", 3600)
          .put("drift_check_period_seconds", o.driftPeriodSeconds()), 200));
      JsonObject replan = awaitPlanned(db, 3600);
      replan.put("wall_ms", (System.nanoTime() - replanStart) / 1_000_000);
      JsonObject drift = new JsonObject().put("replan", replan);
      double[] c0 = driftChecks(BenchHarness.await(api.get("/metrics")));
      before = cpu.snap();
      LOG.info("drift checks: {} s at a period of {} s", o.driftSeconds(), o.driftPeriodSeconds());
      Thread.sleep(o.driftSeconds() * 1000L);
      double[] c1 = driftChecks(BenchHarness.await(api.get("/metrics")));
      long ok = Math.round(c1[0] - c0[0]);
      long other = Math.round(c1[1] - c0[1]);
      drift.put("checks_ok", Math.round(c1[0])).put("checks_other", Math.round(c1[1]))
          .put("window_checks", ok + other)
          .put("per_s", Math.round(10.0 * (ok + other) / o.driftSeconds()) / 10.0)
          .put("demand_per_s", Math.round(10.0 * o.sites() / o.driftPeriodSeconds()) / 10.0)
          .put("cpu", cpu.delta(before, (int) (ok + other))).put("load", ProcStats.loadAverage());
      results.put("drift", drift);

      // 5. The end state.
      results.put("end_state", endState(db));
      JsonObject res = new JsonObject()
          .put("service_rss_mib", ProcStats.statusKib(svc, "VmRSS") / 1024)
          .put("service_rss_peak_sampled_mib", rssPeakKib.get() / 1024)
          .put("service_rss_hwm_mib", ProcStats.statusKib(svc, "VmHWM") / 1024)
          .put("service_heap", BenchHarness.heap(BenchHarness.await(api.get("/metrics"))));
      JsonArray simRss = new JsonArray();
      for (ChildProcess sim : simulators) {
        simRss.add(ProcStats.statusKib(sim.pid(), "VmRSS") / 1024);
      }
      results.put("resources", res.put("simulators_rss_mib", simRss));
      api.close();
    } finally {
      sampler.shutdownNow();
      results.put("load_at_end", ProcStats.loadAverage()).put("finished_at", Instant.now().toString());
      ChildProcess first = simulators.isEmpty() ? null : simulators.get(0);
      for (ChildProcess sim : simulators.subList(Math.min(1, simulators.size()), simulators.size())) {
        sim.close();
      }
      BenchHarness.stopAll(service, first, vertx, pg);
      Files.writeString(out.resolve("results.json"), results.encodePrettily(), StandardCharsets.UTF_8);
    }
    return results;
  }

  /** Waits until no site waits for the scheduler's plan; how long it took and how many sites have a drift check. */
  private static JsonObject awaitPlanned(DataSource db, int seconds) throws Exception {
    long t0 = System.nanoTime();
    long deadline = t0 + TimeUnit.SECONDS.toNanos(seconds);
    while (true) {
      long waiting = count(db, "SELECT count(*) FROM sites WHERE replan AND deleted_at IS NULL");
      if (waiting == 0) {
        return new JsonObject().put("wait_ms", (System.nanoTime() - t0) / 1_000_000)
            .put("with_drift_check", count(db, "SELECT count(*) FROM sites WHERE next_drift_check_at IS NOT NULL"));
      }
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException(waiting + " sites still unplanned after " + seconds + " s");
      }
      Thread.sleep(1000);
    }
  }

  private static JsonObject endState(DataSource db) throws Exception {
    return new JsonObject()
        .put("sites", count(db, "SELECT count(*) FROM sites WHERE deleted_at IS NULL"))
        .put("in_sync", count(db, "SELECT count(*) FROM sites WHERE status = 'in_sync' AND deleted_at IS NULL"))
        .put("current", count(db, "SELECT count(*) FROM credential_versions WHERE state = 'CURRENT'"))
        .put("pending", count(db, "SELECT count(*) FROM credential_versions WHERE state = 'PENDING'"))
        .put("versions", count(db, "SELECT count(*) FROM credential_versions"))
        .put("database_mib", count(db, "SELECT pg_database_size('fleet')") >> 20);
  }

  private static long count(DataSource db, String sql) throws Exception {
    try (Connection c = db.getConnection(); Statement s = c.createStatement(); ResultSet r = s.executeQuery(sql)) {
      r.next();
      return r.getLong(1);
    }
  }

  /** cp_drift_checks_total: {checks that logged in, every other result}. */
  static double[] driftChecks(String metrics) {
    double ok = 0;
    double other = 0;
    for (String line : metrics.split("\n")) {
      if (line.startsWith("cp_drift_checks_total{")) {
        double v = Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
        if (line.contains("result=\"ok\"")) {
          ok += v;
        } else {
          other += v;
        }
      }
    }
    return new double[] {ok, other};
  }

  /** CPU of the service and of PostgreSQL between two instants. */
  private record Cpu(long service, long postmaster) {
    record Snap(long service, long postgres, long nanos) {
    }

    Snap snap() {
      return new Snap(ProcStats.cpuMillis(service), ProcStats.postgresCpuMillis(postmaster), System.nanoTime());
    }

    JsonObject delta(Snap before, int operations) {
      Snap now = snap();
      double wallMs = (now.nanos - before.nanos) / 1e6;
      JsonObject out = new JsonObject().put("wall_ms", Math.round(wallMs));
      BenchHarness.put(out, "service", now.service - before.service, operations, wallMs);
      BenchHarness.put(out, "postgres", now.postgres - before.postgres, operations, wallMs);
      return out;
    }
  }
}
