package controlplane.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import controlplane.http.HttpConfig;
import controlplane.http.HttpVerticle;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * GET /metrics of the HTTP verticle on a Vert.x built as the service builds it ({@link Main#newVertx}, JVM metrics
 * on) keeps the naming rules of {@code promtool check metrics}.
 */
class MetricsNamingTest {

  private static final String SECRET = "metrics-naming-secret-0123456789-0123456789";

  private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
  private final Vertx vertx = Main.newVertx(registry);

  @AfterEach
  void close() throws Exception {
    await(vertx.close());
  }

  private static <T> T await(Future<T> future) throws Exception {
    return future.toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
  }

  /** /metrics after one other request, so that the HTTP server meters exist too. */
  private String scrape() throws Exception {
    HttpVerticle verticle = new HttpVerticle(new HttpConfig("127.0.0.1", 0, 1024, 2_000, SECRET, List.of(), null, null,
        null, 5), registry);
    await(vertx.deployVerticle(verticle));
    WebClient client = WebClient.create(vertx);
    try {
      await(client.get(verticle.actualPort(), "127.0.0.1", "/health/live").send());
      HttpResponse<Buffer> response = await(client.get(verticle.actualPort(), "127.0.0.1", "/metrics").send());
      assertThat(response.statusCode()).isEqualTo(200);
      return response.bodyAsString();
    } finally {
      client.close();
    }
  }

  @Test
  @DisplayName("/metrics breaks none of promtool's naming rules; the JVM meters carry their second-based names")
  void keepsTheNamingRules() throws Exception {
    String text = scrape();

    assertThat(PrometheusLint.problems(text)).isEmpty();
    assertThat(PrometheusLint.familyNames(text))
        .contains("jvm_compilation_time_seconds_total", "process_cpu_seconds_total", "system_available_processors",
            "jvm_memory_used_bytes", "vertx_http_server_requests_total")
        .doesNotContain("jvm_compilation_time_ms_total", "process_cpu_time_ns_total", "system_cpu_count");
  }

  @Test
  @DisplayName("promtool check metrics accepts /metrics (where promtool is on the PATH)")
  void promtoolAccepts() throws Exception {
    Path promtool = Promtool.find();
    assumeTrue(promtool != null, "promtool is not on the PATH");

    Promtool.Result result = Promtool.checkMetrics(promtool, scrape());

    assertThat(result.output()).isEmpty();
    assertThat(result.exitCode()).isZero();
  }
}
