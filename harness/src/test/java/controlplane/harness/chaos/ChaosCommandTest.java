package controlplane.harness.chaos;

import static controlplane.harness.CommandLineRun.parsed;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class ChaosCommandTest {

  @Test
  void withoutOptionsTheRunIs500RoutersForFiveMinutesWithThreeKillsAndADatabaseRestart() {
    ChaosOptions o = parsed(new ChaosCommand()).options();

    assertThat(o.routers()).isEqualTo(500);
    assertThat(o.load()).isEqualTo(Duration.ofMinutes(5));
    assertThat(o.kills()).isEqualTo(3);
    assertThat(o.databaseRestarts()).isEqualTo(1);
    assertThat(o.concurrency()).isEqualTo(32);
    assertThat(o.unrecoverable()).isEqualTo(5);
    assertThat(o.settleTimeout()).isEqualTo(Duration.ofMinutes(10));
    assertThat(o.firstAddress()).isEqualTo("127.3.0.1");
    assertThat(o.runDir()).isEqualTo(Path.of("target", "chaos"));
    assertThat(o.serviceClasspath()).isEqualTo(System.getProperty("java.class.path"));
    assertThat(o.hostileSweep()).isFalse();
    assertThat(o.jobs()).isEqualTo(4);
  }

  @Test
  void theDocumentedCommandLineIsRead() {
    ChaosOptions o = parsed(new ChaosCommand(), "--routers", "500", "--minutes", "5", "--kills", "3", "--seed", "701",
        "--hostile", "--jobs", "0").options();

    assertThat(o.routers()).isEqualTo(500);
    assertThat(o.load()).isEqualTo(Duration.ofMinutes(5));
    assertThat(o.kills()).isEqualTo(3);
    assertThat(o.seed()).isEqualTo(701);
    assertThat(o.hostileSweep()).isTrue();
    assertThat(o.jobs()).isZero();
  }

  @Test
  void secondsSettleMinutesRunDirAndServiceClasspathAreRead() {
    ChaosOptions o = parsed(new ChaosCommand(), "--seconds", "40", "--settle-minutes", "0.5", "--run-dir",
        "/tmp/chaos-x", "--service-classpath", "a.jar:b.jar", "--db-restarts", "0").options();

    assertThat(o.load()).isEqualTo(Duration.ofSeconds(40));
    assertThat(o.settleTimeout()).isEqualTo(Duration.ofSeconds(30));
    assertThat(o.runDir()).isEqualTo(Path.of("/tmp/chaos-x"));
    assertThat(o.serviceClasspath()).isEqualTo("a.jar:b.jar");
    assertThat(o.databaseRestarts()).isZero();
  }
}
