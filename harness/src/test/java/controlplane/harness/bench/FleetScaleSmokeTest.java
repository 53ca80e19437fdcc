package controlplane.harness.bench;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The fleet-scale run with tiny numbers: two simulator processes, three edges, every phase run, and what each phase
 * claims checked against the database and the service's metrics. No timing is asserted: this machine is shared.
 */
class FleetScaleSmokeTest {

  @Test
  void everySiteIsEnrolledRotatedByTheJobPlannedAndDriftChecked(@TempDir Path dir) throws Exception {
    FleetScaleOptions o = FleetScaleOptions.smoke(dir);
    JsonObject results = FleetScaleRun.run(o);

    JsonObject parsed = new JsonObject(Files.readString(dir.resolve("results.json"), StandardCharsets.UTF_8));
    assertThat(parsed.getString("started_at")).isEqualTo(results.getString("started_at"));
    assertThat(parsed.getJsonObject("simulators_start").getJsonArray("lines")).hasSize(2);
    assertThat(parsed.getJsonObject("enrolment").getInteger("ok")).isEqualTo(o.sites());
    JsonObject job = parsed.getJsonObject("job");
    assertThat(job.getString("state")).isEqualTo("completed");
    assertThat(job.getInteger("total")).isEqualTo(o.sites());
    assertThat(job.getInteger("succeeded")).isEqualTo(o.sites());
    // The job's own count agrees with the database: every site one CURRENT version, a SUPERSEDED or PREVIOUS
    // one from before the job, nothing PENDING.
    JsonObject end = parsed.getJsonObject("end_state");
    assertThat(end.getLong("current")).isEqualTo(o.sites());
    assertThat(end.getLong("pending")).isZero();
    assertThat(end.getLong("versions")).isGreaterThanOrEqualTo(2L * o.sites());
    assertThat(parsed.getJsonObject("drift").getJsonObject("replan").getLong("with_drift_check"))
        .isEqualTo(o.sites());
    assertThat(parsed.getJsonObject("drift").getLong("checks_ok")).isPositive();
    assertThat(parsed.getJsonObject("drift").getLong("checks_other")).isZero();
    assertThat(parsed.getJsonObject("resources").getLong("service_rss_peak_sampled_mib")).isPositive();
    assertThat(FleetScaleRun.succeeded(parsed)).as(parsed.encodePrettily()).isTrue();
    assertThat(FleetScaleReport.text(parsed)).contains("bulk job over every site", "drift checks at a period",
        "result: PASS");
  }
}
