package controlplane.harness.bench;

import controlplane.config.EmbeddedDatabase;
import controlplane.harness.HarnessCommandLine;
import controlplane.http.TokenMinter;
import controlplane.simulator.Fleet;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.ToDoubleFunction;

/**
 * The soak (issue 5, "Concurrency and load"): the layout of {@link BenchHarness} (PostgreSQL, the simulator and the
 * service each in its own processes, this JVM the load generator), {@code --sites} sites enrolled, then rotations
 * over HTTP at a fixed {@code --concurrency} for {@code --minutes}, no fault injected. Every {@code --sample-seconds}
 * it records, for the service process: heap used (and old generation) from its {@code /metrics}, open file
 * descriptors ({@code /proc/<pid>/fd}), RSS, threads, and the cumulative rotations and non-200 answers. Prints the
 * samples and a first-minute / last-minute summary; exits non-zero on any answer other than a verified 200, or when
 * the descriptor count grew by more than 10% + 20 from the first minute to the last. Traffic stays on 127.0.0.0/8;
 * no password is kept or printed.
 *
 * <p>The service runs with a short retention ({@link #HOUSEKEEPING_INTERVAL_MS}, {@link #VERSION_WINDOW_S}) so that
 * housekeeping works during the soak: the samples carry the rows of credential_versions and audit_events, the report
 * the three growing tables at start and end and what the housekeeper removed.
 */
public final class SoakRun {

  /** The service's housekeeping period during a soak. */
  static final long HOUSEKEEPING_INTERVAL_MS = 5_000;
  /** The service's retention.versionDays during a soak, in seconds. */
  static final double VERSION_WINDOW_S = 10;

  /**
   * One sample of the service process; memory in MiB, rotations and errors cumulative since the soak began, and the
   * rows of credential_versions and audit_events then.
   */
  record Sample(double seconds, double heapMib, double oldGenMib, long fds, long rssMib, long threads,
                long rotations, long errors, String load, long versions, long audit) {
    JsonObject json() {
      return new JsonObject().put("t_s", seconds).put("heap_used_mib", heapMib).put("old_gen_used_mib", oldGenMib)
          .put("fds", fds).put("rss_mib", rssMib).put("threads", threads).put("rotations", rotations)
          .put("errors", errors).put("load", load).put("versions", versions).put("audit", audit);
    }

    static Sample of(JsonObject j) {
      return new Sample(j.getDouble("t_s"), j.getDouble("heap_used_mib"), j.getDouble("old_gen_used_mib"),
          j.getLong("fds"), j.getLong("rss_mib"), j.getLong("threads"), j.getLong("rotations"), j.getLong("errors"),
          j.getString("load"), j.getLong("versions", -1L), j.getLong("audit", -1L));
    }
  }

  private SoakRun() {
  }

  public static void main(String[] args) {
    HarnessCommandLine.exit(new SoakCommand(), args);
  }

  /** Runs, writes soak-report.txt and prints it; the exit status: 0 when the soak passed. */
  static int runAndReport(SoakOptions o) throws Exception {
    JsonObject results = run(o);
    String report = report(results);
    Files.writeString(o.out().resolve("soak-report.txt"), report, StandardCharsets.UTF_8);
    System.out.println(report);
    return results.getBoolean("passed") ? 0 : 1;
  }

