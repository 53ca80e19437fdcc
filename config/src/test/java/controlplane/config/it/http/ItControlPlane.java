package controlplane.config.it.http;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.ThrowableProxyUtil;
import ch.qos.logback.core.read.ListAppender;
import controlplane.config.ConfigLoader;
import controlplane.config.ControlPlane;
import controlplane.core.testing.Jdbc;
import controlplane.core.testing.TestDatabase;
import controlplane.device.client.ApiException;
import controlplane.device.client.ClientOptions;
import controlplane.device.client.RouterOsClient;
import controlplane.http.TokenMinter;
import controlplane.simulator.Faults;
import controlplane.simulator.SimulatedRouter;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClientAgent;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.json.Json;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpRequest;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import io.vertx.micrometer.MicrometerMetricsFactory;
import io.vertx.micrometer.MicrometerMetricsOptions;
import io.vertx.openapi.contract.OpenAPIContract;
import io.vertx.openapi.validation.ResponseValidator;
import io.vertx.openapi.validation.ValidatableResponse;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Supplier;
import java.util.regex.Pattern;
import org.slf4j.LoggerFactory;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

/**
 * One real control plane for one test class: {@link ControlPlane#start} with the configuration defaults plus a
 * fresh PostgreSQL database ({@link TestDatabase}), HTTP on a free port, a test HS256 secret, short device timeouts
 * and the simulator running a fleet file of the test's own on unusual loopback addresses (which enrolment allows
 * here: {@link #LOOPBACK_ALLOWED}). Around it: a web client, a raw HTTP client, a RouterOS client to check logins,
 * the OpenAPI contract for response validation, every log event of the run (a {@link ListAppender} on the root
 * logger) and every secret the test saw.
 *
 * <p>Tests run on the JUnit thread and block on futures; nothing here runs on an event loop.
 */
final class ItControlPlane implements AutoCloseable {

  static final String SECRET = "it-http-secret-6f1c2d9e8a7b4c3d2e1f0a9b8c7d6e5f";
  static final String ORG = "org-it";
  static final String OTHER_ORG = "org-other";
  static final String ALL_SCOPES = "credentials:read credentials:rotate sites:write";
  static final String API_USER = "altostrat-api";
  static final String EDGE = "edge-it.example.net";
  /** {@code enrolment.deniedNetworks} of production without loopback, where the simulated routers are. */
  static final List<String> LOOPBACK_ALLOWED = List.of("link-local", "unspecified", "multicast", "host-addresses");
  private static final SecureRandom RANDOM = new SecureRandom();
  private static final String ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789";

  final Vertx vertx;
  final PrometheusMeterRegistry registry;
  final ControlPlane controlPlane;
  final String databaseUrl;
  final Jdbc jdbc;
  final WebClient web;
  final HttpClientAgent raw;
  final RouterOsClient device;
  final OpenAPIContract contract;
  final int port;
  final String issuer;
  final String audience;
  private final ListAppender<ILoggingEvent> logs;
  private final Set<String> secrets = java.util.Collections.synchronizedSet(new LinkedHashSet<>());
  private final List<String> errorBodies = java.util.Collections.synchronizedList(new ArrayList<>());

  private ItControlPlane(Vertx vertx, PrometheusMeterRegistry registry, ControlPlane controlPlane, String databaseUrl,
                         OpenAPIContract contract, ListAppender<ILoggingEvent> logs, String issuer, String audience) {
    this.vertx = vertx;
    this.registry = registry;
    this.controlPlane = controlPlane;
    this.databaseUrl = databaseUrl;
    this.jdbc = new Jdbc(databaseUrl);
    this.web = WebClient.create(vertx, new WebClientOptions().setFollowRedirects(false).setKeepAlive(true));
    this.raw = vertx.createHttpClient(new HttpClientOptions().setKeepAlive(false));
    this.device = RouterOsClient.create(vertx, ClientOptions.defaults().withConnectTimeoutMs(2000)
        .withCommandTimeoutMs(3000));
    this.contract = contract;
    this.port = controlPlane.httpPort();
    this.issuer = issuer;
    this.audience = audience;
    this.logs = logs;
  }

