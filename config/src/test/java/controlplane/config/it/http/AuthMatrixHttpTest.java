package controlplane.config.it.http;

import static controlplane.config.it.http.ItControlPlane.ALL_SCOPES;
import static controlplane.config.it.http.ItControlPlane.ORG;
import static controlplane.config.it.http.ItControlPlane.OTHER_ORG;
import static controlplane.config.it.http.ItControlPlane.SECRET;
import static controlplane.config.it.http.ItControlPlane.credentials;
import static controlplane.config.it.http.ItControlPlane.sitePath;
import static org.assertj.core.api.Assertions.assertThat;

import controlplane.config.it.http.ItControlPlane.Router;
import controlplane.http.TokenMinter;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.UUID;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The auth matrix against the real service configured with an HS256 secret, an issuer and an audience: every bad
 * token is a 401 that leaks nothing and touches no router; scope and organisation are enforced.
 */
@DisplayName("Auth matrix against the real service")
class AuthMatrixHttpTest {

  static final String ISSUER = "https://issuer.it.example";
  static final String AUDIENCE = "control-plane-it";
  private static final Router ROUTER = Router.plain("auth-r1", "127.0.73.1", 38728);
  private static final Base64.Encoder B64 = Base64.getUrlEncoder().withoutPadding();

  @TempDir
  static Path tempDir;
  static ItControlPlane it;
  static String site;

  @BeforeAll
  static void start() {
    it = ItControlPlane.start(tempDir, List.of(ROUTER), config -> config.getJsonObject("auth")
        .getJsonObject("jwt").put("issuer", ISSUER).put("audience", AUDIENCE));
    site = it.enrol(ROUTER);
  }

  @AfterAll
  static void stop() {
    if (it != null) {
      try {
        ItControlPlane.assertNoneContains("log events", it.logLines(), it.secrets());
      } finally {
        it.close();
      }
    }
  }

  static JsonObject claims() {
    long now = Instant.now().getEpochSecond();
    return new JsonObject().put("sub", "mallory").put("org_id", ORG).put("scope", ALL_SCOPES)
        .put("iat", now).put("exp", now + 300).put("iss", ISSUER).put("aud", AUDIENCE);
  }

  static String withHeader(String headerJson, JsonObject claims, String signature) {
    return B64.encodeToString(headerJson.getBytes(StandardCharsets.UTF_8)) + "."
        + B64.encodeToString(claims.encode().getBytes(StandardCharsets.UTF_8)) + "." + signature;
  }

  static Stream<Arguments> badTokens() {
    long now = Instant.now().getEpochSecond();
    JsonObject noExp = claims();
    noExp.remove("exp");
    JsonObject noIss = claims();
    noIss.remove("iss");
    JsonObject noAud = claims();
    noAud.remove("aud");
    String valid = TokenMinter.sign(SECRET, claims());
    String[] parts = valid.split("\\.");
    String tamperedPayload = B64.encodeToString(claims().put("org_id", OTHER_ORG).encode()
        .getBytes(StandardCharsets.UTF_8));
    return Stream.of(
        Arguments.of("malformed: not a JWT", "not-a-jwt"),
        Arguments.of("malformed: three junk segments", "a.b.c"),
        Arguments.of("malformed: non-base64 segments", "%%%.###.!!!"),
        Arguments.of("malformed: two segments", parts[0] + "." + parts[1]),
        Arguments.of("bad signature (another secret)",
            TokenMinter.sign("another-secret-0123456789-0123456789-xyz", claims())),
        Arguments.of("payload altered after signing", parts[0] + "." + tamperedPayload + "." + parts[2]),
        Arguments.of("alg none, no signature", withHeader("{\"alg\":\"none\",\"typ\":\"JWT\"}", claims(), "")),
        Arguments.of("alg none, HS256 signature kept",
            withHeader("{\"alg\":\"none\",\"typ\":\"JWT\"}", claims(), parts[2])),
        Arguments.of("alg RS256 that no key verifies",
            withHeader("{\"alg\":\"RS256\",\"typ\":\"JWT\"}", claims(), parts[2])),
        Arguments.of("expired", TokenMinter.sign(SECRET, claims().put("iat", now - 7200).put("exp", now - 3600))),
        Arguments.of("no exp", TokenMinter.sign(SECRET, noExp)),
        Arguments.of("not yet valid (nbf in an hour)", TokenMinter.sign(SECRET, claims().put("nbf", now + 3600))),
        Arguments.of("wrong issuer", TokenMinter.sign(SECRET, claims().put("iss", "https://evil.example"))),
        Arguments.of("no issuer", TokenMinter.sign(SECRET, noIss)),
        Arguments.of("wrong audience", TokenMinter.sign(SECRET, claims().put("aud", "someone-else"))),
        Arguments.of("no audience", TokenMinter.sign(SECRET, noAud)));
  }

  @Test
  @DisplayName("a token with issuer, audience, scope and organisation right is accepted")
  void validToken() {
    HttpResponse<Buffer> r = it.call(HttpMethod.GET, credentials(site), TokenMinter.sign(SECRET, claims()));
    assertThat(r.statusCode()).as(r.bodyAsString()).isEqualTo(200);
    it.assertMatchesContract(r, "listCredentials");
  }

