package controlplane.config;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The jar's command line: help, version and bad arguments (the commands' work is tested on its own). */
class CommandLineTest {

  @ParameterizedTest
  @ValueSource(strings = {"--help", "-h"})
  @DisplayName("--help and -h print the usage, with every command, and exit 0")
  void topLevelHelp(String flag) {
    CommandRun run = CommandRun.of(flag);
    assertThat(run.status()).isZero();
    assertThat(run.err()).isEmpty();
    assertThat(run.out()).startsWith("Usage: java -jar control-plane.jar [-hV] [--config=FILE] [COMMAND]")
        .contains("--config=FILE", "--version", "token", "login", "reseal");
  }

  @Test
  @DisplayName("each command prints its own usage with --help or -h and exits 0")
  void commandHelp() {
    CommandRun token = CommandRun.of("token", "--help");
    assertThat(token.status()).isZero();
    assertThat(token.out()).startsWith("Usage: java -jar control-plane.jar token")
        .contains("--config=FILE", "--data-dir=DIR", "--org=ORG", "--scope=SCOPES", "--sub=NAME", "--ttl=SECONDS");

    CommandRun login = CommandRun.of("login", "-h");
    assertThat(login.status()).isZero();
    assertThat(login.out()).startsWith("Usage: java -jar control-plane.jar login")
        .contains("--host=HOST", "--port=PORT", "--user=USER", "CP_LOGIN_PASSWORD", "standard input")
        .doesNotContain("--password");

    CommandRun reseal = CommandRun.of("reseal", "--help");
    assertThat(reseal.status()).isZero();
    assertThat(reseal.out()).startsWith("Usage: java -jar control-plane.jar reseal").contains("--config=FILE");
  }

  @ParameterizedTest
  @ValueSource(strings = {"--version", "-V"})
  @DisplayName("--version prints the version the build wrote, and exits 0")
  void version(String flag) {
    CommandRun run = CommandRun.of(flag);
    assertThat(run.status()).isZero();
    assertThat(run.out()).matches("control-plane \\d+\\.\\d+\\.\\d+[^$]*\\R");
    assertThat(CommandRun.of("token", flag).out()).isEqualTo(run.out());
  }

  @Test
  @DisplayName("a bad option prints the error and the usage on standard error and exits 2")
  void badOption() {
    CommandRun run = CommandRun.of("--bogus");
    assertThat(run.status()).isEqualTo(2);
    assertThat(run.out()).isEmpty();
    assertThat(run.err()).startsWith("Unknown option: '--bogus'").contains("Usage: java -jar control-plane.jar");

    CommandRun ttl = CommandRun.of("token", "--ttl", "soon");
    assertThat(ttl.status()).isEqualTo(2);
    assertThat(ttl.err()).contains("'soon'", "--ttl").contains("Usage: java -jar control-plane.jar token");

    CommandRun command = CommandRun.of("tokn");
    assertThat(command.status()).isEqualTo(2);
    assertThat(command.err()).contains("'tokn'", "Did you mean: java -jar control-plane.jar token?");
  }

  @Test
  @DisplayName("login takes no --password: refused as a bad option (exit 2) without echoing the password")
  void loginRefusesAPasswordArgument() {
    CommandRun run = CommandRun.of("login", "--port", "18728", "--password", "s3cret");
    assertThat(run.status()).isEqualTo(2);
    assertThat(run.err()).startsWith("login takes no --password").contains("CP_LOGIN_PASSWORD", "standard input")
        .contains("Usage: java -jar control-plane.jar login").doesNotContain("s3cret");
  }
}
