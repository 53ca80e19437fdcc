package controlplane.harness.chaos;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;

/**
 * Parameters of one {@link ChaosRun} ({@link ChaosCommand} reads them from the command line). Every loop of the run is
 * bounded by one of these (count or time).
 *
 * @param routers           simulated routers, each enrolled as a site (&gt;= 500 for the published run)
 * @param load              how long rotations are driven while faults are injected
 * @param kills             SIGKILLs of the service during the load (each followed by a restart)
 * @param databaseRestarts  stops and restarts of PostgreSQL during the load (0 or more)
 * @param concurrency       rotations in flight at once over HTTP
 * @param unrecoverable     routers made unrecoverable on purpose (password changed behind the service's back while
 *                          a rotation of theirs is pending and the service is down)
 * @param faultyFraction    at most this fraction of the fleet carries an injected fault at any moment
 * @param settleTimeout     bound on the wait for the reconciler to settle every PENDING version at the end
 * @param seed              seed of every random choice (faults, targets, kill instants)
 * @param firstAddress      loopback address of the first router; the others follow it
 * @param runDir            where the database, the service's data, configuration and logs go
 * @param serviceClasspath  class path of the service process ({@code controlplane.config.Main})
 * @param javaBin           the {@code java} executable for the service process
 * @param serviceHeapMb     -Xmx of the service process
 * @param hostileSweep      also run the HTTP/auth hostile-input sweep against the live service
 * @param jobs              bulk rotation jobs created during the load (each over {@link #JOB_SITES} random sites), all of
 *                          which must complete with counts equal to their sites' ends; 0 for none
 */