  /** Starts the layout, enrols, soaks, samples; the results (also written to {@code out/soak.json}). */
  static JsonObject run(SoakOptions o) throws Exception {
    Path out = o.out().toAbsolutePath();
    Files.createDirectories(out);
    JsonObject results = new JsonObject().put("started_at", Instant.now().toString())
        .put("cores", Runtime.getRuntime().availableProcessors()).put("load_at_start", ProcStats.loadAverage())
        .put("options", new JsonObject().put("sites", o.sites()).put("concurrency", o.concurrency())
            .put("minutes", o.minutes()).put("sample_seconds", o.sampleSeconds()).put("pool_size", o.poolSize())
            .put("service_jvm_options", String.join(" ", o.serviceJvmOptions())).put("simulator_xmx",
                o.simulatorXmx()));
    Vertx vertx = Vertx.vertx();
    EmbeddedPostgres pg = null;
    ChildProcess simulator = null;
    ChildProcess service = null;
    Connection db = null;
    try {
      BenchHarness.deleteTree(out.resolve("pg"));
      pg = EmbeddedDatabase.durableBuilder().setDataDirectory(out.resolve("pg")).setCleanDataDirectory(true)
          .setPGStartupWait(Duration.ofSeconds(120)).start();
      try (Connection c = pg.getPostgresDatabase().getConnection(); Statement s = c.createStatement()) {
        s.execute("CREATE DATABASE soak");
      }
      String dbUrl = "postgresql://postgres@localhost:" + pg.getPort() + "/soak";
      db = pg.getDatabase("postgres", "soak").getConnection();

      simulator = ChildProcess.start("simulator", List.of("-Xmx" + o.simulatorXmx(),
              "-Dlogback.configurationFile=simulator-logback.xml"), BenchOptions.defaultClasspath(),
          SimulatorProcess.class.getName(), List.of(Integer.toString(o.sites()), BenchOptions.FIRST_ADDRESS,
              Integer.toString(BenchOptions.ROUTER_PORT)), out.resolve("simulator.log"), true);
      simulator.awaitLine("simulator ready", 900);

      int httpPort = BenchHarness.freePort();
      String secret = BenchHarness.randomBase64();
      JsonObject config = new JsonObject()
          .put("http", new JsonObject().put("host", "127.0.0.1").put("port", httpPort))
          .put("auth", new JsonObject().put("jwt", new JsonObject().put("hs256Secret", secret)))
          .put("database", new JsonObject().put("url", dbUrl).put("poolSize", o.poolSize()))
          .put("dataDir", out.resolve("service-data").toString())
          .put("crypto", new JsonObject().put("keys", new JsonObject().put("soak-1", BenchHarness.randomBase64()))
              .put("activeKey", "soak-1"))
          .put("simulator", new JsonObject().put("enabled", false))
          .put("enrolment", BenchHarness.loopbackFleetEnrolment())
          .put("retention", new JsonObject().put("housekeepingIntervalMs", HOUSEKEEPING_INTERVAL_MS)
              .put("versionDays", VERSION_WINDOW_S / 86_400));
      results.put("retention", new JsonObject().put("housekeeping_interval_ms", HOUSEKEEPING_INTERVAL_MS)
          .put("version_window_s", VERSION_WINDOW_S));
      Path configFile = out.resolve("service.yaml"); // JSON is YAML
      Files.writeString(configFile, config.encodePrettily(), StandardCharsets.UTF_8);
      service = ChildProcess.start("service", new ArrayList<>(o.serviceJvmOptions()), o.serviceClasspath(),
          "controlplane.config.Main", List.of("--config", configFile.toString()), out.resolve("service.log"), false);
      String token = TokenMinter.mint(secret, BenchHarness.ORG, "credentials:read credentials:rotate sites:write",
          "soak", Duration.ofHours(30));
      long svc = service.pid();
      results.put("service_pid", svc);

      try (HttpLoad probe = new HttpLoad(vertx, "127.0.0.1", httpPort, token, 2)) {
        BenchHarness.awaitReady(probe, service);
        Fleet.Generate gen = SimulatorProcess.fleet(o.sites(), BenchOptions.FIRST_ADDRESS, BenchOptions.ROUTER_PORT)
            .generate();
        List<HttpLoad.BenchSite> sites = new ArrayList<>(o.sites());
        for (int i = 0; i < o.sites(); i++) {
          var r = gen.router(i);
          sites.add(new HttpLoad.BenchSite(UUID.nameUUIDFromBytes(("soak-site:" + i)
              .getBytes(StandardCharsets.UTF_8)).toString(), r.address(), r.port()));
        }
        try (HttpLoad http = new HttpLoad(vertx, "127.0.0.1", httpPort, token, 64)) {
          results.put("enrolment", BenchHarness.await(http.enrol(sites, BenchHarness.ORG, false, 64)));
        }

        results.put("tables_at_start", TableRows.count(db));
        // The soak: `concurrency` workers, each one rotation in flight on a free site, until the deadline.
        WebClient client = WebClient.create(vertx, new WebClientOptions().setKeepAlive(true).setTcpNoDelay(true)
            .setDefaultHost("127.0.0.1").setDefaultPort(httpPort), new PoolOptions().setHttp1MaxSize(o.concurrency()));
        Soak soak = new Soak(client, httpPort, "Bearer " + token, sites.stream().map(HttpLoad.BenchSite::id).toList());
        long periodNanos = TimeUnit.SECONDS.toNanos(o.sampleSeconds());
        long durationNanos = Math.round(o.minutes() * 60e9);
        long t0 = System.nanoTime();
        Future<Void> done = soak.start(t0 + durationNanos, o.concurrency());
        JsonArray samples = new JsonArray();
        long count = durationNanos / periodNanos; // samples at 0, p, 2p, ... and one at the end: bounded
        for (long i = 0; i <= count + 1; i++) {
          long at = i <= count ? t0 + i * periodNanos : t0 + durationNanos;
          long wait = at - System.nanoTime();
          if (wait > 0) {
            TimeUnit.NANOSECONDS.sleep(wait);
          }
          if (i == count + 1 && count * periodNanos == durationNanos) {
            break; // the last periodic sample was already at the end
          }
          samples.add(sample(probe, svc, soak, t0, db).json());
        }
        BenchHarness.await(done);
        results.put("tables_at_end", TableRows.count(db))
            .put("housekeeping_removed", TableRows.removed(BenchHarness.await(probe.get("/metrics"))));
        long wallNanos = soak.lastEnd.get() - t0;
        client.close();
        results.put("samples", samples).put("rotations", soak.ok.get()).put("errors", soak.errors())
            .put("failures", soak.failures()).put("wall_s", Math.round(wallNanos / 1e6) / 1000.0)
            .put("rotations_per_s", Math.round(soak.ok.get() / (wallNanos / 1e9) * 10) / 10.0)
            .put("service_rss_peak_mib", ProcStats.statusKib(svc, "VmHWM") / 1024)
            .put("service_alive", service.alive());
      }
    } finally {
      results.put("load_at_end", ProcStats.loadAverage()).put("finished_at", Instant.now().toString());
      if (db != null) {
        db.close();
      }
      BenchHarness.stopAll(service, simulator, vertx, pg);
      summarise(results);
      Files.writeString(out.resolve("soak.json"), results.encodePrettily(), StandardCharsets.UTF_8);
    }
    return results;
  }

