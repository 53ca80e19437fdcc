package controlplane.harness.bench;

import controlplane.harness.HarnessCommand;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** The command line of {@link BenchHarness}: every option of {@link BenchOptions}, its default and its meaning. */
@Command(name = "tools/bench.sh", sortOptions = false, sortSynopsis = false,
    description = "The performance harness (docs/PERFORMANCE.md): PostgreSQL, the simulator and the service in "
        + "their own processes, driven over HTTP. Exit status 0 when every operation succeeded, 1 otherwise, "
        + "2 for a bad option.")
public final class BenchCommand extends HarnessCommand {

  private static final BenchOptions DEFAULTS = BenchOptions.defaults();

  @Option(names = "--out", paramLabel = "DIR",
      description = "Folder for logs, the JFR recording, results.json and report.txt (default: ${DEFAULT-VALUE}).")
  Path out = DEFAULTS.out();

  @Option(names = "--sites", paramLabel = "N", description = "Distinct sites of the latency and throughput phases, "
      + "the first of the fleet; the fleet grows to hold them (default: ${DEFAULT-VALUE}, or the fleet if smaller).")
  int sites = DEFAULTS.sites();

  @Option(names = "--fleet", paramLabel = "N", description = "Routers simulated and sites enrolled; the fleet phase "
      + "rotates each once (default: ${DEFAULT-VALUE}, or the sites if more).")
  int fleet = DEFAULTS.fleet();

  @Option(names = "--warmup", paramLabel = "N",
      description = "Rotations before the latency phase and each throughput phase, not measured (default: "
          + "${DEFAULT-VALUE}).")
  int warmup = DEFAULTS.warmup();

  @Option(names = "--latency-rotations", paramLabel = "N",
      description = "Rotations measured at 1 in flight (default: ${DEFAULT-VALUE}).")
  int latencyRotations = DEFAULTS.latencyRotations();

  @Option(names = "--rotations", paramLabel = "N",
      description = "Rotations of each throughput phase (default: ${DEFAULT-VALUE}).")
  int rotations = DEFAULTS.rotations();

  @Option(names = "--concurrency", paramLabel = "N", split = "\\s*,\\s*", splitSynopsisLabel = ",",
      description = "In-flight counts of the throughput phases, comma separated (default: 64,256).")
  List<Integer> concurrency = new ArrayList<>(DEFAULTS.concurrency());

  @Option(names = "--fleet-concurrency", paramLabel = "N",
      description = "In flight during the fleet phase (default: ${DEFAULT-VALUE}).")
  int fleetConcurrency = DEFAULTS.fleetConcurrency();

  @Option(names = "--floor-rotations", paramLabel = "N",
      description = "Operations of each floor, router and database (default: ${DEFAULT-VALUE}).")
  int floorRotations = DEFAULTS.floorRotations();

  @Option(names = "--floor-concurrency", paramLabel = "N",
      description = "In flight during the floors (default: ${DEFAULT-VALUE}).")
  int floorConcurrency = DEFAULTS.floorConcurrency();

  @Option(names = "--jfr", arity = "1", paramLabel = "true|false",
      description = "Profile the service with JFR in an extra throughput phase (default: ${DEFAULT-VALUE}).")
  boolean jfr = DEFAULTS.jfr();

  @Option(names = "--script-rounds", paramLabel = "N",
      description = "Rounds of the comparison with an operator's script (harness/python/operator_script.py, python3"
          + " with librouteros): each a measured service run at 64 in flight, then the script (default: ${DEFAULT-VALUE}).")
  int scriptRounds = DEFAULTS.scriptRounds();

  @Option(names = "--script-warmup", paramLabel = "N",
      description = "Before the first round, not measured: cycles of 5000 rotations at 64 in flight and one bulk"
          + " job over the fleet, until the service's JIT compiler takes at most 3 % of its CPU in a cycle or N"
          + " rotations ran (default: ${DEFAULT-VALUE}).")
  int scriptWarmup = DEFAULTS.scriptWarmup();

  @Option(names = "--pg-statements", arity = "1", paramLabel = "true|false",
      description = "Load pg_stat_statements and write the statements of each measured phase to"
          + " pg-statements-*.txt (default: ${DEFAULT-VALUE}).")
  boolean pgStatements = DEFAULTS.pgStatements();

  @Mixin
  LayoutOptions layout;

  /** What was asked; a bad command line (exit status 2) when it does not hold together. */
  BenchOptions options() {
    int fleetSize = given().hasMatchedOption("--fleet") ? fleet : Math.max(fleet, sites);
    int siteCount = given().hasMatchedOption("--sites") ? sites : Math.min(sites, fleetSize);
    return checked(() -> new BenchOptions(out, siteCount, fleetSize, warmup, latencyRotations, rotations,
        List.copyOf(concurrency), fleetConcurrency, floorRotations, floorConcurrency, jfr, DEFAULTS.jfrConcurrency(),
        layout.serviceClasspath, layout.serviceJvmOptions(), layout.simulatorXmx, layout.poolSize, scriptRounds,
        scriptWarmup, pgStatements));
  }

  @Override
  public Integer call() throws Exception {
    return BenchHarness.runAndReport(options());
  }
}
