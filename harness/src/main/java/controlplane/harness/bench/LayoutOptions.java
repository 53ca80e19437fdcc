package controlplane.harness.bench;

import java.util.List;
import picocli.CommandLine.Option;

/** The options {@link BenchCommand} and {@link SoakCommand} share: how the service and the simulator are started. */
final class LayoutOptions {

  private static final BenchOptions DEFAULTS = BenchOptions.defaults();

  @Option(names = "--service-classpath", paramLabel = "CP",
      description = "Class path of the service process (default: this JVM's).")
  String serviceClasspath = DEFAULTS.serviceClasspath();

  @Option(names = "--service-jvm-options", paramLabel = "\"OPTS\"",
      description = "JVM options of the service process, space separated, e.g. \"-Xmx256m\" (default: none).")
  String serviceJvmOptions = String.join(" ", DEFAULTS.serviceJvmOptions());

  @Option(names = "--simulator-xmx", paramLabel = "SIZE",
      description = "The simulator's -Xmx (default: ${DEFAULT-VALUE}).")
  String simulatorXmx = DEFAULTS.simulatorXmx();

  @Option(names = "--pool-size", paramLabel = "N",
      description = "The service's database.poolSize; the bench's database floor uses as many connections "
          + "(default: ${DEFAULT-VALUE}).")
  int poolSize = DEFAULTS.poolSize();

  /** {@code --service-jvm-options " -Xmx256m  -XX:+UseSerialGC"} as two options. */
  List<String> serviceJvmOptions() {
    return List.of(serviceJvmOptions.trim().split("\\s+")).stream().filter(s -> !s.isEmpty()).toList();
  }
}
