package controlplane.http;

import static org.assertj.core.api.Assertions.assertThat;

import controlplane.http.impl.ApiContract;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpRequest;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import io.vertx.junit5.VertxExtension;
import io.vertx.openapi.validation.ResponseValidator;
import io.vertx.openapi.validation.ValidatableResponse;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Deploys {@link HttpVerticle} on a random port in front of a {@link ScriptedCore}. Tests run on the JUnit thread
 * and wait for each response there (never on an event loop).
 */
@ExtendWith(VertxExtension.class)
abstract class HttpTestBase {

  static final String SECRET = "test-secret-0123456789-0123456789-abcdef";
  static final String ALL_SCOPES = "credentials:read credentials:rotate sites:write";
  static final String SITE = ScriptedCore.SITE_ID;
  static final String ORG = ScriptedCore.ORG;

  Vertx vertx;
  ScriptedCore core;
  PrometheusMeterRegistry registry;
  WebClient client;
  int port;
  ApiContract api;

  /** The configuration of the verticle under test; tests may override. */
  HttpConfig config() {
    return new HttpConfig("127.0.0.1", 0, 1024, 2_000, SECRET, List.of(), null, null, null, 5);
  }

  @BeforeEach
  void deploy(Vertx vertx) {
    this.vertx = vertx;
    this.core = new ScriptedCore();
    this.registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    this.client = WebClient.create(vertx, new WebClientOptions().setFollowRedirects(false));
    await(core.register(vertx));
    this.port = await(deployVerticle(config()));
    this.api = await(ApiContract.load(vertx));
  }

  @AfterEach
  void closeClient() {
    client.close();
  }

  Future<Integer> deployVerticle(HttpConfig config) {
    HttpVerticle verticle = new HttpVerticle(config, registry);
    return vertx.deployVerticle(verticle).map(id -> verticle.actualPort());
  }

  static <T> T await(Future<T> future) {
    try {
      return future.toCompletionStage().toCompletableFuture().get(20, TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new AssertionError("future failed: " + e, e);
    }
  }

  static String token(String scope) {
    return TokenMinter.mint(SECRET, ORG, scope, "alice", Duration.ofMinutes(5));
  }

  HttpRequest<Buffer> request(HttpMethod method, String path) {
    return request(port, method, path);
  }

  HttpRequest<Buffer> request(int targetPort, HttpMethod method, String path) {
    return client.request(method, targetPort, "127.0.0.1", path);
  }

  HttpResponse<Buffer> call(HttpMethod method, String path, String token) {
    HttpRequest<Buffer> req = request(method, path);
    if (token != null) {
      req.bearerTokenAuthentication(token);
    }
    return await(req.send());
  }

  HttpResponse<Buffer> callJson(HttpMethod method, String path, String token, Object body) {
    HttpRequest<Buffer> req = request(method, path).putHeader("Content-Type", "application/json");
    if (token != null) {
      req.bearerTokenAuthentication(token);
    }
    return await(req.sendBuffer(Buffer.buffer(body.toString())));
  }

  /** Validates {@code response} against operation {@code operationId} of the served contract. */
  void assertMatchesContract(HttpResponse<Buffer> response, String operationId) {
    Map<String, String> headers = new HashMap<>();
    MultiMap all = response.headers();
    for (String name : List.of("Cache-Control", "X-Request-Id", "Retry-After", "WWW-Authenticate", "Location")) {
      if (all.get(name) != null) {
        headers.put(name, all.get(name));
      }
    }
    Buffer body = response.body();
    String contentType = response.getHeader("Content-Type");
    ValidatableResponse validatable = body == null || body.length() == 0
      ? ValidatableResponse.create(response.statusCode(), headers)
      : ValidatableResponse.create(response.statusCode(), headers, body, contentType);
    await(ResponseValidator.create(vertx, api.contract()).validate(validatable, operationId));
  }

  /** Asserts the one error shape, its status and code, and validates it against the contract. */
  static JsonObject assertError(HttpResponse<Buffer> response, int status, String code) {
    assertThat(response.statusCode()).as("status of %s", response.bodyAsString()).isEqualTo(status);
    assertThat(response.getHeader("Content-Type")).startsWith("application/json");
    JsonObject body = response.bodyAsJsonObject();
    assertThat(body.fieldNames()).containsExactlyInAnyOrder("type", "code", "message");
    assertThat(body.getString("code")).isEqualTo(code);
    assertThat(body.getString("type")).isNotBlank();
    assertThat(body.getString("message")).isNotBlank().doesNotContain("Exception").doesNotContain("\tat ");
    assertThat(response.getHeader("X-Request-Id")).isNotBlank();
    return body;
  }
}