  /** The closed loop of the soak, bounded by a deadline instead of a count; live counters for the sampler. */
  private static final class Soak {
    private final WebClient client;
    private final int port;
    private final String bearer;
    private final ConcurrentLinkedQueue<String> free;
    final AtomicLong ok = new AtomicLong();
    final AtomicLong lastEnd = new AtomicLong();
    private final Map<String, AtomicLong> failures = new ConcurrentHashMap<>();

    Soak(WebClient client, int port, String bearer, List<String> ids) {
      this.client = client;
      this.port = port;
      this.bearer = bearer;
      this.free = new ConcurrentLinkedQueue<>(ids);
    }

    Future<Void> start(long deadline, int concurrency) {
      int workers = Math.min(concurrency, free.size());
      Promise<Void> all = Promise.promise();
      AtomicInteger running = new AtomicInteger(workers);
      for (int w = 0; w < workers; w++) {
        Promise<Void> one = Promise.promise();
        next(deadline, one);
        one.future().onComplete(v -> {
          if (running.decrementAndGet() == 0) {
            all.complete();
          }
        });
      }
      return all.future();
    }

    private void next(long deadline, Promise<Void> done) {
      String id = System.nanoTime() < deadline ? free.poll() : null;
      if (id == null) { // deadline passed (a free site always exists: workers <= sites)
        done.complete();
        return;
      }
      client.post(port, "127.0.0.1", "/control-plane/" + id + "/credentials").putHeader("Authorization", bearer)
          .send().onComplete(ar -> {
            String failure;
            if (ar.failed()) {
              failure = ar.cause().getClass().getSimpleName();
            } else if (ar.result().statusCode() != 200) {
              String code = "?";
              try {
                JsonObject b = ar.result().bodyAsJsonObject();
                code = b != null && b.getString("code") != null ? b.getString("code") : "?";
              } catch (RuntimeException e) {
                // not JSON
              }
              failure = "http_" + ar.result().statusCode() + "_" + code;
            } else {
              JsonObject b = ar.result().bodyAsJsonObject();
              String password = b == null ? null : b.getString("password");
              failure = password != null && password.length() >= 8 && id.equals(b.getString("site_id"))
                  ? null : "malformed_credential";
            }
            if (failure == null) {
              ok.incrementAndGet();
            } else {
              failures.computeIfAbsent(failure, k -> new AtomicLong()).incrementAndGet();
            }
            lastEnd.accumulateAndGet(System.nanoTime(), Math::max);
            free.add(id);
            next(deadline, done);
          });
    }

