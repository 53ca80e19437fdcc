package controlplane.harness.bench;

import controlplane.harness.HarnessCommand;
import java.nio.file.Path;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** The command line of {@link FleetScaleRun}: every option of {@link FleetScaleOptions}, its default and meaning. */
@Command(name = "tools/fleet-scale.sh", sortOptions = false, sortSynopsis = false,
    description = "The fleet loop at scale (docs/PERFORMANCE.md): a simulated fleet enrolled, rotated by one bulk "
        + "job, watched idle, then drift-checked, with PostgreSQL, the simulators and the service in their own "
        + "processes. Exit status 0 when every operation succeeded, 1 otherwise, 2 for a bad option.")
public final class FleetScaleCommand extends HarnessCommand {

  private static final FleetScaleOptions DEFAULTS = FleetScaleOptions.defaults();

  @Option(names = "--out", paramLabel = "DIR",
      description = "Folder for logs, results.json and report.txt (default: ${DEFAULT-VALUE}).")
  Path out = DEFAULTS.out();

  @Option(names = "--sites", paramLabel = "N", description = "Routers simulated and sites enrolled (default: "
      + "${DEFAULT-VALUE}).")
  int sites = DEFAULTS.sites();

  @Option(names = "--simulators", paramLabel = "N", description = "Simulator processes the routers are split over, "
      + "at most " + FleetScaleOptions.MAX_ROUTERS_PER_SIMULATOR + " routers each (default: ${DEFAULT-VALUE}).")
  int simulators = DEFAULTS.simulators();

  @Option(names = "--edges", paramLabel = "N", description = "Edges (server_ip) the sites are spread over "
      + "(default: ${DEFAULT-VALUE}).")
  int edges = DEFAULTS.edges();

  @Option(names = "--enrol-concurrency", paramLabel = "N", description = "Enrolments in flight (default: "
      + "${DEFAULT-VALUE}).")
  int enrolConcurrency = DEFAULTS.enrolConcurrency();

  @Option(names = "--job-max-in-flight", paramLabel = "N", description = "The bulk job's max_in_flight (default: "
      + "${DEFAULT-VALUE}).")
  int jobMaxInFlight = DEFAULTS.jobMaxInFlight();

  @Option(names = "--idle-seconds", paramLabel = "S", description = "How long the idle fleet is watched "
      + "(default: ${DEFAULT-VALUE}).")
  int idleSeconds = DEFAULTS.idleSeconds();

  @Option(names = "--drift-period", paramLabel = "S", description = "drift_check_period_seconds of the "
      + "organisation's policy (default: ${DEFAULT-VALUE}).")
  int driftPeriod = DEFAULTS.driftPeriodSeconds();

  @Option(names = "--drift-seconds", paramLabel = "S", description = "How long drift checks are counted once every "
      + "site is planned (default: ${DEFAULT-VALUE}).")
  int driftSeconds = DEFAULTS.driftSeconds();

  @Mixin
  LayoutOptions layout;

  FleetScaleOptions options() {
    return checked(() -> new FleetScaleOptions(out, sites, simulators, edges, enrolConcurrency, jobMaxInFlight,
        idleSeconds, driftPeriod, driftSeconds, layout.serviceClasspath,
        given().hasMatchedOption("--service-jvm-options") ? layout.serviceJvmOptions() : DEFAULTS.serviceJvmOptions(),
        layout.simulatorXmx, layout.poolSize));
  }

  @Override
  public Integer call() throws Exception {
    return FleetScaleRun.runAndReport(options());
  }
}
