package controlplane.harness.bench;

import io.vertx.core.json.JsonObject;

/** The human-readable report of a fleet-scale run, each figure with the machine's load beside it. */
final class FleetScaleReport {

  private FleetScaleReport() {
  }

  static String text(JsonObject r) {
    StringBuilder sb = new StringBuilder();
    JsonObject o = r.getJsonObject("options");
    int sites = o.getInteger("sites");
    sb.append(String.format("== fleet at scale, %s, %d cores, %d sites over %d edges, %d simulator processes, "
            + "service %s; load at start %s%n", r.getString("started_at"), r.getInteger("cores", 2), sites,
        o.getInteger("edges"), o.getInteger("simulators"), o.getString("service_jvm_options"),
        r.getString("load_at_start")));
    sb.append("[service + PostgreSQL + simulators + load generator share this machine]\n");
    JsonObject e = r.getJsonObject("enrolment");
    if (e != null) {
      sb.append(String.format("enrolment (verify on): %d sites in %.1f s (%.1f/s), %d failed %s; service CPU %.2f "
              + "ms/site, PostgreSQL %.2f ms/site; scheduler planned them all %.1f s after the last%n",
          e.getInteger("ok"), e.getDouble("wall_s"), e.getDouble("per_s"), e.getInteger("failed"),
          e.getJsonObject("failures", new JsonObject()).encode(), cpu(e, "service"), cpu(e, "postgres"),
          r.getJsonObject("planned_after_enrolment").getLong("wait_ms") / 1000.0));
    }
    JsonObject j = r.getJsonObject("job");
    if (j != null) {
      sb.append(String.format("bulk job over every site (max_in_flight %d): %s, %d of %d succeeded, %d failed, %d "
              + "unknown, wall time %.1f s (%.1f rotations/s); CPU per rotation: service %.2f ms, PostgreSQL %.2f ms;"
              + " load %s%n", o.getInteger("job_max_in_flight"), j.getString("state"), j.getInteger("succeeded"),
          j.getInteger("total"), j.getInteger("failed"), j.getInteger("unknown"), j.getLong("wall_ms") / 1000.0,
          j.getDouble("per_s"), cpu(j, "service"), cpu(j, "postgres"), j.getString("load")));
    }
    JsonObject i = r.getJsonObject("idle");
    if (i != null) {
      sb.append(String.format("idle fleet, nothing due, %.0f scheduler ticks: CPU per tick (scheduler, drift claim, "
              + "reconciler, gauges, heartbeat): service %.1f ms, PostgreSQL %.1f ms; load %s%n",
          i.getDouble("ticks"), i.getDouble("service_cpu_ms_per_tick"), i.getDouble("postgres_cpu_ms_per_tick"),
          i.getString("load")));
    }
    JsonObject d = r.getJsonObject("drift");
    if (d != null) {
      JsonObject rp = d.getJsonObject("replan");
      sb.append(String.format("organisation policy set: %d sites planned again in %.1f s, %d with a drift check%n",
          sites, rp.getLong("wall_ms") / 1000.0, rp.getLong("with_drift_check")));
      sb.append(String.format("drift checks at a period of %d s (demand %.1f/s): %d in %d s = %.1f/s; CPU per check:"
              + " service %.2f ms, PostgreSQL %.2f ms; all results: %d ok, %d other; load %s%n",
          o.getInteger("drift_period_seconds"), d.getDouble("demand_per_s"), d.getLong("window_checks"),
          o.getInteger("drift_seconds"), d.getDouble("per_s"), cpu(d, "service"), cpu(d, "postgres"),
          d.getLong("checks_ok"), d.getLong("checks_other"), d.getString("load")));
    }
    JsonObject s = r.getJsonObject("end_state");
    if (s != null) {
      sb.append(String.format("end state: %d sites, %d in sync, %d CURRENT, %d PENDING, %d versions, database %d MiB%n",
          s.getLong("sites"), s.getLong("in_sync"), s.getLong("current"), s.getLong("pending"),
          s.getLong("versions"), s.getLong("database_mib")));
    }
    JsonObject res = r.getJsonObject("resources");
    if (res != null) {
      sb.append(String.format("service memory: RSS %d MiB at the end, peak %d MiB (sampled each second; VmHWM %d "
              + "MiB; target <= 512); heap %s; simulators' RSS (MiB) %s%n", res.getLong("service_rss_mib"),
          res.getLong("service_rss_peak_sampled_mib"), res.getLong("service_rss_hwm_mib"),
          res.getJsonObject("service_heap").encode(), res.getJsonArray("simulators_rss_mib").encode()));
    }
    sb.append("result: ").append(FleetScaleRun.succeeded(r) ? "PASS" : "FAIL").append('\n');
    return sb.toString();
  }

  private static double cpu(JsonObject phase, String process) {
    return phase.getJsonObject("cpu").getJsonObject(process).getDouble("cpu_ms_per_op");
  }
}
