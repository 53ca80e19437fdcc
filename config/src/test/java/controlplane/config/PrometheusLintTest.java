package controlplane.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Path;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** {@link PrometheusLint} finds what promtool finds. */
class PrometheusLintTest {

  /** What the service exposed before its JVM meters were renamed: three families promtool refused. */
  static final String REFUSED = """
      # HELP jvm_compilation_time_ms_total The approximate accumulated elapsed time spent in compilation
      # TYPE jvm_compilation_time_ms_total counter
      jvm_compilation_time_ms_total{compiler="HotSpot 64-Bit Tiered Compilers"} 7387.0
      # HELP process_cpu_time_ns_total The "cpu time" used by the Java Virtual Machine process
      # TYPE process_cpu_time_ns_total counter
      process_cpu_time_ns_total 5.12E9
      # HELP system_cpu_count The number of processors available to the Java virtual machine
      # TYPE system_cpu_count gauge
      system_cpu_count 2.0
      # HELP process_uptime_seconds The uptime of the Java virtual machine
      # TYPE process_uptime_seconds gauge
      process_uptime_seconds 27.715
      """;

  static final String ACCEPTED = """
      # HELP cp_rotations_total Rotations by outcome
      # TYPE cp_rotations_total counter
      cp_rotations_total{outcome="applied"} 3.0
      # HELP cp_rotation_duration_seconds Rotation latency
      # TYPE cp_rotation_duration_seconds histogram
      cp_rotation_duration_seconds_bucket{le="0.005"} 1
      cp_rotation_duration_seconds_bucket{le="+Inf"} 3
      cp_rotation_duration_seconds_count 3
      cp_rotation_duration_seconds_sum 0.02
      # HELP jvm_memory_used_bytes The amount of used memory
      # TYPE jvm_memory_used_bytes gauge
      jvm_memory_used_bytes{area="heap",id="G1 Eden Space"} 1.2E7
      """;

  /** One family for each of the other rules. */
  static final String OTHERS = """
      # HELP a_latency_milliseconds x
      # TYPE a_latency_milliseconds gauge
      a_latency_milliseconds 1
      # HELP b_requests x
      # TYPE b_requests counter
      b_requests 1
      # HELP c_open_total x
      # TYPE c_open_total gauge
      c_open_total 1
      # HELP d:rate x
      # TYPE d:rate gauge
      d:rate 1
      # HELP e_queueSize x
      # TYPE e_queueSize gauge
      e_queueSize{poolName="x"} 1
      # TYPE f_items gauge
      f_items 1
      """;

  @Test
  @DisplayName("the three families promtool refused are the ones the lint reports, each for promtool's reason")
  void reportsWhatPromtoolRefused() {
    assertThat(PrometheusLint.problems(REFUSED)).containsExactly(
        "jvm_compilation_time_ms_total: metric names should not contain abbreviated units",
        "process_cpu_time_ns_total: metric names should not contain abbreviated units",
        "system_cpu_count: non-histogram and non-summary metrics should not have \"_count\" or \"_sum\" suffix");
  }

  @Test
  @DisplayName("counters, histograms and gauges named by the rules pass")
  void acceptsTheRules() {
    assertThat(PrometheusLint.problems(ACCEPTED)).isEmpty();
  }

  @Test
  @DisplayName("non-base units, counters without _total, gauges with it, colons, camelCase and missing help are reported")
  void otherRules() {
    assertThat(PrometheusLint.problems(OTHERS)).containsExactly(
        "a_latency_milliseconds: use base unit instead of \"milliseconds\"",
        "b_requests: counter metrics should have \"_total\" suffix",
        "c_open_total: non-counter metrics should not have \"_total\" suffix",
        "d:rate: metric names should not contain ':'",
        "e_queueSize: metric and label names should be written in 'snake_case' not 'camelCase'",
        "f_items: no help text");
  }

  @Test
  @DisplayName("promtool agrees on all three texts (where promtool is on the PATH)")
  void promtoolAgrees() throws Exception {
    Path promtool = Promtool.find();
    assumeTrue(promtool != null, "promtool is not on the PATH");

    Promtool.Result refused = Promtool.checkMetrics(promtool, REFUSED);
    Promtool.Result accepted = Promtool.checkMetrics(promtool, ACCEPTED);
    Promtool.Result others = Promtool.checkMetrics(promtool, OTHERS);

    assertThat(refused.exitCode()).isNotZero();
    assertThat(refused.output()).contains("jvm_compilation_time_ms_total", "process_cpu_time_ns_total",
        "system_cpu_count").doesNotContain("process_uptime_seconds");
    assertThat(accepted.output()).isEmpty();
    assertThat(accepted.exitCode()).isZero();
    assertThat(others.output()).contains("a_latency_milliseconds", "b_requests", "c_open_total", "d:rate",
        "e_queueSize", "f_items");
  }
}