    long errors() {
      return failures.values().stream().mapToLong(AtomicLong::get).sum();
    }

    JsonObject failures() {
      JsonObject f = new JsonObject();
      new TreeMap<>(failures).forEach((k, v) -> f.put(k, v.get()));
      return f;
    }
  }

  private static Sample sample(HttpLoad probe, long pid, Soak soak, long t0, Connection db) throws Exception {
    double[] heap = heap(BenchHarness.await(probe.get("/metrics")));
    return new Sample(Math.round((System.nanoTime() - t0) / 1e8) / 10.0, heap[0], heap[1], ProcStats.openFds(pid),
        ProcStats.statusKib(pid, "VmRSS") / 1024, ProcStats.threads(pid), soak.ok.get(), soak.errors(),
        ProcStats.loadAverage().split(" ")[0], TableRows.count(db, "credential_versions"),
        TableRows.count(db, "audit_events"));
  }

  /** Heap used and old generation used (MiB) from the service's Prometheus text. */
  static double[] heap(String metrics) {
    double used = 0;
    double old = 0;
    for (String line : metrics.split("\n")) {
      if (!line.startsWith("jvm_memory_used_bytes") || !line.contains("area=\"heap\"")) {
        continue;
      }
      double v = Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
      used += v;
      if (line.contains("Old Gen") || line.contains("Tenured")) {
        old += v;
      }
    }
    return new double[] {Math.round(used / (1 << 20) * 10) / 10.0, Math.round(old / (1 << 20) * 10) / 10.0};
  }

  /** First and last minute (a third of the run when shorter than 3 minutes), max, drift; the verdict. */
  static void summarise(JsonObject results) {
    JsonArray raw = results.getJsonArray("samples", new JsonArray());
    List<Sample> samples = new ArrayList<>();
    raw.forEach(j -> samples.add(Sample.of((JsonObject) j)));
    boolean errorsFree = results.getLong("errors", -1L) == 0
        && results.getJsonObject("enrolment", new JsonObject()).getInteger("failed", -1) == 0;
    if (samples.size() < 2) {
      results.put("passed", false).put("verdict", "too few samples");
      return;
    }
    double end = samples.get(samples.size() - 1).seconds();
    double window = Math.min(60, end / 3);
    List<Sample> first = samples.stream().filter(s -> s.seconds() > 0 && s.seconds() <= window).toList();
    List<Sample> last = samples.stream().filter(s -> s.seconds() >= end - window).toList();
    double minutesApart = (mean(last, Sample::seconds) - mean(first, Sample::seconds)) / 60;
    JsonObject summary = new JsonObject().put("window_s", window).put("first_n", first.size())
        .put("last_n", last.size());
    Map<String, ToDoubleFunction<Sample>> metrics = new java.util.LinkedHashMap<>();
    metrics.put("heap_used_mib", Sample::heapMib);
    metrics.put("old_gen_used_mib", Sample::oldGenMib);
    metrics.put("fds", Sample::fds);
    metrics.put("rss_mib", Sample::rssMib);
    metrics.put("threads", Sample::threads);
    metrics.forEach((name, f) -> {
      double a = mean(first, f);
      double b = mean(last, f);
      summary.put(name, new JsonObject().put("first", round(a)).put("last", round(b))
          .put("max", samples.stream().mapToDouble(f).max().orElse(0))
          .put("drift_per_min", minutesApart > 0 ? round((b - a) / minutesApart) : 0.0));
    });
    double fdFirst = summary.getJsonObject("fds").getDouble("first");
    double fdLast = summary.getJsonObject("fds").getDouble("last");
    boolean fdsFlat = fdFirst > 0 && fdLast <= fdFirst * 1.10 + 20;
    boolean alive = results.getBoolean("service_alive", false);
    results.put("summary", summary).put("fds_flat", fdsFlat)
        .put("passed", errorsFree && fdsFlat && alive)
        .put("verdict", (errorsFree ? "no error" : "ERRORS") + ", " + (fdsFlat ? "fds flat" : "FDS GREW")
            + (alive ? "" : ", SERVICE DIED"));
  }

