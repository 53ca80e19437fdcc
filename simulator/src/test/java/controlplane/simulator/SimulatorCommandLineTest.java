package controlplane.simulator;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The command line of routeros-simulator.jar: help, version, bad arguments and a fleet that cannot be read. */
class SimulatorCommandLineTest {

  private record Run(int status, String out, String err) {

    static Run of(String... args) {
      StringWriter out = new StringWriter();
      StringWriter err = new StringWriter();
      int status = SimulatorMain.commandLine()
          .setOut(new PrintWriter(out, true))
          .setErr(new PrintWriter(err, true))
          .execute(args);
      return new Run(status, out.toString(), err.toString());
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"--help", "-h"})
  @DisplayName("--help and -h print the usage with every option and exit 0")
  void help(String flag) {
    Run run = Run.of(flag);
    assertThat(run.status()).isZero();
    assertThat(run.err()).isEmpty();
    assertThat(run.out()).startsWith("Usage: java -jar routeros-simulator.jar [-hV] [--fleet=FILE] [--state=FILE]")
        .contains("--fleet=FILE", "--state=FILE", "--version", "simulator ready: N routers");
  }

  @ParameterizedTest
  @ValueSource(strings = {"--version", "-V"})
  @DisplayName("--version prints the version the build wrote, and exits 0")
  void version(String flag) {
    Run run = Run.of(flag);
    assertThat(run.status()).isZero();
    assertThat(run.out()).matches("routeros-simulator \\d+\\.\\d+\\.\\d+[^$]*\\R");
  }

  @Test
  @DisplayName("a bad option or a missing value prints the error and the usage on standard error and exits 2")
  void badCommandLine() {
    Run unknown = Run.of("--bogus");
    assertThat(unknown.status()).isEqualTo(2);
    assertThat(unknown.out()).isEmpty();
    assertThat(unknown.err()).startsWith("Unknown option: '--bogus'")
        .contains("Usage: java -jar routeros-simulator.jar");

    Run misspelt = Run.of("--flet", "fleet.yaml");
    assertThat(misspelt.status()).isEqualTo(2);
    assertThat(misspelt.err()).contains("'--flet'", "--fleet", "Usage: java -jar routeros-simulator.jar");

    Run noValue = Run.of("--fleet");
    assertThat(noValue.status()).isEqualTo(2);
    assertThat(noValue.err()).contains("Missing required parameter for option '--fleet' (FILE)",
        "Usage: java -jar routeros-simulator.jar");
  }

  @Test
  @DisplayName("a fleet file that cannot be read is one line naming it, exit 1")
  void unreadableFleet(@TempDir Path dir) {
    Path missing = dir.resolve("no-such-fleet.yaml");
    Run run = Run.of("--fleet", missing.toString());
    assertThat(run.status()).isEqualTo(1);
    assertThat(run.out()).isEmpty();
    assertThat(run.err()).startsWith("simulator failed to start: cannot read the fleet file " + missing)
        .hasLineCount(1);
  }
}
