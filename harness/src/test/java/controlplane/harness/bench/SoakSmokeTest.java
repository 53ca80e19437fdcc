package controlplane.harness.bench;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The soak with tiny numbers (a few seconds, 20 sites): every answer a verified 200, samples taken and parseable.
 * No timing and no flatness is asserted: seconds say nothing about a leak, and this machine is shared.
 */
class SoakSmokeTest {

  @Test
  void soakAnswersOnly200AndSamplesTheService(@TempDir Path dir) throws Exception {
    SoakOptions o = new SoakOptions(dir, 20, 8, 0.1, 1, BenchOptions.defaultClasspath(),
        List.of("-Xmx256m"), "256m", 4);
    JsonObject results = SoakRun.run(o);

    JsonObject parsed = new JsonObject(Files.readString(dir.resolve("soak.json"), StandardCharsets.UTF_8));
    assertThat(parsed.getString("started_at")).isEqualTo(results.getString("started_at"));
    assertThat(parsed.getJsonObject("enrolment").getInteger("ok")).isEqualTo(20);
    assertThat(parsed.getJsonObject("enrolment").getInteger("failed")).isZero();
    assertThat(parsed.getLong("rotations")).isPositive();
    assertThat(parsed.getLong("errors")).as(parsed.getJsonObject("failures").encode()).isZero();
    assertThat(parsed.getJsonObject("failures").isEmpty()).isTrue();
    assertThat(parsed.getJsonArray("samples").size()).isGreaterThanOrEqualTo(3);
    for (Object j : parsed.getJsonArray("samples")) {
      SoakRun.Sample s = SoakRun.Sample.of((JsonObject) j);
      assertThat(s.heapMib()).isPositive();
      assertThat(s.fds()).isPositive();
      assertThat(s.rssMib()).isPositive();
      assertThat(s.threads()).isPositive();
      assertThat(s.errors()).isZero();
      assertThat(s.versions()).isPositive();
      assertThat(s.audit()).isPositive();
    }
    for (String table : TableRows.TABLES) {
      assertThat(parsed.getJsonObject("tables_at_start").getLong(table)).as(table).isNotNegative();
      assertThat(parsed.getJsonObject("tables_at_end").getLong(table)).as(table).isNotNegative();
    }
    assertThat(parsed.getJsonObject("housekeeping_removed").fieldNames())
        .containsExactlyInAnyOrderElementsOf(TableRows.KINDS);
    assertThat(parsed.getJsonObject("summary").getJsonObject("fds").getDouble("first")).isPositive();
    assertThat(SoakRun.report(parsed)).contains("first vs last", "table rows", "credential_versions",
        "housekeeping removed", "rotations:", "verdict:").doesNotContain(
        "password");
  }
}
