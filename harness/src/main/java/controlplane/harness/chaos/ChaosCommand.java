package controlplane.harness.chaos;

import controlplane.harness.HarnessCommand;
import java.nio.file.Path;
import java.time.Duration;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** The command line of {@link ChaosRun}: every option of {@link ChaosOptions}, its default and its meaning. */
@Command(name = "tools/chaos.sh", sortOptions = false, sortSynopsis = false,
    description = "The chaos run (docs/RELIABILITY.md): rotations on a simulated fleet under random faults, the "
        + "service SIGKILLed and restarted, PostgreSQL restarted; then every router checked. Exit status 0 when "
        + "every invariant holds, 1 when one is broken, 2 for a bad option, 3 when the run could not be carried out.")
public final class ChaosCommand extends HarnessCommand {

  private final ChaosOptions defaults = ChaosOptions.defaults(Path.of("target", "chaos"),
      System.getProperty("java.class.path"));

  @Option(names = "--routers", paramLabel = "N",
      description = "Simulated routers, each enrolled as a site (default: ${DEFAULT-VALUE}).")
  int routers = defaults.routers();

  @Option(names = "--minutes", paramLabel = "M",
      description = "How long rotations are driven under faults, fractions allowed (default: ${DEFAULT-VALUE}).")
  double minutes = defaults.load().toSeconds() / 60.0;

  @Option(names = "--seconds", paramLabel = "S", description = "The same in seconds, instead of --minutes.")
  long seconds;

  @Option(names = "--kills", paramLabel = "K",
      description = "SIGKILLs of the service during the load, each followed by a restart (default: ${DEFAULT-VALUE}).")
  int kills = defaults.kills();

  @Option(names = "--db-restarts", paramLabel = "R",
      description = "Stops and restarts of PostgreSQL during the load (default: ${DEFAULT-VALUE}).")
  int databaseRestarts = defaults.databaseRestarts();

  @Option(names = "--concurrency", paramLabel = "C",
      description = "Rotations in flight at once over HTTP (default: ${DEFAULT-VALUE}).")
  int concurrency = defaults.concurrency();

  @Option(names = "--unrecoverable", paramLabel = "U", description = "Sites made unrecoverable on purpose: their "
      + "router's password changed while the service is down with their rotation pending (default: ${DEFAULT-VALUE}).")
  int unrecoverable = defaults.unrecoverable();

  @Option(names = "--faulty-fraction", paramLabel = "F",
      description = "At most this fraction of the fleet carries a fault at any moment (default: ${DEFAULT-VALUE}).")
  double faultyFraction = defaults.faultyFraction();

  @Option(names = "--settle-minutes", paramLabel = "T", description = "Bound on the wait for the reconciler to "
      + "settle every PENDING version at the end (default: ${DEFAULT-VALUE}).")
  double settleMinutes = defaults.settleTimeout().toSeconds() / 60.0;

  @Option(names = "--seed", paramLabel = "SEED", description = "Seed of every random choice: faults, targets, kill "
      + "instants (default: the clock; the report prints it, so that a run can be repeated).")
  long seed = defaults.seed();

  @Option(names = "--first-address", paramLabel = "ADDRESS",
      description = "Loopback address (127.x.y.z) of the first router; the others follow it (default: ${DEFAULT-VALUE}).")
  String firstAddress = defaults.firstAddress();

  @Option(names = "--run-dir", paramLabel = "DIR", description = "Where the database, the service's data, "
      + "configuration and logs, and report.txt go (default: ${DEFAULT-VALUE}; tools/chaos.sh: target/chaos/run-DATE).")
  Path runDir = defaults.runDir();

  @Option(names = "--service-classpath", paramLabel = "CP",
      description = "Class path of the service process (default: this JVM's).")
  String serviceClasspath = defaults.serviceClasspath();

  @Option(names = "--service-heap-mb", paramLabel = "MB",
      description = "-Xmx of the service process (default: ${DEFAULT-VALUE}).")
  int serviceHeapMb = defaults.serviceHeapMb();

  @Option(names = "--hostile", description = "Also run the HTTP and auth hostile-input sweep against the live service.")
  boolean hostile = defaults.hostileSweep();

  @Option(names = "--jobs", paramLabel = "J", description = "Bulk rotation jobs created during the load, each over "
      + ChaosOptions.JOB_SITES + " random sites; every one must complete with its counts equal to its sites' ends"
      + " (default: ${DEFAULT-VALUE}).")
  int jobs = defaults.jobs();

  /** What was asked; a bad command line (exit status 2) when it does not hold together. */
  ChaosOptions options() {
    if (given().hasMatchedOption("--minutes") && given().hasMatchedOption("--seconds")) {
      throw refused("--minutes and --seconds are alternatives: give one");
    }
    Duration load = given().hasMatchedOption("--seconds") ? Duration.ofSeconds(seconds)
        : Duration.ofSeconds(Math.round(minutes * 60));
    return checked(() -> new ChaosOptions(routers, load, kills, databaseRestarts, concurrency, unrecoverable,
        faultyFraction, Duration.ofSeconds(Math.round(settleMinutes * 60)), seed, firstAddress, runDir,
        serviceClasspath, defaults.javaBin(), serviceHeapMb, hostile, jobs));
  }

  @Override
  public Integer call() {
    return ChaosRun.runAndReport(options());
  }
}
