package controlplane.config;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/** A configuration mistake stops the service and the commands with one line naming it: exit 1, no stack trace. */
class ConfigMistakesTest {

  private final ListAppender<ILoggingEvent> logs = new ListAppender<>();
  private final Logger mainLogger = (Logger) LoggerFactory.getLogger(Main.class);

  @BeforeEach
  void capture() {
    logs.start();
    mainLogger.addAppender(logs);
  }

  @AfterEach
  void release() {
    mainLogger.detachAppender(logs);
  }

  @Test
  @DisplayName("the service with a typo in its --config file: exit 1, one error line naming the key and the closest "
      + "known one, no stack trace; nothing started")
  void serviceRefusesATypo(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("cp.yaml");
    Files.writeString(file, "dataDir: \"%s\"%nreconciler: { intervalMsec: 500 }%n".formatted(dir.resolve("data")));

    CommandRun run = CommandRun.of("--config", file.toString());

    assertThat(run.status()).isEqualTo(1);
    assertThat(logs.list).filteredOn(e -> e.getLevel().toString().equals("ERROR")).singleElement().satisfies(e -> {
      assertThat(e.getFormattedMessage()).isEqualTo("start-up failed: " + file
          + ": unknown configuration key reconciler.intervalMsec (did you mean reconciler.intervalMs?)");
      assertThat(e.getThrowableProxy()).isNull();
    });
    assertThat(dir.resolve("data")).doesNotExist();
  }

  @Test
  @DisplayName("the service with a rotation lease shorter than one device operation: exit 1, one error line naming "
      + "rotation.leaseSeconds and rotation.deviceTimeoutMs; nothing started")
  void serviceRefusesAShortLease(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("cp.yaml");
    Files.writeString(file, "dataDir: \"%s\"%nhttp: { host: 127.0.0.1, port: 0 }%nrotation: { leaseSeconds: 5 }%n"
        .formatted(dir.resolve("data")));

    CommandRun run = CommandRun.of("--config", file.toString());

    assertThat(run.status()).isEqualTo(1);
    assertThat(logs.list).filteredOn(e -> e.getLevel().toString().equals("ERROR")).singleElement().satisfies(e -> {
      assertThat(e.getFormattedMessage()).isEqualTo("start-up failed: rotation.leaseSeconds (5) must be at least 31:"
          + " longer than the longest device operation, rotation.deviceTimeoutMs (30000 ms)");
      assertThat(e.getThrowableProxy()).isNull();
    });
    assertThat(dir.resolve("data")).doesNotExist();
  }

  @Test
  @DisplayName("a command with a typo in a CP_ variable: exit 1, one line on standard error, no stack trace")
  void commandRefusesAVariableTypo(@TempDir Path dir) {
    CommandRun run = CommandRun.with(Map.of("CP_DATA_DIR", dir.toString(), "CP_AUTH_JWT_HS256_SECRETT", "x"), "",
        "token");

    assertThat(run.status()).isEqualTo(1);
    assertThat(run.out()).isEmpty();
    assertThat(run.err()).isEqualTo("token: unknown configuration variable CP_AUTH_JWT_HS256_SECRETT (did you mean "
        + "CP_AUTH_JWT_HS256_SECRET, for auth.jwt.hs256Secret?)" + System.lineSeparator());
  }

  @Test
  @DisplayName("the variables commands read (CP_TOKEN of rotate-fleet, CP_LOGIN_PASSWORD of login) are not "
      + "configuration: a shell that exported them still starts a command")
  void commandVariablesAreNotConfiguration(@TempDir Path dir) {
    CommandRun run = CommandRun.with(Map.of("CP_DATA_DIR", dir.resolve("data").toString(), "CP_TOKEN", "abc",
        "CP_LOGIN_PASSWORD", "pw", "CP_AUTH_JWT_HS256_SECRET", "a-secret-of-32-bytes-or-more-0123456789"), "",
        "token");

    assertThat(run.err()).isEmpty();
    assertThat(run.status()).isZero();
    assertThat(run.out()).isNotBlank();
  }
}