  private static double mean(List<Sample> s, ToDoubleFunction<Sample> f) {
    return s.stream().mapToDouble(f).average().orElse(0);
  }

  private static double round(double v) {
    return Math.round(v * 10) / 10.0;
  }

  /** The samples as a table, then the summary. */
  static String report(JsonObject r) {
    StringBuilder b = new StringBuilder();
    JsonObject o = r.getJsonObject("options");
    b.append(String.format("soak: %d sites, %d in flight, %s min, a sample every %d s; service pid %s%n",
        o.getInteger("sites"), o.getInteger("concurrency"), o.getValue("minutes"), o.getInteger("sample_seconds"),
        r.getValue("service_pid")));
    b.append(String.format("[service + PostgreSQL + simulator + load generator share this %d-core machine; "
        + "load %s at start, %s at end]%n", r.getInteger("cores", 2), r.getString("load_at_start"),
        r.getString("load_at_end")));
    JsonObject enrol = r.getJsonObject("enrolment", new JsonObject());
    b.append(String.format("enrolment: %s ok, %s failed%n%n", enrol.getValue("ok"), enrol.getValue("failed")));
    b.append(String.format("%7s %9s %8s %5s %7s %7s %10s %7s %6s %6s %9s %9s%n", "t_s", "heap_MiB", "old_MiB", "fds",
        "rss_MiB", "threads", "rotations", "rot/s", "errors", "load1", "versions", "audit"));
    Sample prev = null;
    for (Object j : r.getJsonArray("samples", new JsonArray())) {
      Sample s = Sample.of((JsonObject) j);
      double rate = prev == null || s.seconds() <= prev.seconds() ? 0
          : (s.rotations() - prev.rotations()) / (s.seconds() - prev.seconds());
      b.append(String.format("%7.1f %9.1f %8.1f %5d %7d %7d %10d %7.0f %6d %6s %9d %9d%n", s.seconds(), s.heapMib(),
          s.oldGenMib(), s.fds(), s.rssMib(), s.threads(), s.rotations(), rate, s.errors(), s.load(), s.versions(),
          s.audit()));
      prev = s;
    }
    JsonObject sum = r.getJsonObject("summary");
    if (sum != null) {
      b.append(String.format("%nfirst vs last %.0f s (%d and %d samples):%n", sum.getDouble("window_s"),
          sum.getInteger("first_n"), sum.getInteger("last_n")));
      b.append(String.format("%-17s %9s %9s %9s %14s%n", "", "first", "last", "max", "drift/min"));
      for (String k : List.of("heap_used_mib", "old_gen_used_mib", "fds", "rss_mib", "threads")) {
        JsonObject m = sum.getJsonObject(k);
        b.append(String.format("%-17s %9.1f %9.1f %9.1f %+14.1f%n", k, m.getDouble("first"), m.getDouble("last"),
            m.getDouble("max"), m.getDouble("drift_per_min")));
      }
    }
    JsonObject start = r.getJsonObject("tables_at_start");
    JsonObject end = r.getJsonObject("tables_at_end");
    if (start != null && end != null) {
      JsonObject retention = r.getJsonObject("retention", new JsonObject());
      b.append(String.format("%ntable rows (housekeeping every %s ms, versions older than %s s beyond each site's "
          + "newest 3; audit by whole months):%n", retention.getValue("housekeeping_interval_ms"),
          retention.getValue("version_window_s")));
      b.append(String.format("%-20s %10s %10s%n", "", "start", "end"));
      for (String table : TableRows.TABLES) {
        b.append(String.format("%-20s %10d %10d%n", table, start.getLong(table), end.getLong(table)));
      }
      b.append(String.format("housekeeping removed: %s%n", r.getJsonObject("housekeeping_removed",
          new JsonObject()).encode()));
    }
    b.append(String.format("%nrotations: %s in %s s = %s/s; service RSS peak %s MiB%n", r.getValue("rotations"),
        r.getValue("wall_s"), r.getValue("rotations_per_s"), r.getValue("service_rss_peak_mib")));
    b.append(String.format("non-200 / failed answers: %s %s%n", r.getValue("errors"),
        r.getJsonObject("failures", new JsonObject()).encode()));
    b.append(String.format("verdict: %s -> %s%n", r.getString("verdict"),
        r.getBoolean("passed", false) ? "PASS" : "FAIL"));
    return b.toString();
  }
}
