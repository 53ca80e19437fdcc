package controlplane.config.it.http;

import static controlplane.config.it.http.ItControlPlane.ALL_SCOPES;
import static controlplane.config.it.http.ItControlPlane.credentials;
import static controlplane.config.it.http.ItControlPlane.sitePath;
import static org.assertj.core.api.Assertions.assertThat;

import controlplane.config.it.http.ItControlPlane.RawResponse;
import controlplane.config.it.http.ItControlPlane.Router;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.io.TempDir;

/**
 * Hostile HTTP input against the real service: oversized and malformed bodies, path tricks around the site id,
 * header floods. Each is a clean 4xx that hands out no credential, and afterwards the service still rotates.
 */
@DisplayName("Hostile HTTP input against the real service")
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class HostileInputHttpTest {

  private static final Router ROUTER = Router.plain("hostile-r1", "127.0.76.1", 38728);
  private static final int MAX_BODY = 4096;

  @TempDir
  static Path tempDir;
  static ItControlPlane it;
  static String site;

  @BeforeAll
  static void start() {
    it = ItControlPlane.start(tempDir, List.of(ROUTER),
        config -> config.getJsonObject("http").put("maxBodyBytes", MAX_BODY));
    site = it.enrol(ROUTER);
  }

  @AfterAll
  static void stop() {
    if (it != null) {
      it.closeAssertingNoSecrets();
    }
  }

  private static void assertClean4xx(RawResponse r, String what) {
    assertThat(r.status()).as("%s -> %s %s", what, r.status(), r.body()).isBetween(400, 499);
    assertThat(r.body()).as(what).doesNotContain("\"password\"").doesNotContain("Exception").doesNotContain("\tat ");
  }

  @Test
  @Order(1)
  @DisplayName("a body over http.maxBodyBytes is 413 payload_too_large, with or without Content-Length, and nothing "
      + "is stored")
  void oversizedBodies() {
    String token = it.token(ALL_SCOPES);
    String newSite = java.util.UUID.randomUUID().toString();
    JsonObject big = it.currentEnrolment(ROUTER).put("server_ip", "e".repeat(MAX_BODY * 2));
    JsonObject e = it.assertError(it.callJson(HttpMethod.PUT, sitePath(newSite), token, big), 413,
        "payload_too_large", "enrolSite");
    assertThat(e.getString("type")).isEqualTo("invalid_request_error");
    it.assertError(it.callJson(HttpMethod.POST, sitePath(site) + "/action", token,
        new JsonObject().put("action", "site.resend_api_user").put("pad", "p".repeat(MAX_BODY * 4))), 413,
        "payload_too_large", "siteAction");
    // A megabyte streamed chunked, without Content-Length.
    io.vertx.core.Future<Integer> chunked = it.raw.request(new io.vertx.core.http.RequestOptions()
        .setMethod(HttpMethod.PUT).setHost("127.0.0.1").setPort(it.port).setURI(sitePath(newSite))).compose(req -> {
          io.vertx.core.Future<Integer> status = req.response().compose(resp -> resp.body()
              .map(b -> resp.statusCode()));
          req.setChunked(true).putHeader("Content-Type", "application/json")
              .putHeader("Authorization", "Bearer " + token);
          for (int i = 0; i < 64; i++) {
            req.write(Buffer.buffer("x".repeat(16 * 1024)));
          }
          req.end();
          return status;
        });
    assertThat(ItControlPlane.await(chunked)).isEqualTo(413);
    it.assertError(it.call(HttpMethod.GET, sitePath(newSite), token), 404, "site_not_found", "getSite");
  }

  @Test
  @Order(2)
  @DisplayName("malformed JSON of every kind is 400 invalid_request (never a 500), a non-JSON media type is 415")
  void malformedJson() {
    String token = it.token(ALL_SCOPES);
    String path = sitePath(java.util.UUID.randomUUID().toString());
    String deep = "[".repeat(2000) + "]".repeat(2000);
    for (String body : List.of("{", "{\"org_id\":}", "null", "\"text\"", "42", "[]", "{\"org_id\":\"a\"}}",
        "{\"org_id\":\"a\",\"org_id\":\"b\"}", deep, "{\"a\":" + deep + "}", "\u0000\u0001", "{'org_id':'a'}")) {
      HttpResponse<Buffer> r = it.callJson(HttpMethod.PUT, path, token, body);
      it.assertError(r, 400, "invalid_request", "enrolSite");
    }
    HttpResponse<Buffer> badUtf8 = it.send(it.request(HttpMethod.PUT, path, token)
        .putHeader("Content-Type", "application/json"), Buffer.buffer(new byte[] {'{', '"', (byte) 0xC3, (byte) 0x28,
        '"', ':', '1', '}'}));
    it.assertError(badUtf8, 400, "invalid_request", "enrolSite");
    HttpResponse<Buffer> text = it.send(it.request(HttpMethod.PUT, path, token)
        .putHeader("Content-Type", "text/plain"), it.currentEnrolment(ROUTER).encode());
    it.assertError(text, 415, "unsupported_media_type", "enrolSite");
    HttpResponse<Buffer> unknown = it.callJson(HttpMethod.PUT, path, token,
        it.currentEnrolment(ROUTER).put("__proto__", new JsonObject().put("admin", true)));
    it.assertError(unknown, 400, "invalid_request", "enrolSite");
    it.assertError(it.call(HttpMethod.GET, path, token), 404, "site_not_found", "getSite");
  }

  @ParameterizedTest(name = "{0}")
  @Order(3)
  @ValueSource(strings = {
      "/control-plane/../metrics",
      "/control-plane/SITE/../../metrics",
      "/control-plane/SITE/../OTHER/credentials",
      "/control-plane/%2e%2e/credentials",
      "/control-plane/SITE/%2E%2E/credentials",
      "/control-plane/SITE%2Fcredentials",
      "/control-plane/SITE%2fcredentials",
      "/control-plane/SITE%5Ccredentials",
      "/control-plane/SITE/./credentials",
      "/control-plane//credentials",
      "/control-plane/SITE//credentials",
      "/control-plane/SITE%00/credentials",
      "/control-plane/SITE\\credentials",
      "/control-plane/SITE;x=y/credentials",
      "/control-plane/SITE%20/credentials",
      "/control-plane/%20SITE/credentials",
      "/control-plane/SITE/credentials/extra",
      "/control-plane/{SITE}/credentials",
      "/control-plane/%7BsiteId%7D/credentials",
      "/control-plane/*/credentials",
      "/control-plane/SITE%252F..%252Fcredentials",
      "/CONTROL-PLANE/SITE/credentials"
  })
  @DisplayName("a path trick around the site id is a clean 4xx that hands out no credential")
  void pathTricks(String template) {
    String uri = template.replace("OTHER", java.util.UUID.randomUUID().toString()).replace("SITE", site);
    String token = it.token(ALL_SCOPES);
    RawResponse get = it.raw(HttpMethod.GET, uri, Map.of(), token);
    assertClean4xx(get, "GET " + uri);
    RawResponse post = it.raw(HttpMethod.POST, uri, Map.of(), token);
    assertClean4xx(post, "POST " + uri);
  }

  @Test
  @Order(3)
  @DisplayName("a trailing slash is served as the same resource under the same authentication, never another one")
  void trailingSlash() {
    String uri = credentials(site) + "/";
    RawResponse anonymous = it.raw(HttpMethod.GET, uri, Map.of(), null);
    assertThat(anonymous.status()).isEqualTo(401);
    RawResponse foreign = it.raw(HttpMethod.GET, uri, Map.of(), it.token(ItControlPlane.OTHER_ORG, ALL_SCOPES));
    assertThat(foreign.status()).isEqualTo(404);
    RawResponse own = it.raw(HttpMethod.GET, uri, Map.of(), it.token(ALL_SCOPES));
    assertThat(own.status()).isIn(200, 400, 404);
    if (own.status() == 200) {
      assertThat(new io.vertx.core.json.JsonArray(own.body()).getJsonObject(0).getString("site_id")).isEqualTo(site);
    }
  }

  @Test
  @Order(4)
  @DisplayName("very long paths are refused with 414 or 400, long site ids with 400 invalid_site_id")
  void longPaths() {
    String token = it.token(ALL_SCOPES);
    RawResponse huge = it.raw(HttpMethod.GET, "/control-plane/" + "a".repeat(20_000) + "/credentials", Map.of(),
        token);
    assertThat(huge.status()).isIn(400, 414);
    RawResponse longId = it.raw(HttpMethod.GET, "/control-plane/" + site + "0".repeat(2000) + "/credentials",
        Map.of(), token);
    assertClean4xx(longId, "long site id");
    assertThat(new JsonObject(longId.body()).getString("code")).isEqualTo("invalid_site_id");
    RawResponse manySegments = it.raw(HttpMethod.GET, "/control-plane/" + site + "/credentials" + "/x".repeat(1000),
        Map.of(), token);
    assertClean4xx(manySegments, "many segments");
  }

  @Test
  @Order(5)
  @DisplayName("a header flood, a huge header and a huge bearer token are refused with 431 or 400/401, and the "
      + "service keeps serving")
  void headerFloods() {
    String token = it.token(ALL_SCOPES);
    Map<String, String> many = new LinkedHashMap<>();
    for (int i = 0; i < 400; i++) {
      many.put("X-Flood-" + i, "v".repeat(40));
    }
    RawResponse flood = it.raw(HttpMethod.GET, credentials(site), many, token);
    assertThat(flood.status()).isIn(400, 431);
    assertThat(flood.body()).doesNotContain("\"password\"");

    RawResponse hugeHeader = it.raw(HttpMethod.GET, credentials(site), Map.of("X-Huge", "h".repeat(64 * 1024)),
        token);
    assertThat(hugeHeader.status()).isIn(400, 431);

    RawResponse hugeToken = it.raw(HttpMethod.GET, credentials(site), Map.of(), token + "A".repeat(32 * 1024));
    assertThat(hugeToken.status()).isIn(400, 401, 431);
    assertThat(hugeToken.body()).doesNotContain("\"password\"");

    // A token just under the header limit but invalid: a clean 401 that does not echo it.
    String padded = "eyJhbGciOiJIUzI1NiJ9." + "A".repeat(6000) + ".sig";
    HttpResponse<Buffer> r = it.call(HttpMethod.GET, credentials(site), padded);
    it.assertError(r, 401, "unauthorized", "listCredentials");
    assertThat(r.bodyAsString() + r.getHeader("WWW-Authenticate")).doesNotContain("AAAAAAAAAAAAAAAA");

    // Many Idempotency-Key headers at once are refused or use one key: never two rotations.
    HttpResponse<Buffer> health = it.call(HttpMethod.GET, "/health/live", null);
    assertThat(health.statusCode()).isEqualTo(200);
  }

  @Test
  @Order(6)
  @DisplayName("wrong methods and unknown routes are 405 and 404 in the error shape")
  void methodsAndRoutes() {
    String token = it.token(ALL_SCOPES);
    HttpResponse<Buffer> patch = it.call(HttpMethod.PATCH, credentials(site), token);
    assertThat(patch.statusCode()).isIn(404, 405);
    assertThat(patch.bodyAsJsonObject().fieldNames()).containsExactlyInAnyOrder("type", "code", "message");
    HttpResponse<Buffer> nowhere = it.call(HttpMethod.GET, "/control-plane/" + site + "/secrets", token);
    assertThat(nowhere.statusCode()).isEqualTo(404);
    assertThat(nowhere.bodyAsJsonObject().getString("code")).isIn("not_found", "site_not_found");
  }

  @Test
  @Order(100)
  @DisplayName("after all that, a normal rotation succeeds and the router takes the new password")
  void stillRotates() {
    JsonObject credential = it.rotate(site);
    assertThat(it.routerPassword(ROUTER)).isEqualTo(credential.getString("password"));
    assertThat(it.logsIn(ROUTER, credential.getString("password"))).isTrue();
    HttpResponse<Buffer> read = it.call(HttpMethod.GET, credentials(site), it.token(ALL_SCOPES));
    assertThat(read.bodyAsJsonArray().getJsonObject(0).getString("id")).isEqualTo(credential.getString("id"));
  }
}
