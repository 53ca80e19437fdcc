package controlplane.harness.bench;

import controlplane.harness.HarnessCommand;
import java.nio.file.Path;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** The command line of {@link SoakRun}: every option of {@link SoakOptions}, its default and its meaning. */
@Command(name = "tools/soak.sh", sortOptions = false, sortSynopsis = false,
    description = "The soak (docs/PERFORMANCE.md, \"Soak\"): the layout of tools/bench.sh, rotations at a fixed "
        + "concurrency for a while, the service's heap, descriptors, RSS and threads sampled. Exit status 0 when "
        + "every answer was a verified 200 and the descriptors stayed flat, 1 otherwise, 2 for a bad option.")
public final class SoakCommand extends HarnessCommand {

  private static final SoakOptions DEFAULTS = SoakOptions.defaults();

  @Option(names = "--out", paramLabel = "DIR",
      description = "Folder for soak.json, soak-report.txt and the logs (default: ${DEFAULT-VALUE}).")
  Path out = DEFAULTS.out();

  @Option(names = "--sites", paramLabel = "N",
      description = "Sites enrolled, one simulated router each (default: ${DEFAULT-VALUE}).")
  int sites = DEFAULTS.sites();

  @Option(names = "--concurrency", paramLabel = "N",
      description = "Rotations kept in flight (default: ${DEFAULT-VALUE}).")
  int concurrency = DEFAULTS.concurrency();

  @Option(names = "--minutes", paramLabel = "M",
      description = "How long the rotations go on, fractions allowed (default: ${DEFAULT-VALUE}).")
  double minutes = DEFAULTS.minutes();

  @Option(names = "--sample-seconds", paramLabel = "S",
      description = "A sample of the service process every S seconds (default: ${DEFAULT-VALUE}).")
  int sampleSeconds = DEFAULTS.sampleSeconds();

  @Mixin
  LayoutOptions layout;

  /** What was asked; a bad command line (exit status 2) when it is out of range. */
  SoakOptions options() {
    return checked(() -> new SoakOptions(out, sites, concurrency, minutes, sampleSeconds, layout.serviceClasspath,
        layout.serviceJvmOptions(), layout.simulatorXmx, layout.poolSize));
  }

  @Override
  public Integer call() throws Exception {
    return SoakRun.runAndReport(options());
  }
}
