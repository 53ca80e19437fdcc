package controlplane.harness.chaos;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ChaosReportTest {

  private static ChaosReport report(int lockedOut, Map<String, Long> versionStates) {
    return new ChaosReport(60, Duration.ofSeconds(40), 7, Map.of("200 applied", 900L), 1000, 900,
        Map.of("device_unreachable 502", 100L), 0, 0, 0, Map.of(), Map.of("refuse", 12L), List.of(), 1, Set.of(),
        Set.of(), lockedOut, 0, 0, 0, 0, List.of(), Duration.ofSeconds(3), Duration.ofSeconds(4), versionStates,
        Map.of(), List.of(), null, null, null, null);
  }

  @Test
  void failedVersionsAreLabelledAsExpectedUnderFaultsAndAPassingRunEndsWithItsVerdict() {
    String text = report(0, Map.of("CURRENT", 60L, "PREVIOUS", 60L, "SUPERSEDED", 780L, "FAILED", 194L)).format();

    assertThat(text).contains("credential versions          current=60, previous=60, superseded=780, "
        + "failed (expected under faults: rotations the router definitely did not take, e.g. it refused or was "
        + "unreachable)=194\n");
    assertThat(text).doesNotContain("FAILED=").endsWith("chaos verdict: PASS (0 locked out, 0 lost, 0 pending)\n");
  }

  @Test
  void aBrokenInvariantEndsTheReportWithAFailingVerdict() {
    String text = report(3, Map.of("CURRENT", 60L, "PENDING", 2L)).format();

    assertThat(text).contains("current=60, pending=2, failed (expected under faults")
        .endsWith("chaos verdict: FAIL: 3 sites locked out\n");
  }

  @Test
  void aMiscountedOrUnfinishedBulkJobFailsTheRunWithItsLine() {
    ChaosReport held = report(0, Map.of("CURRENT", 60L)).withBulkJobs("4 created, counts = the sites' ends: yes",
        List.of());
    ChaosReport broken = report(0, Map.of("CURRENT", 60L)).withBulkJobs("4 created, counts = the sites' ends: 1 jobs"
        + " differ", List.of("job j1: total 40, counts 39/0/0, but its sites 40, ended 40/0/0"));

    assertThat(held.ok()).isTrue();
    assertThat(held.format()).contains("bulk jobs                    4 created, counts = the sites' ends: yes\n");
    assertThat(broken.ok()).isFalse();
    assertThat(broken.violations()).containsExactly("1 bulk jobs not completed or miscounted");
    assertThat(broken.format()).contains("  job j1: total 40, counts 39/0/0, but its sites 40, ended 40/0/0\n")
        .contains("chaos verdict: FAIL");
  }
}