  @Test
  @DisplayName("no Authorization header, or another scheme, is 401 with WWW-Authenticate: Bearer and no error "
      + "attribute")
  void missing() {
    HttpResponse<Buffer> none = it.call(HttpMethod.POST, credentials(site), null);
    it.assertError(none, 401, "unauthorized", "rotateCredentials");
    assertThat(none.getHeader("WWW-Authenticate")).isEqualTo("Bearer");

    HttpResponse<Buffer> basic = it.send(it.request(HttpMethod.GET, credentials(site), null)
        .putHeader("Authorization", "Basic YWxpY2U6c2VjcmV0"), null);
    it.assertError(basic, 401, "unauthorized", "listCredentials");
    assertThat(basic.getHeader("WWW-Authenticate")).startsWith("Bearer");

    HttpResponse<Buffer> empty = it.send(it.request(HttpMethod.GET, credentials(site), null)
        .putHeader("Authorization", "Bearer "), null);
    it.assertError(empty, 401, "unauthorized", "listCredentials");
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("badTokens")
  @DisplayName("an invalid token is 401 invalid_token on read and on rotation, leaks nothing, and the router is not "
      + "touched")
  void invalidToken(String why, String token) {
    String before = it.routerPassword(ROUTER);
    int rotations = it.auditRows(site, "credential.rotate", "pending");

    HttpResponse<Buffer> read = it.call(HttpMethod.GET, credentials(site), token);
    JsonObject e = it.assertError(read, 401, "unauthorized", "listCredentials");
    assertThat(e.getString("type")).isEqualTo("authentication_error");
    assertThat(read.getHeader("WWW-Authenticate")).as(why).startsWith("Bearer error=\"invalid_token\"");
    assertThat(read.bodyAsString()).doesNotContain(before).doesNotContain(SECRET);
    if (token.length() > 12) {
      assertThat(read.bodyAsString() + read.getHeader("WWW-Authenticate")).doesNotContain(token);
    }

    HttpResponse<Buffer> rotate = it.call(HttpMethod.POST, credentials(site), token);
    it.assertError(rotate, 401, "unauthorized", "rotateCredentials");
    it.assertError(it.callJson(HttpMethod.PUT, sitePath(site), token, it.currentEnrolment(ROUTER)), 401,
        "unauthorized", "enrolSite");
    assertThat(it.routerPassword(ROUTER)).isEqualTo(before);
    assertThat(it.auditRows(site, "credential.rotate", "pending")).isEqualTo(rotations);
  }

  @Test
  @DisplayName("a valid token lacking the scope is 403 forbidden with insufficient_scope, and nothing rotates")
  void missingScope() {
    String before = it.routerPassword(ROUTER);
    String readOnly = TokenMinter.sign(SECRET, claims().put("scope", "credentials:read"));
    HttpResponse<Buffer> r = it.call(HttpMethod.POST, credentials(site), readOnly);
    JsonObject e = it.assertError(r, 403, "forbidden", "rotateCredentials");
    assertThat(e.getString("type")).isEqualTo("permission_error");
    assertThat(r.getHeader("WWW-Authenticate")).contains("insufficient_scope");
    // A scope that merely contains the name is not the scope.
    it.assertError(it.call(HttpMethod.POST, credentials(site),
        TokenMinter.sign(SECRET, claims().put("scope", "credentials:rotate:all credentials:rotat"))), 403,
        "forbidden", "rotateCredentials");
    it.assertError(it.call(HttpMethod.GET, credentials(site),
        TokenMinter.sign(SECRET, claims().put("scope", "sites:write"))), 403, "forbidden", "listCredentials");
    assertThat(it.routerPassword(ROUTER)).isEqualTo(before);
  }

  @Test
  @DisplayName("a token of another organisation gets the same 404 site_not_found as a missing site, on every "
      + "operation, and the router is not touched")
  void otherOrganisation() {
    String before = it.routerPassword(ROUTER);
    String other = TokenMinter.sign(SECRET, claims().put("org_id", OTHER_ORG));
    String missing = UUID.randomUUID().toString();
    JsonObject foreign = it.assertError(it.call(HttpMethod.POST, credentials(site), other), 404, "site_not_found",
        "rotateCredentials");
    JsonObject absent = it.assertError(it.call(HttpMethod.POST, credentials(missing), other), 404, "site_not_found",
        "rotateCredentials");
    assertThat(foreign).isEqualTo(absent);
    it.assertError(it.call(HttpMethod.GET, credentials(site), other), 404, "site_not_found", "listCredentials");
    it.assertError(it.call(HttpMethod.GET, sitePath(site), other), 404, "site_not_found", "getSite");
    it.assertError(it.call(HttpMethod.DELETE, sitePath(site), other), 404, "site_not_found", "deleteSite");
    assertThat(it.routerPassword(ROUTER)).isEqualTo(before);
    HttpResponse<Buffer> stillThere = it.call(HttpMethod.GET, sitePath(site), it.token(ALL_SCOPES));
    assertThat(stillThere.statusCode()).isEqualTo(200);
  }

  @Test
  @DisplayName("a token without org_id or with a non-string org_id is refused")
  void badOrgClaim() {
    JsonObject noOrg = claims();
    noOrg.remove("org_id");
    HttpResponse<Buffer> r = it.call(HttpMethod.GET, credentials(site), TokenMinter.sign(SECRET, noOrg));
    assertThat(r.statusCode()).isIn(401, 403);
    it.assertMatchesContract(r, "listCredentials");
    HttpResponse<Buffer> n = it.call(HttpMethod.GET, credentials(site),
        TokenMinter.sign(SECRET, claims().put("org_id", 42)));
    assertThat(n.statusCode()).isIn(401, 403, 404);
    it.assertMatchesContract(n, "listCredentials");
    assertThat(n.bodyAsString()).doesNotContain("password");
  }
}