  // ---------------------------------------------------------------------------------------------------------------
  // Start and stop

  /** One router of the fleet file. */
  record Router(String name, String address, int port, String version, String login, String bootstrap) {
    static Router plain(String name, String address, int port) {
      return new Router(name, address, port, "7.15.3", "plain", password("boot-"));
    }

    static Router legacy(String name, String address, int port) {
      return new Router(name, address, port, "6.48.6", "legacy", password("boot-"));
    }
  }

  /**
   * Starts a control plane with {@code routers} as the simulated fleet and {@code tweak} applied to the configuration
   * tree last (for issuer, audience, body limits, timeouts).
   */
  static ItControlPlane start(Path tempDir, List<Router> routers, Consumer<JsonObject> tweak) {
    ListAppender<ILoggingEvent> logs = new ListAppender<>();
    logs.setName("it-http-capture");
    logs.setContext((LoggerContext) LoggerFactory.getILoggerFactory());
    logs.start();
    rootLogger().addAppender(logs);

    PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    MicrometerMetricsOptions metrics = new MicrometerMetricsOptions().setEnabled(true).setJvmMetricsEnabled(false);
    Vertx vertx = Vertx.builder()
        .with(new VertxOptions().setMetricsOptions(metrics))
        .withMetrics(new MicrometerMetricsFactory(registry))
        .build();
    try {
      String dbUrl = TestDatabase.freshDatabase();
      Path dataDir = Files.createDirectories(tempDir.resolve("data"));
      Path fleetFile = tempDir.resolve("fleet.yaml");
      Files.writeString(fleetFile, fleetYaml(routers), StandardCharsets.UTF_8);

      JsonObject config = await(ConfigLoader.load(vertx, null, Map.of()));
      config.put("dataDir", dataDir.toString());
      config.getJsonObject("http").put("host", "127.0.0.1").put("port", 0).put("requestTimeoutMs", 25_000);
      config.getJsonObject("auth").getJsonObject("jwt").put("hs256Secret", SECRET).put("leewaySeconds", 5);
      config.getJsonObject("database").put("url", dbUrl).put("poolSize", 4);
      config.getJsonObject("crypto").put("keys", new JsonObject().put("it-1", sealingKey())).put("activeKey", "it-1");
      config.getJsonObject("rotation").put("deviceTimeoutMs", 10_000);
      config.getJsonObject("reconciler").put("intervalMs", 500);
      // No background drift logins: these tests change routers' passwords on purpose and count sessions.
      config.getJsonObject("drift").put("checkPeriodSeconds", 0);
      config.getJsonObject("device").put("connectTimeoutMs", 700).put("commandTimeoutMs", 900);
      config.getJsonObject("simulator").put("enabled", true).put("fleetFile", fleetFile.toString())
          .put("stateFile", tempDir.resolve("simulator-state.json").toString());
      // database.url is set, so production defaults apply; the simulated routers are on loopback: the production
      // denied networks less loopback. Tests enrol in bursts: no rate limit unless a test sets one.
      config.getJsonObject("enrolment").put("deniedNetworks", LOOPBACK_ALLOWED).put("ratePerMinute", 0);
      tweak.accept(config);
      JsonObject jwt = config.getJsonObject("auth").getJsonObject("jwt");

      ControlPlane cp = await(ControlPlane.start(vertx, config, registry));
      OpenAPIContract contract = await(loadContract(vertx));
      ItControlPlane it = new ItControlPlane(vertx, registry, cp, dbUrl, contract, logs, jwt.getString("issuer"),
          jwt.getString("audience"));
      routers.forEach(r -> it.remember(r.bootstrap()));
      return it;
    } catch (IOException e) {
      vertx.close();
      throw new UncheckedIOException(e);
    } catch (RuntimeException | Error e) {
      vertx.close();
      rootLogger().detachAppender(logs);
      throw e;
    }
  }

