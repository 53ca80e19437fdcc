package controlplane.harness.bench;

import java.nio.file.Path;
import java.util.List;

/**
 * What one fleet-scale run does ({@link FleetScaleCommand} reads it from the command line).
 *
 * @param out                folder for logs, results.json and report.txt
 * @param sites              routers simulated and sites enrolled
 * @param simulators         simulator processes the routers are split over (one listening socket per router, and
 *                           a process may hold only so many descriptors)
 * @param edges              edges (server_ip values) the sites are spread over, round robin
 * @param enrolConcurrency   enrolments in flight
 * @param jobMaxInFlight     the bulk job's max_in_flight
 * @param idleSeconds        how long the idle fleet is watched for the scheduler's cost per tick
 * @param driftPeriodSeconds the drift_check_period_seconds of the organisation's policy set after the job
 * @param driftSeconds       how long drift checks are counted once every site is planned
 * @param serviceClasspath   class path of the service process
 * @param serviceJvmOptions  JVM options of the service process
 * @param simulatorXmx       each simulator's -Xmx
 * @param poolSize           database.poolSize of the service
 */
record FleetScaleOptions(Path out, int sites, int simulators, int edges, int enrolConcurrency, int jobMaxInFlight,
                         int idleSeconds, int driftPeriodSeconds, int driftSeconds, String serviceClasspath,
                         List<String> serviceJvmOptions, String simulatorXmx, int poolSize) {

  /** Well apart from the bench's routers (127.77.0.1), so that both can run on one machine. */
  static final String FIRST_ADDRESS = "127.90.0.1";
  /** Descriptors one simulator may use for listeners: below this machine's limit of 20,000 per process. */
  static final int MAX_ROUTERS_PER_SIMULATOR = 17_000;

  FleetScaleOptions {
    if (sites < 1 || simulators < 1 || edges < 1 || enrolConcurrency < 1 || jobMaxInFlight < 1
        || jobMaxInFlight > 1000) {
      throw new IllegalArgumentException("need sites, simulators, edges, enrol concurrency >= 1 and a job "
          + "max_in_flight from 1 to 1000");
    }
    if ((sites + simulators - 1) / simulators > MAX_ROUTERS_PER_SIMULATOR) {
      throw new IllegalArgumentException("at most " + MAX_ROUTERS_PER_SIMULATOR + " routers per simulator process: "
          + "use --simulators " + (sites + MAX_ROUTERS_PER_SIMULATOR - 1) / MAX_ROUTERS_PER_SIMULATOR + " or more");
    }
    if (driftPeriodSeconds < 60 || idleSeconds < 1 || driftSeconds < 1) {
      throw new IllegalArgumentException("need a drift period of at least 60 s and idle and drift windows >= 1 s");
    }
  }

  /** The figures of issue 12 point 9: 100,000 sites. */
  static FleetScaleOptions defaults() {
    return new FleetScaleOptions(Path.of("target", "fleet-scale"), 100_000, 7, 10, 64, 64, 60, 600, 180,
        BenchOptions.defaultClasspath(), List.of("-Xmx256m"), "512m", 16);
  }

  /** Tiny numbers for CI: every phase, correctness only. */
  static FleetScaleOptions smoke(Path out) {
    return new FleetScaleOptions(out, 120, 2, 3, 16, 16, 6, 60, 20, BenchOptions.defaultClasspath(),
        List.of("-Xmx256m"), "256m", 4);
  }
}
