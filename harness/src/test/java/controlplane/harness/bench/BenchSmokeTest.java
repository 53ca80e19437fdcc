package controlplane.harness.bench;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The harness with tiny numbers: every process started, every phase run, every rotation verified, the results
 * written and parseable. No timing is asserted: this machine is shared.
 */
class BenchSmokeTest {

  @Test
  void harnessRunsEveryPhaseAndEveryRotationSucceeds(@TempDir Path dir) throws Exception {
    JsonObject results = BenchHarness.run(BenchOptions.smoke(dir));

    JsonObject parsed = new JsonObject(Files.readString(dir.resolve("results.json"), StandardCharsets.UTF_8));
    assertThat(parsed.getString("started_at")).isEqualTo(results.getString("started_at"));
    assertThat(BenchHarness.allSucceeded(parsed)).as(parsed.encodePrettily()).isTrue();
    assertThat(parsed.getJsonObject("enrolment").getInteger("ok")).isEqualTo(30);
    assertThat(parsed.getJsonObject("latency").getInteger("ok")).isEqualTo(50);
    assertThat(parsed.getJsonObject("fleet").getInteger("ok")).isEqualTo(30);
    assertThat(parsed.getJsonArray("throughput")).hasSize(2);
    assertThat(parsed.getJsonObject("floor").getJsonObject("router").getInteger("ok")).isEqualTo(50);
    assertThat(parsed.getJsonObject("floor").getJsonObject("database").getInteger("ok")).isEqualTo(50);
    assertThat(parsed.getJsonObject("resources").getString("simulator_stats")).contains("heap_used_mib=");
    assertThat(BenchReport.text(parsed)).contains("latency, 1 in flight", "fleet: 30 routers");
  }
}