  /** Closes, after asserting that no log event and no error body of the run carried a secret. */
  public void closeAssertingNoSecrets() {
    try {
      assertNoneContains("log events", logLines(), secrets());
      assertNoneContains("error bodies", errorBodies(), secrets());
    } finally {
      close();
    }
  }

  @Override
  public void close() {
    try {
      web.close();
      await(raw.close());
      await(device.close());
      await(controlPlane.stop());
    } finally {
      await(vertx.close());
      rootLogger().detachAppender(logs);
      logs.stop();
    }
  }

  static Logger rootLogger() {
    return ((LoggerContext) LoggerFactory.getILoggerFactory()).getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
  }

  static String fleetYaml(List<Router> routers) {
    StringBuilder y = new StringBuilder("routers:\n");
    for (Router r : routers) {
      y.append("  - name: ").append(r.name()).append('\n')
          .append("    address: ").append(r.address()).append('\n')
          .append("    port: ").append(r.port()).append('\n')
          .append("    version: \"").append(r.version()).append("\"\n")
          .append("    login: ").append(r.login()).append('\n')
          .append("    users:\n")
          .append("      - { name: admin, group: full, password: \"\" }\n")
          .append("      - { name: ").append(API_USER).append(", group: full, password: \"").append(r.bootstrap())
          .append("\" }\n");
    }
    return y.toString();
  }

  /**
   * The contract as the http jar ships it on the classpath, parsed independently of the service; without its
   * {@code servers}, whose relative url vertx-openapi refuses.
   */
  static Future<OpenAPIContract> loadContract(Vertx vertx) {
    String text = contractText();
    Object tree = new Yaml(new SafeConstructor(new LoaderOptions())).load(text);
    JsonObject contract = new JsonObject(Json.encode(tree));
    contract.remove("servers");
    return OpenAPIContract.from(vertx, contract);
  }

