package controlplane.harness.bench;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import java.util.List;
import java.util.function.Function;

/**
 * The load generator: a Vert.x WebClient with an HTTP/1.1 keep-alive pool sized to the concurrency, driving the
 * service's public API with a bearer token. Checks each answer but never keeps or prints a password.
 */
final class HttpLoad implements AutoCloseable {

  /** A site enrolled for the bench: its id and the router it points to. */
  record BenchSite(String id, String host, int port) {
  }

  private final WebClient client;
  private final String host;
  private final int port;
  private final String bearer;

  HttpLoad(Vertx vertx, String host, int port, String token, int concurrency) {
    this.client = WebClient.create(vertx, new WebClientOptions().setKeepAlive(true).setTcpNoDelay(true)
        .setDefaultHost(host).setDefaultPort(port), new PoolOptions().setHttp1MaxSize(concurrency));
    this.host = host;
    this.port = port;
    this.bearer = "Bearer " + token;
  }

  /** Enrols every site (PUT /control-plane/{id}) with the bootstrap password, verify as given, all on one edge. */
  Future<JsonObject> enrol(List<BenchSite> sites, String orgId, boolean verify, int concurrency) {
    return enrol(sites, orgId, verify, concurrency, s -> "edge-bench");
  }

  /** As {@link #enrol(List, String, boolean, int)}, each site behind the edge {@code edgeOf} names. */
  Future<JsonObject> enrol(List<BenchSite> sites, String orgId, boolean verify, int concurrency,
                           Function<BenchSite, String> edgeOf) {
    return new ClosedLoop<>(sites, sites.size(), concurrency, s -> client.put(port, host, "/control-plane/" + s.id())
        .putHeader("Authorization", bearer)
        .sendJsonObject(new JsonObject().put("org_id", orgId).put("ip_address", s.host()).put("api_port", s.port())
            .put("server_ip", edgeOf.apply(s)).put("username", SimulatorProcess.API_USER)
            .put("password", SimulatorProcess.API_PASSWORD).put("tls", false).put("verify", verify)
            // Setting up the bench fleet is not what is measured: no rotation at enrolment.
            .put("rotate_on_enrol", false))
        .map(r -> r.statusCode() == 200 || r.statusCode() == 201 ? ClosedLoop.Outcome.OK : failure(r)))
        .run();
  }

  /** {@code total} rotations (POST /control-plane/{id}/credentials) over {@code siteIds}, one per site at a time. */
  Future<JsonObject> rotate(List<String> siteIds, int total, int concurrency) {
    return new ClosedLoop<>(siteIds, total, concurrency, id -> client.post(port, host,
            "/control-plane/" + id + "/credentials")
        .putHeader("Authorization", bearer)
        .send()
        .map(r -> {
          if (r.statusCode() != 200) {
            return failure(r);
          }
          JsonObject body = r.bodyAsJsonObject();
          String password = body == null ? null : body.getString("password");
          return password != null && password.length() >= 8 && id.equals(body.getString("site_id"))
              ? ClosedLoop.Outcome.OK : ClosedLoop.Outcome.failed("malformed_credential");
        }))
        .run();
  }

  /** GET of a public path (health, metrics); the body, or a failed future on a status other than 200. */
  Future<String> get(String path) {
    return client.get(port, host, path).send().compose(r -> r.statusCode() == 200
        ? Future.succeededFuture(r.bodyAsString())
        : Future.failedFuture(new IllegalStateException(path + ": HTTP " + r.statusCode())));
  }

  /** A request with a JSON body (or none) whose answer must have status {@code expected}: its JSON body. */
  Future<JsonObject> call(HttpMethod method, String path, JsonObject body, int expected) {
    var request = client.request(method, port, host, path).putHeader("Authorization", bearer);
    return (body == null ? request.send() : request.sendJsonObject(body)).compose(r -> r.statusCode() == expected
        ? Future.succeededFuture(r.bodyAsJsonObject())
        : Future.failedFuture(new IllegalStateException(method + " " + path + ": HTTP " + r.statusCode() + " "
            + r.bodyAsString())));
  }

  /** "HTTP status code" of an error answer: its status and the Altostrat error code (never a value). */
  private static ClosedLoop.Outcome failure(HttpResponse<Buffer> r) {
    String code = "?";
    try {
      JsonObject body = r.bodyAsJsonObject();
      if (body != null && body.getString("code") != null) {
        code = body.getString("code");
      }
    } catch (RuntimeException e) {
      // not JSON
    }
    return ClosedLoop.Outcome.failed("http_" + r.statusCode() + "_" + code);
  }

  @Override
  public void close() {
    client.close();
  }
}
