package controlplane.harness.bench;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The service's warm-up before the comparison with the operator's script (not measured): cycles of rotations over
 * HTTP at 64 in flight and one bulk job over the fleet, the two paths the rounds measure, until the service's JIT
 * compiler has caught up. A young JVM compiles for minutes, and each switch between the two paths makes it compile
 * again; a service in use for hours does not (docs/PERFORMANCE.md, "The comparison against a warm service"). The
 * script has nothing to warm.
 */
final class ScriptWarmUp {

  private static final Logger LOG = LoggerFactory.getLogger(ScriptWarmUp.class);
  /** HTTP rotations of one cycle. */
  static final int CYCLE = 5000;
  /** Warm once a cycle's JIT compiler threads took at most this share of the service's CPU. */
  static final double QUIET_SHARE = 0.03;

  /** One cycle of {@code rotations} over HTTP and a bulk job; its figures with the CPU deltas under "cpu". */
  interface Cycle {
    JsonObject run(int rotations) throws Exception;
  }

  private ScriptWarmUp() {
  }

  /** Cycles until one is quiet or {@code maxRotations} HTTP rotations ran; each cycle's figures and the outcome. */
  static JsonObject run(int maxRotations, Cycle cycle) throws Exception {
    JsonArray cycles = new JsonArray();
    int done = 0;
    boolean quiet = false;
    while (done < maxRotations && !quiet) {
      int n = Math.min(CYCLE, maxRotations - done);
      JsonObject c = cycle.run(n);
      done += n;
      JsonObject cpu = c.getJsonObject("cpu");
      long service = cpu.getJsonObject("service").getLong("cpu_ms");
      long jit = cpu.getJsonObject("service_jit").getLong("cpu_ms");
      double share = service > 0 ? (double) jit / service : 0.0;
      quiet = jit >= 0 && share <= QUIET_SHARE;
      c.put("jit_share", Math.round(1000.0 * share) / 1000.0);
      cycles.add(c);
      LOG.info("warm-up cycle {}: {} rotations at {}/s and a bulk job; the JIT compiler took {} % of the service's CPU",
          cycles.size(), n, c.getDouble("per_s"), Math.round(1000.0 * share) / 10.0);
    }
    return new JsonObject().put("cycles", cycles).put("rotations", done).put("quiet", quiet);
  }
}