  static String contractText() {
    try (InputStream in = ItControlPlane.class.getClassLoader().getResourceAsStream("openapi.yaml")) {
      assertThat(in).as("openapi.yaml on the classpath (the http jar)").isNotNull();
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  // ---------------------------------------------------------------------------------------------------------------
  // Futures, tokens, secrets

  static <T> T await(Future<T> future) {
    return await(future, 30);
  }

  static <T> T await(Future<T> future, int seconds) {
    try {
      return future.toCompletionStage().toCompletableFuture().get(seconds, TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new AssertionError("future failed: " + e, e);
    }
  }

  /** A fresh AES-256 key, base64. */
  static String sealingKey() {
    byte[] key = new byte[32];
    RANDOM.nextBytes(key);
    return java.util.Base64.getEncoder().encodeToString(key);
  }

  /** A random password of the test (remembered by the caller as a secret when it is used). */
  static String password(String prefix) {
    StringBuilder s = new StringBuilder(prefix);
    for (int i = 0; i < 24; i++) {
      s.append(ALPHABET.charAt(RANDOM.nextInt(ALPHABET.length())));
    }
    return s.toString();
  }

  String token(String scope) {
    return token(ORG, scope);
  }

  String token(String org, String scope) {
    return TokenMinter.mint(SECRET, org, scope, "it-tester", Duration.ofMinutes(10), issuer, audience);
  }

  String remember(String secret) {
    if (secret != null && !secret.isEmpty()) {
      secrets.add(secret);
    }
    return secret;
  }

  Set<String> secrets() {
    synchronized (secrets) {
      return Set.copyOf(secrets);
    }
  }

  // ---------------------------------------------------------------------------------------------------------------
  // HTTP

  static String sitePath(String siteId) {
    return "/control-plane/" + siteId;
  }

  static String credentials(String siteId) {
    return sitePath(siteId) + "/credentials";
  }

  HttpRequest<Buffer> request(HttpMethod method, String path, String token) {
    HttpRequest<Buffer> req = web.request(method, port, "127.0.0.1", path);
    if (token != null) {
      req.bearerTokenAuthentication(token);
    }
    return req;
  }

  /** Sends and records what the response carries (passwords as secrets, error bodies for the leak checks). */
  HttpResponse<Buffer> send(HttpRequest<Buffer> req, Object body) {
    Future<HttpResponse<Buffer>> sent;
    if (body == null) {
      sent = req.send();
    } else {
      if (req.headers().get("Content-Type") == null) {
        req.putHeader("Content-Type", "application/json");
      }
      sent = req.sendBuffer(body instanceof Buffer b ? b : Buffer.buffer(body.toString()));
    }
    return observe(await(sent));
  }

  HttpResponse<Buffer> observe(HttpResponse<Buffer> response) {
    String text = response.bodyAsString();
    if (response.statusCode() >= 400) {
      errorBodies.add(text == null ? "" : text);
    } else if (text != null && text.contains("\"password\"")) {
      Object json = Json.decodeValue(text);
      if (json instanceof JsonObject o) {
        remember(o.getString("password"));
      } else if (json instanceof io.vertx.core.json.JsonArray a) {
        a.forEach(item -> remember(((JsonObject) item).getString("password")));
      }
    }
    return response;
  }

  HttpResponse<Buffer> call(HttpMethod method, String path, String token) {
    return send(request(method, path, token), null);
  }

  HttpResponse<Buffer> callJson(HttpMethod method, String path, String token, Object body) {
    return send(request(method, path, token), body);
  }

  /** Enrolment body for {@code router} at its simulator address, org {@link #ORG}. */
  static JsonObject enrolment(Router router) {
    return new JsonObject().put("org_id", ORG).put("ip_address", router.address()).put("api_port", router.port())
        .put("server_ip", EDGE).put("username", API_USER).put("password", router.bootstrap()).put("tls", false)
        .put("rotate_on_enrol", false);
  }

  /** Enrolment body for {@code router} with the password it holds now. */
  JsonObject currentEnrolment(Router router) {
    return enrolment(router).put("password", routerPassword(router));
  }

  /** Enrols {@code router} as a new site (verified, with the password it holds now) and returns the site id. */
  String enrol(Router router) {
    String siteId = UUID.randomUUID().toString();
    HttpResponse<Buffer> r = callJson(HttpMethod.PUT, sitePath(siteId), token(ALL_SCOPES), currentEnrolment(router));
    assertThat(r.statusCode()).as("enrolment of %s: %s", router.name(), r.bodyAsString()).isEqualTo(200);
    assertMatchesContract(r, "enrolSite");
    return siteId;
  }

  /** Rotates and expects 200; the credential object. */
  JsonObject rotate(String siteId) {
    HttpResponse<Buffer> r = call(HttpMethod.POST, credentials(siteId), token(ALL_SCOPES));
    assertThat(r.statusCode()).as("rotation: %s", r.bodyAsString()).isEqualTo(200);
    assertMatchesContract(r, "rotateCredentials");
    return r.bodyAsJsonObject();
  }

  /** Validates {@code response} against {@code operationId} of the contract (status, headers, body). */
  void assertMatchesContract(HttpResponse<Buffer> response, String operationId) {
    Map<String, String> headers = new HashMap<>();
    MultiMap all = response.headers();
    for (String name : List.of("Cache-Control", "X-Request-Id", "Retry-After", "WWW-Authenticate", "Location")) {
      String value = all.get(name);
      if (value != null && value.indexOf('"') >= 0) {
        // vertx-openapi 5.0.7 cannot decode a string header holding quotes (ParameterTransformer.transformPrimitive
        // wraps it in quotes and JSON-decodes it), so Bearer error="..." challenges are checked here instead.
        assertThat(name).isEqualTo("WWW-Authenticate");
        assertThat(value).matches("Bearer [a-z_]+=\"[^\"]*\"(, [a-z_]+=\"[^\"]*\")*");
      } else if (value != null) {
        headers.put(name, value);
      }
    }
    Buffer body = response.body();
    String contentType = response.getHeader("Content-Type");
    if (body != null && contentType != null && !contentType.startsWith("application/json")) {
      // vertx-openapi 5.0.7 validates JSON bodies only ("The format of the response body is not supported", and
      // without the body "does not contain the required body"): check status and media type against the contract.
      assertThat(contract.operation(operationId).getResponse(response.statusCode()))
          .as("status %s declared for %s", response.statusCode(), operationId).isNotNull();
      String declared = operationMediaType(operationId, response.statusCode());
      if (declared != null) {
        assertThat(contentType).startsWith(declared);
      }
      return;
    }
    ValidatableResponse validatable = body == null || body.length() == 0
        ? ValidatableResponse.create(response.statusCode(), headers)
        : ValidatableResponse.create(response.statusCode(), headers, body, contentType);
    try {
      ResponseValidator.create(vertx, contract).validate(validatable, operationId)
          .toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new AssertionError("response " + response.statusCode() + " " + response.bodyAsString()
          + " does not match operation " + operationId + " of the contract: " + e.getCause(), e);
    }
  }

  /** The single media type the contract declares for {@code operationId}'s {@code status} response, or null. */
  String operationMediaType(String operationId, int status) {
    var operation = contract.operation(operationId);
    var resp = operation.getResponse(status);
    if (resp == null || resp.getContent() == null || resp.getContent().size() != 1) {
      return null;
    }
    return resp.getContent().keySet().iterator().next();
  }

  /** The one error shape with {@code status} and {@code code}, validated against {@code operationId} when given. */
  JsonObject assertError(HttpResponse<Buffer> response, int status, String code, String operationId) {
    assertThat(response.statusCode()).as("status of %s", response.bodyAsString()).isEqualTo(status);
    assertThat(response.getHeader("Content-Type")).startsWith("application/json");
    JsonObject body = response.bodyAsJsonObject();
    assertThat(body.fieldNames()).containsExactlyInAnyOrder("type", "code", "message");
    assertThat(body.getString("code")).isEqualTo(code);
    assertThat(body.getString("type")).isNotBlank();
    assertThat(body.getString("message")).isNotBlank()
        .doesNotContain("Exception").doesNotContain("\tat ").doesNotContain("SELECT").doesNotContain("INSERT");
    assertThat(response.getHeader("X-Request-Id")).isNotBlank();
    if (operationId != null) {
      assertMatchesContract(response, operationId);
    }
    return body;
  }

  /** A request with a raw, unnormalised request target and extra headers; the status (and body). */
  record RawResponse(int status, MultiMap headers, String body) {
  }

  RawResponse raw(HttpMethod method, String uri, Map<String, String> headers, String token) {
    RequestOptions options = new RequestOptions().setMethod(method).setHost("127.0.0.1").setPort(port).setURI(uri);
    Future<RawResponse> result = raw.request(options).compose(req -> {
      headers.forEach(req::putHeader);
      if (token != null) {
        req.putHeader("Authorization", "Bearer " + token);
      }
      return req.send().compose((HttpClientResponse resp) -> resp.body()
          .map(body -> new RawResponse(resp.statusCode(), resp.headers(), body.toString())));
    });
    RawResponse response = await(result);
    if (response.status() >= 400) {
      errorBodies.add(response.body());
    }
    return response;
  }

  // ---------------------------------------------------------------------------------------------------------------
  // Routers

  SimulatedRouter router(Router r) {
    return controlPlane.simulator().simulator().router(r.name()).orElseThrow();
  }

  /** The password the simulated router holds for the API user now (remembered as a secret). */
  String routerPassword(Router r) {
    return remember(router(r).user(API_USER).orElseThrow().password());
  }

  void faults(Router r, Faults faults) {
    await(router(r).faults(faults));
  }

  /** Whether the router accepts {@code password} for the API user, checked with the device client. */
  boolean logsIn(Router r, String password) {
    Future<Boolean> result = device.connect(r.address(), r.port(), false).compose(c -> c.login(API_USER, password)
        .transform(ar -> c.close().transform(x -> {
          if (ar.succeeded()) {
            return Future.succeededFuture(true);
          }
          if (ar.cause() instanceof ApiException e && e.kind() == ApiException.Kind.LOGIN_FAILED) {
            return Future.succeededFuture(false);
          }
          return Future.failedFuture(ar.cause());
        })));
    return await(result);
  }

  /** Waits until {@code condition} holds (for outcomes the reconciler settles in the background). */
  static void eventually(String what, Supplier<Boolean> condition) {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
    while (true) {
      if (Boolean.TRUE.equals(condition.get())) {
        return;
      }
      if (System.nanoTime() > deadline) {
        throw new AssertionError("not reached in time: " + what);
      }
      try {
        Thread.sleep(100);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError(e);
      }
    }
  }

  int auditRows(String siteId, String action, String outcome) {
    return ((Number) jdbc.query("SELECT count(*) AS n FROM audit_events WHERE site_id = ?::uuid AND action = ?"
        + " AND outcome = ?", siteId, action, outcome).get(0).get("n")).intValue();
  }

  // ---------------------------------------------------------------------------------------------------------------
  // Leak checks

  /** Every captured log event as text: message, arguments, MDC, throwable with its stack. */
  List<String> logLines() {
    List<ILoggingEvent> events;
    synchronized (logs) {
      events = new ArrayList<>(logs.list);
    }
    List<String> out = new ArrayList<>(events.size());
    for (ILoggingEvent e : events) {
      StringBuilder s = new StringBuilder(e.getLoggerName()).append(' ').append(e.getFormattedMessage());
      if (e.getArgumentArray() != null) {
        for (Object arg : e.getArgumentArray()) {
          s.append(" | ").append(arg);
        }
      }
      e.getMDCPropertyMap().forEach((k, v) -> s.append(" | ").append(k).append('=').append(v));
      if (e.getThrowableProxy() != null) {
        s.append('\n').append(ThrowableProxyUtil.asString(e.getThrowableProxy()));
      }
      out.add(s.toString());
    }
    return out;
  }

  List<String> errorBodies() {
    synchronized (errorBodies) {
      return List.copyOf(errorBodies);
    }
  }

  /** Asserts that no text of {@code texts} contains any of {@code secrets}. */
  static void assertNoneContains(String what, Collection<String> texts, Collection<String> secrets) {
    for (String text : texts) {
      for (String secret : secrets) {
        assertThat(text).as("%s must not contain a password the test used", what).doesNotContain(secret);
      }
    }
  }

  // ---------------------------------------------------------------------------------------------------------------
  // Prometheus text

  private static final String NAME = "[a-zA-Z_:][a-zA-Z0-9_:]*";
  private static final String LABEL = "[a-zA-Z_][a-zA-Z0-9_]*=\"(?:[^\"\\\\\\n]|\\\\[\\\\\"n])*\"";
  private static final String VALUE = "(?:[-+]?(?:[0-9]+(?:\\.[0-9]*)?(?:[eE][-+]?[0-9]+)?|NaN|Inf))";
  private static final Pattern SAMPLE = Pattern.compile(
      "(" + NAME + ")(?:\\{(?:" + LABEL + "(?:," + LABEL + ")*,?)?})? " + VALUE + "(?: -?[0-9]+)?");
  private static final Pattern COMMENT = Pattern.compile("# (?:HELP " + NAME + " .*|TYPE " + NAME
      + " (?:counter|gauge|histogram|summary|untyped))|#.*");

  /** Parses Prometheus text format 0.0.4 strictly enough; the sample names found. */
  static Set<String> parsePrometheus(String text) {
    Set<String> names = new LinkedHashSet<>();
    for (String line : text.split("\n", -1)) {
      if (line.isBlank() || COMMENT.matcher(line).matches()) {
        continue;
      }
      var m = SAMPLE.matcher(line);
      assertThat(m.matches()).as("Prometheus sample line: %s", line).isTrue();
      names.add(m.group(1));
    }
    assertThat(names).as("sample names").isNotEmpty();
    return names;
  }
}
