package controlplane.harness.bench;

import java.nio.file.Path;
import java.util.List;

/**
 * What one harness run does ({@link BenchCommand} reads it from the command line); the defaults measure the issue's
 * targets (see docs/PERFORMANCE.md).
 *
 * @param out folder for logs, the JFR recording and results.json
 * @param sites distinct sites of the latency and throughput phases (the first of the fleet)
 * @param fleet routers simulated and sites enrolled; the fleet phase rotates each once
 * @param warmup rotations before the latency phase (not measured)
 * @param latencyRotations rotations measured at one in flight
 * @param rotations rotations of each throughput phase
 * @param concurrency in-flight counts of the throughput phases
 * @param fleetConcurrency in flight during the fleet phase
 * @param floorRotations operations of each floor (router, database)
 * @param floorConcurrency in flight during the floors
 * @param jfr record the service with JFR during the throughput phase at {@code jfrConcurrency}
 * @param jfrConcurrency that phase
 * @param serviceClasspath class path of the service process
 * @param serviceJvmOptions JVM options of the service process (space separated)
 * @param scriptRounds rounds of the comparison with an operator's script (harness/python/operator_script.py): each a
 *                     measured service run at 64 in flight, then the script; 0 for none
 * @param scriptWarmup at most this many rotations at 64 in flight over HTTP, in cycles each followed by a bulk job
 *                     over the fleet, before the first round (not measured), until the service's JIT compiler has
 *                     caught up ({@link ScriptWarmUp}), as after any time in use
 * @param simulatorXmx the simulator's -Xmx
 * @param poolSize database.poolSize of the service, and the database floor's pool
 * @param pgStatements load pg_stat_statements and write each measured phase's statements ({@link PgStatements})
 */
record BenchOptions(Path out, int sites, int fleet, int warmup, int latencyRotations, int rotations,
                    List<Integer> concurrency, int fleetConcurrency, int floorRotations, int floorConcurrency,
                    boolean jfr, int jfrConcurrency, String serviceClasspath, List<String> serviceJvmOptions,
                    String simulatorXmx, int poolSize, int scriptRounds, int scriptWarmup,
                    boolean pgStatements) {

  static final String FIRST_ADDRESS = "127.77.0.1";
  static final int ROUTER_PORT = 28728;

  BenchOptions {
    if (sites < 1 || fleet < sites) {
      throw new IllegalArgumentException("need 1 <= sites <= fleet");
    }
  }

  /** The defaults: the figures of the issue. */
  static BenchOptions defaults() {
    return new BenchOptions(Path.of("target", "bench"), 1000, 10_000, 500, 2000, 10_000, List.of(64, 256), 256,
        10_000, 64, true, 64, defaultClasspath(), List.of(), "512m", 16, 2, 40_000, false);
  }

  /** Tiny numbers for CI: correctness only. */
  static BenchOptions smoke(Path out) {
    return new BenchOptions(out, 20, 30, 5, 50, 50, List.of(64, 256), 16, 50, 8, false, 64, defaultClasspath(),
        List.of("-Xmx256m"), "256m", 4, 0, 0, false);
  }

  /** Surefire's test class path when run as a test, else this JVM's. */
  static String defaultClasspath() {
    String surefire = System.getProperty("surefire.test.class.path");
    return surefire != null && !surefire.isBlank() ? surefire : System.getProperty("java.class.path");
  }
}
