package controlplane.http;

import static org.assertj.core.api.Assertions.assertThat;

import controlplane.core.bus.Addresses;
import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.client.HttpRequest;
import io.vertx.ext.web.client.HttpResponse;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** HEAD is answered wherever GET is: same status, same headers, no body. */
class HeadRequestsTest extends HttpTestBase {

  private HttpResponse<Buffer> send(HttpMethod method, String path, String token) {
    HttpRequest<Buffer> req = request(method, path).putHeader("X-Request-Id", "head-test");
    if (token != null) {
      req.bearerTokenAuthentication(token);
    }
    return await(req.send());
  }

  private static Map<String, String> headers(HttpResponse<Buffer> response) {
    Map<String, String> out = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
    MultiMap all = response.headers();
    all.names().forEach(name -> out.put(name, String.join(", ", all.getAll(name))));
    return out;
  }

  private static void assertSameAnswerWithoutBody(HttpResponse<Buffer> head, HttpResponse<Buffer> get) {
    assertThat(head.statusCode()).isEqualTo(get.statusCode());
    assertThat(headers(head)).isEqualTo(headers(get));
    assertThat(head.getHeader("Content-Length")).isEqualTo(String.valueOf(get.body().length()));
    assertThat(head.body() == null ? 0 : head.body().length()).isZero();
  }

  @ParameterizedTest
  @ValueSource(strings = {"/control-plane/" + SITE + "/credentials", "/control-plane/" + SITE,
    "/control-plane/" + SITE + "/management-server", "/openapi.yaml", "/metrics", "/health/live", "/health/ready"})
  @DisplayName("HEAD on a GET operation: the status and headers of GET, no body")
  void headLikeGet(String path) {
    String token = token("credentials:read");
    registry.counter("cp.head.test").increment(); // a non-empty /metrics, the same for both scrapes

    HttpResponse<Buffer> get = send(HttpMethod.GET, path, token);
    HttpResponse<Buffer> head = send(HttpMethod.HEAD, path, token);

    assertThat(get.statusCode()).isEqualTo(200);
    assertSameAnswerWithoutBody(head, get);
  }

  @ParameterizedTest
  @ValueSource(strings = {"none", "rotate-only"})
  @DisplayName("HEAD goes through the same auth as GET: 401 without a token, 403 without the scope, no body")
  void headAuthenticated(String who) {
    String path = "/control-plane/" + SITE + "/credentials";
    String token = who.equals("none") ? null : token("credentials:rotate");

    HttpResponse<Buffer> get = send(HttpMethod.GET, path, token);
    HttpResponse<Buffer> head = send(HttpMethod.HEAD, path, token);

    assertThat(get.statusCode()).isEqualTo(who.equals("none") ? 401 : 403);
    assertSameAnswerWithoutBody(head, get);
    assertThat(core.received(Addresses.CREDENTIALS_GET)).isEmpty();
  }

  @ParameterizedTest
  @ValueSource(strings = {"/control-plane/" + SITE + "/action", "/nope"})
  @DisplayName("HEAD where GET is not answered: the 405 or 404 of GET, no body")
  void headWithoutGet(String path) {
    String token = token(ALL_SCOPES);

    HttpResponse<Buffer> get = send(HttpMethod.GET, path, token);
    HttpResponse<Buffer> head = send(HttpMethod.HEAD, path, token);

    assertThat(get.statusCode()).isEqualTo(path.equals("/nope") ? 404 : 405);
    assertSameAnswerWithoutBody(head, get);
  }
}
