package controlplane.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.micrometer.MicrometerMetricsFactory;
import io.vertx.micrometer.MicrometerMetricsOptions;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** With Vert.x metrics bound to the same registry (as the config module does), /metrics shows HTTP server metrics. */
class VertxMetricsTest {

  private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
  private final Vertx vertx = Vertx.builder()
    .with(new VertxOptions().setMetricsOptions(new MicrometerMetricsOptions().setEnabled(true)))
    .withMetrics(new MicrometerMetricsFactory(registry))
    .build();

  @AfterEach
  void close() {
    HttpTestBase.await(vertx.close());
  }

  @Test
  @DisplayName("HTTP server request metrics appear in /metrics, parse as Prometheus text, and carry no site id")
  void httpServerMetrics() {
    HttpTestBase.await(new ScriptedCore().register(vertx));
    HttpVerticle verticle = new HttpVerticle(new HttpConfig("127.0.0.1", 0, 1024, 2_000, HttpTestBase.SECRET,
      List.of(), null, null, null, 5), registry);
    HttpTestBase.await(vertx.deployVerticle(verticle));
    WebClient client = WebClient.create(vertx);
    String token = TokenMinter.mint(HttpTestBase.SECRET, ScriptedCore.ORG, "credentials:read", "alice",
      Duration.ofMinutes(1));
    HttpTestBase.await(client.request(HttpMethod.GET, verticle.actualPort(), "127.0.0.1",
      "/control-plane/" + ScriptedCore.SITE_ID + "/credentials").bearerTokenAuthentication(token).send());

    HttpResponse<Buffer> response = HttpTestBase.await(
      client.request(HttpMethod.GET, verticle.actualPort(), "127.0.0.1", "/metrics").send());

    String text = response.bodyAsString();
    PrometheusText.assertParses(text);
    assertThat(text).contains("vertx_http_server_requests_total");
    assertThat(text).doesNotContain(ScriptedCore.SITE_ID).doesNotContain(ScriptedCore.SECRET_PASSWORD);
  }
}
