package controlplane.http;

import static org.assertj.core.api.Assertions.assertThat;

import controlplane.core.bus.Addresses;
import controlplane.core.bus.Failure;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.openapi.validation.ResponseValidator;
import io.vertx.openapi.validation.ValidatableResponse;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class OperationsEndpointsTest extends HttpTestBase {

  @Test
  @DisplayName("GET /openapi.yaml serves the contract file byte for byte, without a token")
  void openApi() throws Exception {
    HttpResponse<Buffer> response = call(HttpMethod.GET, "/openapi.yaml", null);

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.getHeader("Content-Type")).startsWith("application/yaml");
    try (InputStream in = getClass().getClassLoader().getResourceAsStream("openapi.yaml")) {
      assertThat(response.bodyAsString()).isEqualTo(new String(in.readAllBytes(), StandardCharsets.UTF_8));
    }
    assertThat(response.bodyAsString()).startsWith("openapi: 3.1");
  }

  @Test
  @DisplayName("the contract's credential schema is exactly the seed's nine fields, all required")
  void contractMatchesSeed() {
    JsonObject credential = api.contract().getRawContract()
      .getJsonObject("components").getJsonObject("schemas").getJsonObject("Credential");

    assertThat(credential.getJsonObject("properties").fieldNames())
      .containsExactlyInAnyOrderElementsOf(ControlPlaneEndpointsTest.CREDENTIAL_FIELDS);
    assertThat(credential.getJsonArray("required").stream().map(String::valueOf).toList())
      .containsExactlyInAnyOrderElementsOf(ControlPlaneEndpointsTest.CREDENTIAL_FIELDS);
    assertThat(credential.getBoolean("additionalProperties")).isFalse();
    assertThat(credential.getJsonObject("properties").getJsonObject("api_port").getString("type"))
      .isEqualTo("integer");
  }

  @Test
  @DisplayName("the contract's response schema has teeth: an extra field or a string api_port does not validate")
  void contractRejectsWrongShapes() {
    ResponseValidator validator = ResponseValidator.create(vertx, api.contract());
    JsonObject extra = ScriptedCore.credential(SITE);
    JsonObject exact = new JsonObject();
    ControlPlaneEndpointsTest.CREDENTIAL_FIELDS.forEach(f -> exact.put(f, extra.getValue(f)));
    JsonObject stringPort = exact.copy().put("api_port", "8728");

    Future<?> good = validator.validate(ValidatableResponse.create(200, exact.toBuffer(), "application/json"),
      "rotateCredentials");
    Future<?> withExtra = validator.validate(ValidatableResponse.create(200, extra.toBuffer(), "application/json"),
      "rotateCredentials");
    Future<?> withStringPort = validator.validate(
      ValidatableResponse.create(200, stringPort.toBuffer(), "application/json"), "rotateCredentials");

    await(good);
    assertThat(withExtra.toCompletionStage().toCompletableFuture()).failsWithin(java.time.Duration.ofSeconds(5));
    assertThat(withStringPort.toCompletionStage().toCompletableFuture())
      .failsWithin(java.time.Duration.ofSeconds(5));
  }

  @Test
  @DisplayName("GET /metrics answers the registry as Prometheus text, every line a comment, blank or a sample")
  void metrics() {
    registry.counter("cp_rotations_total", "outcome", "applied").increment();
    registry.timer("cp_rotation_duration").record(java.time.Duration.ofMillis(12));

    HttpResponse<Buffer> response = call(HttpMethod.GET, "/metrics", null);

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.getHeader("Content-Type")).startsWith("text/plain; version=0.0.4");
    String text = response.bodyAsString();
    PrometheusText.assertParses(text);
    assertThat(text).contains("cp_rotations_total{outcome=\"applied\"} 1.0");
    assertThat(text).contains("cp_rotation_duration_seconds_count");
  }

  @Test
  @DisplayName("GET /health/live is 200 without a token, even when core is absent")
  void live() {
    await(core.unregister(Addresses.PERSISTENCE_HEALTH));

    HttpResponse<Buffer> response = call(HttpMethod.GET, "/health/live", null);

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.bodyAsJsonObject().getString("status")).isEqualTo("up");
    assertMatchesContract(response, "getLiveness");
  }

  @Test
  @DisplayName("GET /health/ready is 200 when persistence reports database and migrations")
  void ready() {
    HttpResponse<Buffer> response = call(HttpMethod.GET, "/health/ready", null);

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.bodyAsJsonObject())
      .isEqualTo(new JsonObject().put("status", "ready").put("database", true).put("migrations", true));
    assertMatchesContract(response, "getReadiness");
  }

  @Test
  @DisplayName("GET /health/ready is 503 database_unavailable when persistence fails")
  void notReadyDatabase() {
    core.failWith(Addresses.PERSISTENCE_HEALTH, Failure.DATABASE_UNAVAILABLE, "connection refused");

    HttpResponse<Buffer> response = call(HttpMethod.GET, "/health/ready", null);

    assertError(response, 503, "database_unavailable");
    assertMatchesContract(response, "getReadiness");
  }

  @Test
  @DisplayName("GET /health/ready is 503 when migrations are not applied")
  void notReadyMigrations() {
    core.script(Addresses.PERSISTENCE_HEALTH,
      m -> Future.succeededFuture(new JsonObject().put("database", true).put("migrations", false)));

    HttpResponse<Buffer> response = call(HttpMethod.GET, "/health/ready", null);

    assertError(response, 503, "database_unavailable");
  }

  @Test
  @DisplayName("GET /health/ready is 503 service_unavailable when no core consumes the health address")
  void notReadyNoCore() {
    await(core.unregister(Addresses.PERSISTENCE_HEALTH));

    HttpResponse<Buffer> response = call(HttpMethod.GET, "/health/ready", null);

    assertError(response, 503, "service_unavailable");
  }

  @ParameterizedTest
  @CsvSource({"/openapi.yaml, getOpenApi", "/metrics, getMetrics", "/health/live, getLiveness",
    "/health/ready, getReadiness"})
  @DisplayName("a GET with a body over http.maxBodyBytes is the 413 payload_too_large the contract declares")
  void oversizedBody(String path, String operationId) {
    HttpResponse<Buffer> response = await(request(HttpMethod.GET, path).putHeader("Content-Type", "text/plain")
      .sendBuffer(Buffer.buffer("x".repeat(4096))));

    assertError(response, 413, "payload_too_large");
    assertMatchesContract(response, operationId);
  }
}
