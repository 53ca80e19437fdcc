package controlplane.harness.chaos;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The short chaos run of CI: 60 routers, about 40 s of rotations under random faults, the service SIGKILLed and
 * restarted three times and PostgreSQL restarted once, two sites made unrecoverable on purpose; then the hostile-input
 * sweep against the live service. The long run is
 * {@code tools/chaos.sh} (docs/RELIABILITY.md).
 */
class ChaosSmokeTest {

  @Test
  @Timeout(value = 15, unit = TimeUnit.MINUTES)
  @DisplayName("under faults, kills and a database restart: nothing locked out, nothing lost, nothing left pending")
  void chaos() throws Exception {
    Path runDir = Files.createDirectories(Path.of("target", "chaos-smoke-" + System.currentTimeMillis()));
    ChaosOptions options = ChaosOptions.defaults(runDir, serviceClasspath())
        .withRouters(60)
        .withLoad(Duration.ofSeconds(40))
        .withKills(3)
        .withDatabaseRestarts(1)
        .withConcurrency(16)
        .withUnrecoverable(2)
        .withFaultyFraction(0.12)
        .withSettleTimeout(Duration.ofMinutes(4))
        .withServiceHeapMb(384)
        .withFirstAddress("127.3.128.1")
        .withHostileSweep(true)
        .withJobs(4)
        .withSeed(Long.getLong("chaos.seed", System.nanoTime()));

    ChaosReport report = ChaosRun.run(options);
    System.out.println(report.format());

    assertThat(report.requested()).as("rotations requested").isGreaterThan(0);
    assertThat(report.applied()).as("rotations applied").isGreaterThan(0);
    assertThat(report.kills()).as("kills done").hasSize(3);
    assertThat(report.databaseRestarts()).as("database restarts done").isEqualTo(1);
    assertThat(report.lockedOut()).as("sites locked out").isZero();
    assertThat(report.lost()).as("passwords lost").isZero();
    assertThat(report.pendingLeft()).as("PENDING versions left").isZero();
    assertThat(report.acknowledgedDiscarded()).as("acknowledged passwords not kept").isZero();
    assertThat(report.unrecoverable()).as("sites made unrecoverable").isNotEmpty();
    assertThat(report.outOfSync()).as("out_of_sync sites").isEqualTo(report.unrecoverable());
    assertThat(report.secretsInLogs()).as("service logs holding a password").isEmpty();
    assertThat(report.hostileSweepOk()).as("hostile-input sweep: clean 4xx, service still serving\n%s",
        report.hostileSweep()).isTrue();
    assertThat(report.jobProblems()).as("bulk jobs not completed or miscounted: %s", report.bulkJobs()).isEmpty();
    assertThat(report.bulkJobs()).as("bulk jobs").startsWith("4 created").contains("counts = the sites' ends: yes");
  }

  /** Surefire's class path holds config's runtime class path: the service process runs from it. */
  private static String serviceClasspath() {
    String cp = System.getProperty("surefire.test.class.path");
    return cp != null && !cp.isBlank() ? cp : System.getProperty("java.class.path");
  }
}