public record ChaosOptions(int routers, Duration load, int kills, int databaseRestarts, int concurrency,
                           int unrecoverable, double faultyFraction, Duration settleTimeout, long seed,
                           String firstAddress, Path runDir, String serviceClasspath, String javaBin,
                           int serviceHeapMb, boolean hostileSweep, int jobs) {

  /** Sites of each bulk job of the run (fewer when the fleet is smaller). */
  public static final int JOB_SITES = 40;


  public ChaosOptions {
    Objects.requireNonNull(load, "load");
    Objects.requireNonNull(settleTimeout, "settleTimeout");
    Objects.requireNonNull(firstAddress, "firstAddress");
    Objects.requireNonNull(runDir, "runDir");
    Objects.requireNonNull(serviceClasspath, "serviceClasspath");
    Objects.requireNonNull(javaBin, "javaBin");
    if (routers < 1 || routers > 60_000) {
      throw new IllegalArgumentException("routers must be in 1..60000");
    }
    if (kills < 0 || kills > 50 || databaseRestarts < 0 || databaseRestarts > 10) {
      throw new IllegalArgumentException("kills in 0..50, databaseRestarts in 0..10");
    }
    if (concurrency < 1 || concurrency > 512) {
      throw new IllegalArgumentException("concurrency must be in 1..512");
    }
    if (unrecoverable < 0 || unrecoverable >= routers) {
      throw new IllegalArgumentException("unrecoverable must be in 0..routers-1");
    }
    if (!(faultyFraction >= 0 && faultyFraction <= 0.5)) {
      throw new IllegalArgumentException("faultyFraction must be in 0..0.5");
    }
    if (jobs < 0 || jobs > 100) {
      throw new IllegalArgumentException("jobs must be in 0..100");
    }
    if (!firstAddress.startsWith("127.")) {
      throw new IllegalArgumentException("routers must live on 127.0.0.0/8");
    }
  }

  /** The defaults of {@code tools/chaos.sh}: 500 routers, 5 minutes, 3 kills, 1 database restart. */
  public static ChaosOptions defaults(Path runDir, String serviceClasspath) {
    return new ChaosOptions(500, Duration.ofMinutes(5), 3, 1, 32, 5, 0.08, Duration.ofMinutes(10),
        System.nanoTime(), "127.3.0.1", runDir, serviceClasspath, currentJava(), 768, false, 4);
  }

  public ChaosOptions withRouters(int n) {
    return new ChaosOptions(n, load, kills, databaseRestarts, concurrency, unrecoverable, faultyFraction,
        settleTimeout, seed, firstAddress, runDir, serviceClasspath, javaBin, serviceHeapMb, hostileSweep, jobs);
  }

  public ChaosOptions withLoad(Duration d) {
    return new ChaosOptions(routers, d, kills, databaseRestarts, concurrency, unrecoverable, faultyFraction,
        settleTimeout, seed, firstAddress, runDir, serviceClasspath, javaBin, serviceHeapMb, hostileSweep, jobs);
  }

  public ChaosOptions withKills(int k) {
    return new ChaosOptions(routers, load, k, databaseRestarts, concurrency, unrecoverable, faultyFraction,
        settleTimeout, seed, firstAddress, runDir, serviceClasspath, javaBin, serviceHeapMb, hostileSweep, jobs);
  }

  public ChaosOptions withDatabaseRestarts(int r) {
    return new ChaosOptions(routers, load, kills, r, concurrency, unrecoverable, faultyFraction,
        settleTimeout, seed, firstAddress, runDir, serviceClasspath, javaBin, serviceHeapMb, hostileSweep, jobs);
  }

  public ChaosOptions withConcurrency(int c) {
    return new ChaosOptions(routers, load, kills, databaseRestarts, c, unrecoverable, faultyFraction,
        settleTimeout, seed, firstAddress, runDir, serviceClasspath, javaBin, serviceHeapMb, hostileSweep, jobs);
  }

  public ChaosOptions withUnrecoverable(int u) {
    return new ChaosOptions(routers, load, kills, databaseRestarts, concurrency, u, faultyFraction,
        settleTimeout, seed, firstAddress, runDir, serviceClasspath, javaBin, serviceHeapMb, hostileSweep, jobs);
  }

  public ChaosOptions withFaultyFraction(double f) {
    return new ChaosOptions(routers, load, kills, databaseRestarts, concurrency, unrecoverable, f,
        settleTimeout, seed, firstAddress, runDir, serviceClasspath, javaBin, serviceHeapMb, hostileSweep, jobs);
  }

  public ChaosOptions withSettleTimeout(Duration d) {
    return new ChaosOptions(routers, load, kills, databaseRestarts, concurrency, unrecoverable, faultyFraction,
        d, seed, firstAddress, runDir, serviceClasspath, javaBin, serviceHeapMb, hostileSweep, jobs);
  }

  public ChaosOptions withSeed(long s) {
    return new ChaosOptions(routers, load, kills, databaseRestarts, concurrency, unrecoverable, faultyFraction,
        settleTimeout, s, firstAddress, runDir, serviceClasspath, javaBin, serviceHeapMb, hostileSweep, jobs);
  }

  public ChaosOptions withFirstAddress(String a) {
    return new ChaosOptions(routers, load, kills, databaseRestarts, concurrency, unrecoverable, faultyFraction,
        settleTimeout, seed, a, runDir, serviceClasspath, javaBin, serviceHeapMb, hostileSweep, jobs);
  }

  public ChaosOptions withHostileSweep(boolean h) {
    return new ChaosOptions(routers, load, kills, databaseRestarts, concurrency, unrecoverable, faultyFraction,
        settleTimeout, seed, firstAddress, runDir, serviceClasspath, javaBin, serviceHeapMb, h, jobs);
  }

  public ChaosOptions withServiceHeapMb(int mb) {
    return new ChaosOptions(routers, load, kills, databaseRestarts, concurrency, unrecoverable, faultyFraction,
        settleTimeout, seed, firstAddress, runDir, serviceClasspath, javaBin, mb, hostileSweep, jobs);
  }

  static String currentJava() {
    return ProcessHandle.current().info().command()
        .orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString());
  }

  public ChaosOptions withJobs(int n) {
    return new ChaosOptions(routers, load, kills, databaseRestarts, concurrency, unrecoverable, faultyFraction,
        settleTimeout, seed, firstAddress, runDir, serviceClasspath, javaBin, serviceHeapMb, hostileSweep, n);
  }
}
