package controlplane.core.rotation;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class CoreMetricsTest {

  @Test
  @DisplayName("every rotation outcome and reconciler result is a series at 0 before its first event")
  void seriesExistFromTheStart() {
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    CoreMetrics metrics = new CoreMetrics(registry);
    assertThat(CoreMetrics.ROTATION_OUTCOMES).as("the wire names, which dashboards and alerts query")
        .containsExactly("applied", "replayed", "not_applied", "unknown", "in_progress", "rejected", "error");
    for (String outcome : CoreMetrics.ROTATION_OUTCOMES) {
      assertThat(registry.get(CoreMetrics.ROTATIONS).tag("outcome", outcome).counter().count()).isZero();
    }
    for (String result : CoreMetrics.SETTLED_RESULTS) {
      assertThat(registry.get(CoreMetrics.SETTLED).tag("result", result).counter().count()).isZero();
    }
    metrics.rotation(metrics.start(), RotationOutcome.APPLIED);
    assertThat(registry.get(CoreMetrics.ROTATIONS).tag("outcome", "applied").counter().count()).isEqualTo(1);
  }
}
