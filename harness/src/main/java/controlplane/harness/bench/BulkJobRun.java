package controlplane.harness.bench;

import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import java.util.List;

/**
 * The product's own way to rotate a fleet: bulk jobs over the whole organisation ({@code POST
 * /control-plane/rotations}, {@code max_in_flight} given), one after another until at least {@code minRotations}
 * sites were rotated, each followed to completion by polling it every 50 ms. Wall time from the first request to the
 * last job seen completed (so the polling delay counts against the product).
 */
final class BulkJobRun {

  private BulkJobRun() {
  }

  static JsonObject run(HttpLoad api, int minRotations, int maxInFlight) throws Exception {
    long t0 = System.nanoTime();
    int succeeded = 0;
    int failed = 0;
    int jobs = 0;
    while (succeeded < minRotations) {
      JsonObject job = BenchHarness.await(api.call(HttpMethod.POST, "/control-plane/rotations",
          new JsonObject().put("selector", new JsonObject()).put("max_in_flight", maxInFlight), 202));
      String path = "/control-plane/rotations/" + job.getString("id");
      while (!List.of("completed", "cancelled").contains(job.getString("state"))) {
        Thread.sleep(50);
        job = BenchHarness.await(api.call(HttpMethod.GET, path, null, 200));
      }
      jobs++;
      succeeded += job.getInteger("succeeded");
      int notOk = job.getInteger("failed") + job.getInteger("unknown");
      failed += notOk;
      if (job.getInteger("succeeded") == 0 || notOk > 0) {
        break; // a job that does not rotate cleanly ends the run: the figures would not be rotations
      }
    }
    double wallS = (System.nanoTime() - t0) / 1e9;
    return new JsonObject().put("operations", succeeded + failed).put("ok", succeeded).put("failed", failed)
        .put("jobs", jobs).put("in_flight", maxInFlight).put("wall_s", Math.round(wallS * 1000) / 1000.0)
        .put("per_s", Math.round(10.0 * succeeded / wallS) / 10.0);
  }
}
