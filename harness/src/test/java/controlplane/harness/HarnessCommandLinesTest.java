package controlplane.harness;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import controlplane.harness.bench.BenchCommand;
import controlplane.harness.bench.DatabaseFloorAB;
import controlplane.harness.bench.SimulatorProcess;
import controlplane.harness.bench.SoakCommand;
import controlplane.harness.chaos.ChaosCommand;
import java.util.List;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every program of the harness: --help prints the usage and exits 0; a bad command line prints what is wrong and the
 * usage and exits 2. Neither starts anything.
 */
class HarnessCommandLinesTest {

  private static final Supplier<Object> BENCH = BenchCommand::new;
  private static final Supplier<Object> SOAK = SoakCommand::new;
  private static final Supplier<Object> CHAOS = ChaosCommand::new;
  private static final Supplier<Object> FLOOR_AB = DatabaseFloorAB::new;
  private static final Supplier<Object> SIMULATOR = SimulatorProcess::new;

  static Stream<Arguments> programs() {
    return Stream.of(arguments("tools/bench.sh", BENCH, "--fleet-concurrency"),
        arguments("tools/soak.sh", SOAK, "--sample-seconds"), arguments("tools/chaos.sh", CHAOS, "--db-restarts"),
        arguments("DatabaseFloorAB", FLOOR_AB, "IN_FLIGHT"), arguments("SimulatorProcess", SIMULATOR, "PORT"));
  }

  static Stream<Arguments> badCommandLines() {
    return Stream.of(
        arguments("tools/bench.sh", BENCH, List.of("--flet", "2000"), "Unknown options: '--flet', '2000'"),
        arguments("tools/bench.sh", BENCH, List.of("--sites", "300", "--fleet", "200"), "need 1 <= sites <= fleet"),
        arguments("tools/bench.sh", BENCH, List.of("--jfr", "off"), "'off' is not a boolean"),
        arguments("tools/soak.sh", SOAK, List.of("--minuts", "3"), "Unknown options: '--minuts', '3'"),
        arguments("tools/soak.sh", SOAK, List.of("--minutes", "0"), "0 < minutes <= 1440"),
        arguments("tools/chaos.sh", CHAOS, List.of("--hostile", "yes"), "Unmatched argument at index 1: 'yes'"),
        arguments("tools/chaos.sh", CHAOS, List.of("--minutes", "1", "--seconds", "30"),
            "--minutes and --seconds are alternatives"),
        arguments("tools/chaos.sh", CHAOS, List.of("--first-address", "10.0.0.1"), "127.0.0.0/8"),
        arguments("DatabaseFloorAB", FLOOR_AB, List.of("three"), "'three' is not an int"),
        arguments("SimulatorProcess", SIMULATOR, List.of("3", "127.0.0.1"), "Missing required parameter: 'PORT'"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("programs")
  void helpPrintsTheUsageAndExitsZero(String name, Supplier<Object> command, String documented) {
    CommandLineRun run = CommandLineRun.execute(command.get(), "--help");

    assertThat(run.status()).isZero();
    assertThat(run.out()).startsWith("Usage: " + name).contains(documented);
    assertThat(run.err()).isEmpty();
  }

  @ParameterizedTest(name = "{0} {2}")
  @MethodSource("badCommandLines")
  void aBadCommandLinePrintsTheErrorAndTheUsageAndExitsTwo(String name, Supplier<Object> command, List<String> args,
      String error) {
    CommandLineRun run = CommandLineRun.execute(command.get(), args.toArray(String[]::new));

    assertThat(run.status()).isEqualTo(2);
    assertThat(run.err()).contains(error, "Usage: " + name);
    assertThat(run.out()).isEmpty();
  }
}
