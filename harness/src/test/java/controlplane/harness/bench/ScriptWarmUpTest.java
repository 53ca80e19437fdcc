package controlplane.harness.bench;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The warm-up's stopping rule, on cycles whose CPU figures are given; and the JIT threads' CPU of a real JVM. */
class ScriptWarmUpTest {

  /** A cycle whose service took {@code serviceMs} of CPU, {@code jitMs} of it in its JIT compiler. */
  private static JsonObject cycle(int rotations, long serviceMs, long jitMs) {
    return new JsonObject().put("rotations", rotations).put("per_s", 1000.0).put("cpu", new JsonObject()
        .put("service", new JsonObject().put("cpu_ms", serviceMs))
        .put("service_jit", new JsonObject().put("cpu_ms", jitMs)));
  }

  @Test
  void stopsAtTheFirstQuietCycle() throws Exception {
    long[] jit = {300, 120, 25, 10};
    List<Integer> asked = new ArrayList<>();
    JsonObject out = ScriptWarmUp.run(40_000, n -> {
      asked.add(n);
      return cycle(n, 1000, jit[asked.size() - 1]);
    });
    assertThat(asked).containsExactly(5000, 5000, 5000);
    assertThat(out.getBoolean("quiet")).isTrue();
    assertThat(out.getInteger("rotations")).isEqualTo(15_000);
    assertThat(out.getJsonArray("cycles").getJsonObject(2).getDouble("jit_share")).isEqualTo(0.025);
  }

  @Test
  void stopsAtTheLimitWhenTheCompilerStaysBusy() throws Exception {
    List<Integer> asked = new ArrayList<>();
    JsonObject out = ScriptWarmUp.run(12_000, n -> {
      asked.add(n);
      return cycle(n, 1000, 200);
    });
    assertThat(asked).containsExactly(5000, 5000, 2000);
    assertThat(out.getBoolean("quiet")).isFalse();
    assertThat(out.getInteger("rotations")).isEqualTo(12_000);
  }

  @Test
  void jitCompilerCpuOfThisJvmIsCountedAndAGoneProcessIsNot() {
    long self = ProcessHandle.current().pid();
    long jit = ProcStats.jitCompilerCpuMillis(self);
    assertThat(jit).isBetween(0L, ProcStats.cpuMillis(self));
    assertThat(ProcStats.jitCompilerCpuMillis(Long.MAX_VALUE)).isEqualTo(-1);
  }
}
