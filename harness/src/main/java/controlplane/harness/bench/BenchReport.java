package controlplane.harness.bench;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/** The human-readable report of a run's results, each figure with its target and the machine's load beside it. */
final class BenchReport {

  private BenchReport() {
  }

  static String text(JsonObject r) {
    StringBuilder sb = new StringBuilder();
    int cores = r.getInteger("cores", 2);
    sb.append("== control-plane bench, ").append(r.getString("started_at")).append(", ").append(cores)
        .append(" cores, load at start ").append(r.getString("load_at_start")).append('\n');
    sb.append("layout: ").append(r.getString("layout")).append('\n');
    sb.append("options: ").append(r.getJsonObject("options").encode()).append('\n');
    JsonObject e = r.getJsonObject("enrolment");
    if (e != null) {
      sb.append(String.format("enrolment (not a target): %d sites in %.1f s, %d failed %s%n", e.getInteger("ok"),
          e.getDouble("wall_s"), e.getInteger("failed"), shared(r, e)));
    }
    JsonObject l = r.getJsonObject("latency");
    if (l != null) {
      JsonObject h = l.getJsonObject("latency");
      sb.append(String.format("latency, 1 in flight, %d rotations: p50 %.2f ms (target <= 5), p95 %.2f ms, "
              + "p99 %.2f ms (target <= 20), max %.2f ms; failed %d; service CPU %.2f ms/rotation %s%n",
          h.getInteger("count"), h.getDouble("p50_ms"), h.getDouble("p95_ms"), h.getDouble("p99_ms"),
          h.getDouble("max_ms"), l.getInteger("failed"),
          l.getJsonObject("cpu").getJsonObject("service").getDouble("cpu_ms_per_op"), shared(r, l)));
    }
    JsonObject f = r.getJsonObject("floor");
    if (f != null) {
      JsonObject dev = f.getJsonObject("router");
      JsonObject db = f.getJsonObject("database");
      sb.append(String.format("floor, router steps by the bare client: %.1f/s at %d in flight, p99 %.2f ms; "
              + "client CPU %.2f ms/op, simulator CPU %.2f ms/op; failed %d %s%n", dev.getDouble("per_s"),
          dev.getInteger("in_flight"), dev.getJsonObject("latency").getDouble("p99_ms"),
          cpu(dev, "load_generator"), cpu(dev, "simulator"), dev.getInteger("failed"), shared(r, dev)));
      sb.append(String.format("floor, database steps alone (2 transactions): %.1f/s at %d in flight, p99 %.2f ms; "
              + "PostgreSQL CPU %.2f ms/op, client CPU %.2f ms/op; failed %d %s%n", db.getDouble("per_s"),
          db.getInteger("in_flight"), db.getJsonObject("latency").getDouble("p99_ms"), cpu(db, "postgres"),
          cpu(db, "load_generator"), db.getInteger("failed"), shared(r, db)));
      sb.append(String.format("floor, combined (1 / (1/router + 1/database): both on the same 2 cores): %.1f/s%n",
          f.getDouble("combined_per_s")));
    }
    var t = r.getJsonArray("throughput");
    if (t != null) {
      for (Object o : t) {
        JsonObject p = (JsonObject) o;
        JsonObject h = p.getJsonObject("latency");
        sb.append(String.format("throughput, %d in flight over %d sites: %.1f rotations/s (target >= 1000 at 64), "
                + "p50 %.2f ms, p99 %.2f ms (target <= 50), failed %d %s; %.0f%% of the combined floor (target "
                + ">= 50%%), %.0f%% of the router floor; CPU per rotation: service %.2f ms, PostgreSQL %.2f ms, "
                + "simulator %.2f ms, load generator %.2f ms (%.2f cores); service RSS %d MiB%n",
            p.getInteger("in_flight"), r.getJsonObject("options").getInteger("sites"), p.getDouble("per_s"),
            h.getDouble("p50_ms"), h.getDouble("p99_ms"), p.getInteger("failed"), shared(r, p),
            100 * p.getDouble("fraction_of_floor"), 100 * p.getDouble("fraction_of_router_floor"),
            cpu(p, "service"), cpu(p, "postgres"), cpu(p, "simulator"), cpu(p, "load_generator"),
            p.getJsonObject("cpu").getJsonObject("load_generator").getDouble("cores_busy"),
            p.getLong("service_rss_mib")));
      }
    }
    JsonObject warm = r.getJsonObject("script_warmup");
    if (warm != null) {
      JsonArray cycles = warm.getJsonArray("cycles");
      sb.append(String.format("warm-up before the comparison: %d rotations in %d cycles with a bulk job each, the JIT"
              + " compiler's share of the service's CPU %s, %s%n", warm.getInteger("rotations"), cycles.size(),
          cycles.stream().map(c -> String.format("%.1f %%", 100 * ((JsonObject) c).getDouble("jit_share")))
              .collect(java.util.stream.Collectors.joining(", ")),
          warm.getBoolean("quiet") ? String.format("quiet (at most %.0f %%)", 100 * ScriptWarmUp.QUIET_SHARE)
              : "not quiet yet (the limit of --script-warmup)"));
    }
    JsonObject script = r.getJsonObject("operator_script");
    if (script != null && script.containsKey("skipped")) {
      sb.append("operator script comparison skipped: ").append(script.getString("skipped")).append('\n');
    } else if (script != null) {
      for (Object o : script.getJsonArray("rounds")) {
        JsonObject round = (JsonObject) o;
        JsonObject svc = round.getJsonObject("service");
        JsonObject py = round.getJsonObject("script");
        sb.append(String.format("operator script (librouteros %s, %d threads), round %d: service %.1f rotations/s "
                + "(CPU per rotation: service %.2f ms (its JIT compiler %.2f ms), PostgreSQL %.2f ms, simulator %.2f "
                + "ms) %s; script %.1f/s, "
                + "failed %d (CPU per rotation: script %.2f ms, simulator %.2f ms) %s; service / script %.2fx (target >= 1.5)%n",
            script.getString("librouteros"), script.getInteger("in_flight"), round.getInteger("round"),
            svc.getDouble("per_s"), cpu(svc, "service"), cpu(svc, "service_jit"), cpu(svc, "postgres"),
            cpu(svc, "simulator"), shared(r, svc),
            py.getDouble("per_s"), py.getInteger("failed"), py.getDouble("script_cpu_ms_per_rotation", 0.0),
            py.getDouble("simulator_cpu_ms_per_rotation"),
            shared(r, py), round.getDouble("ratio")));
        JsonObject jobs = round.getJsonObject("jobs");
        if (jobs != null) {
          sb.append(String.format("  the same round, bulk jobs (max_in_flight %d, %d jobs over the organisation): %.1f "
                  + "rotations/s, failed %d (CPU per rotation: service %.2f ms, PostgreSQL %.2f ms, simulator %.2f ms)"
                  + " %s; bulk jobs / script %.2fx%n", jobs.getInteger("in_flight"), jobs.getInteger("jobs"),
              jobs.getDouble("per_s"), jobs.getInteger("failed"), cpu(jobs, "service"), cpu(jobs, "postgres"),
              cpu(jobs, "simulator"), shared(r, jobs), round.getDouble("jobs_ratio")));
        }
      }
    }
    JsonObject pr = r.getJsonObject("profiled");
    if (pr != null) {
      sb.append(String.format("profiled run (JFR on the service, profile settings with 1 ms Java sampling, not a "
              + "measurement): %.1f/s at %d in flight, p99 %.2f ms, service CPU %.2f ms/rotation; hot spots in "
              + "hotspots-%d.txt %s%n",
          pr.getDouble("per_s"), pr.getInteger("in_flight"), pr.getJsonObject("latency").getDouble("p99_ms"),
          cpu(pr, "service"), pr.getInteger("in_flight"), shared(r, pr)));
    }
    JsonObject fl = r.getJsonObject("fleet");
    if (fl != null) {
      sb.append(String.format("fleet: %d routers rotated at %d in flight in %.2f s, first request to last verified "
              + "(target <= 20 s), %.1f/s, p99 %.2f ms, failed %d %s%n", fl.getInteger("ok"),
          fl.getInteger("in_flight"), fl.getDouble("wall_s"), fl.getDouble("per_s"),
          fl.getJsonObject("latency").getDouble("p99_ms"), fl.getInteger("failed"), shared(r, fl)));
    }
    JsonObject res = r.getJsonObject("resources");
    if (res != null) {
      sb.append(String.format("resources after the fleet: service RSS %d MiB (peak %d MiB; target <= 512), heap %s; "
              + "simulator with %d routers: %s (target heap <= 512 MiB), RSS %d MiB %s%n",
          res.getLong("service_rss_mib"), res.getLong("service_rss_peak_mib"),
          res.getJsonObject("service_heap").encode(), res.getInteger("simulator_routers"),
          res.getString("simulator_stats"), res.getLong("simulator_rss_mib"),
          BenchHarness.shared(r, r.getString("load_at_end"))));
    }
    sb.append("load at end: ").append(r.getString("load_at_end")).append('\n');
    return sb.toString();
  }

  private static double cpu(JsonObject phase, String process) {
    return phase.getJsonObject("cpu").getJsonObject(process).getDouble("cpu_ms_per_op");
  }

  private static String shared(JsonObject r, JsonObject phase) {
    return BenchHarness.shared(r, phase.getString("load", "?"));
  }
}
