package controlplane.http;

import static org.assertj.core.api.Assertions.assertThat;

import controlplane.core.bus.Addresses;
import controlplane.core.bus.Failure;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.auth.JWTOptions;
import io.vertx.ext.auth.PubSecKeyOptions;
import io.vertx.ext.auth.jwt.JWTAuth;
import io.vertx.ext.auth.jwt.JWTAuthOptions;
import io.vertx.ext.web.client.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class AuthTest extends HttpTestBase {

  private final String credentials = "/control-plane/" + SITE + "/credentials";

  static JsonObject claims() {
    long now = Instant.now().getEpochSecond();
    return new JsonObject().put("sub", "alice").put("org_id", ORG).put("scope", ALL_SCOPES)
      .put("iat", now).put("exp", now + 300);
  }

  HttpResponse<Buffer> get(int targetPort, String token) {
    var req = request(targetPort, HttpMethod.GET, credentials);
    if (token != null) {
      req.bearerTokenAuthentication(token);
    }
    return await(req.send());
  }

  HttpResponse<Buffer> get(String token) {
    return get(port, token);
  }

  static void assertInvalidToken(HttpResponse<Buffer> response) {
    JsonObject error = assertError(response, 401, "unauthorized");
    assertThat(error.getString("type")).isEqualTo("authentication_error");
    assertThat(response.getHeader("WWW-Authenticate")).startsWith("Bearer error=\"invalid_token\"");
  }

  String rsaToken(KeyPair pair, String algorithm, JsonObject claims, String kid) {
    PubSecKeyOptions key = new PubSecKeyOptions().setAlgorithm(algorithm).setBuffer(Keys.privatePem(pair));
    JWTOptions options = new JWTOptions().setAlgorithm(algorithm).setNoTimestamp(true);
    if (kid != null) {
      key.setId(kid);
      options.setHeader(new JsonObject().put("kid", kid));
    }
    JWTAuth signer = JWTAuth.create(vertx, new JWTAuthOptions().addPubSecKey(key));
    return signer.generateToken(claims, options);
  }

  static String unsigned(JsonObject claims) {
    Base64.Encoder b64 = Base64.getUrlEncoder().withoutPadding();
    return b64.encodeToString("{\"alg\":\"none\",\"typ\":\"JWT\"}".getBytes(StandardCharsets.UTF_8)) + "."
      + b64.encodeToString(claims.encode().getBytes(StandardCharsets.UTF_8)) + ".";
  }

  HttpConfig withKeys(String secret, List<String> publicKeys, String jwksUrl, String issuer, String audience) {
    return new HttpConfig("127.0.0.1", 0, 1024, 2_000, secret, publicKeys, jwksUrl, issuer, audience, 5);
  }

  @Test
  @DisplayName("a token from TokenMinter with the right scope is accepted")
  void minted() {
    HttpResponse<Buffer> response = get(token("credentials:read"));

    assertThat(response.statusCode()).isEqualTo(200);
  }

  @Test
  @DisplayName("no Authorization header: 401 with WWW-Authenticate: Bearer and no error attribute")
  void missing() {
    HttpResponse<Buffer> response = get(null);

    assertError(response, 401, "unauthorized");
    assertThat(response.getHeader("WWW-Authenticate")).isEqualTo("Bearer");
    assertThat(core.received(Addresses.CREDENTIALS_GET)).isEmpty();
  }

  @Test
  @DisplayName("another authentication scheme is treated as no bearer token")
  void otherScheme() {
    HttpResponse<Buffer> response = await(request(HttpMethod.GET, credentials)
      .putHeader("Authorization", "Basic YWxpY2U6c2VjcmV0").send());

    assertError(response, 401, "unauthorized");
    assertThat(response.getHeader("WWW-Authenticate")).isEqualTo("Bearer");
  }

  @Test
  @DisplayName("a malformed token is a 401 invalid_token")
  void malformed() {
    assertInvalidToken(get("not-a-jwt"));
    assertInvalidToken(get("a.b.c"));
    assertInvalidToken(get("%%%.###.!!!"));
  }

  @Test
  @DisplayName("a token signed with another secret is a 401 invalid_token")
  void badSignature() {
    assertInvalidToken(get(TokenMinter.sign("another-secret-0123456789-0123456789", claims())));
  }

  @Test
  @DisplayName("a token whose payload was altered after signing is a 401")
  void tampered() {
    String[] parts = token("credentials:read").split("\\.");
    String forged = Base64.getUrlEncoder().withoutPadding()
      .encodeToString(claims().put("org_id", "org-b").encode().getBytes(StandardCharsets.UTF_8));

    assertInvalidToken(get(parts[0] + "." + forged + "." + parts[2]));
  }

  @Test
  @DisplayName("an unsigned token (alg none) is a 401")
  void algNone() {
    assertInvalidToken(get(unsigned(claims())));
  }

  @Test
  @DisplayName("an expired token is a 401")
  void expired() {
    long now = Instant.now().getEpochSecond();

    assertInvalidToken(get(TokenMinter.sign(SECRET, claims().put("iat", now - 7200).put("exp", now - 3600))));
  }

  @Test
  @DisplayName("a token without exp is a 401")
  void noExp() {
    JsonObject claims = claims();
    claims.remove("exp");

    assertInvalidToken(get(TokenMinter.sign(SECRET, claims)));
  }

  @Test
  @DisplayName("a token not valid before a future nbf is a 401; a past nbf is honoured and accepted")
  void notBefore() {
    long now = Instant.now().getEpochSecond();

    assertInvalidToken(get(TokenMinter.sign(SECRET, claims().put("nbf", now + 3600))));
    assertThat(get(TokenMinter.sign(SECRET, claims().put("nbf", now - 60))).statusCode()).isEqualTo(200);
  }

  @Test
  @DisplayName("a token without a string org_id or without sub is a 401")
  void missingClaims() {
    JsonObject noOrg = claims();
    noOrg.remove("org_id");
    JsonObject noSub = claims();
    noSub.remove("sub");

    assertInvalidToken(get(TokenMinter.sign(SECRET, noOrg)));
    assertInvalidToken(get(TokenMinter.sign(SECRET, claims().put("org_id", 42))));
    assertInvalidToken(get(TokenMinter.sign(SECRET, noSub)));
  }

  @Test
  @DisplayName("a valid token lacking the operation's scope is a 403 forbidden with insufficient_scope")
  void missingScope() {
    HttpResponse<Buffer> rotate = call(HttpMethod.POST, credentials, token("credentials:read sites:write"));
    HttpResponse<Buffer> read = call(HttpMethod.GET, credentials, token("credentials:rotate"));
    HttpResponse<Buffer> enrol = callJson(HttpMethod.PUT, "/control-plane/" + SITE, token("credentials:rotate"),
      ControlPlaneEndpointsTest.enrolment());
    HttpResponse<Buffer> delete = call(HttpMethod.DELETE, "/control-plane/" + SITE, token("credentials:read"));
    HttpResponse<Buffer> action = callJson(HttpMethod.POST, "/control-plane/" + SITE + "/action",
      token("credentials:read"), new JsonObject().put("action", "site.resend_api_user"));
    HttpResponse<Buffer> none = call(HttpMethod.GET, credentials, TokenMinter.sign(SECRET, claims().put("scope", "")));

    for (HttpResponse<Buffer> response : List.of(rotate, read, enrol, delete, action, none)) {
      JsonObject error = assertError(response, 403, "forbidden");
      assertThat(error.getString("type")).isEqualTo("permission_error");
      assertThat(response.getHeader("WWW-Authenticate")).contains("insufficient_scope");
    }
    assertThat(rotate.getHeader("WWW-Authenticate")).contains("scope=\"credentials:rotate\"");
    assertThat(core.received(Addresses.ROTATE)).isEmpty();
    assertThat(core.received(Addresses.SITE_PUT)).isEmpty();
    assertThat(core.received(Addresses.SITE_DELETE)).isEmpty();
  }

  @Test
  @DisplayName("the scope claim may also be a JSON array")
  void scopeArray() {
    HttpResponse<Buffer> response = get(TokenMinter.sign(SECRET,
      claims().put("scope", new JsonArray().add("credentials:read"))));

    assertThat(response.statusCode()).isEqualTo(200);
  }

  @Test
  @DisplayName("a site of another organisation is a 404 site_not_found: the token's org_id goes to core")
  void otherOrganisation() {
    core.script(Addresses.CREDENTIALS_GET, m -> ORG.equals(m.getString("org_id"))
      ? Future.succeededFuture(ScriptedCore.credential(SITE))
      : Future.failedFuture(Failure.SITE_NOT_FOUND.exception("site not found")));

    HttpResponse<Buffer> other = get(TokenMinter.mint(SECRET, "org-b", "credentials:read", "mallory",
      Duration.ofMinutes(5)));
    HttpResponse<Buffer> own = get(token("credentials:read"));

    assertError(other, 404, "site_not_found");
    assertThat(own.statusCode()).isEqualTo(200);
  }

  @Test
  @DisplayName("with issuer and audience configured, only tokens carrying both are accepted")
  void issuerAndAudience() {
    int checked = await(deployVerticle(withKeys(SECRET, List.of(), null, "https://issuer.example", "control-plane")));
    Duration ttl = Duration.ofMinutes(5);

    HttpResponse<Buffer> good = get(checked, TokenMinter.mint(SECRET, ORG, "credentials:read", "alice", ttl,
      "https://issuer.example", "control-plane"));
    HttpResponse<Buffer> wrongIssuer = get(checked, TokenMinter.mint(SECRET, ORG, "credentials:read", "alice", ttl,
      "https://evil.example", "control-plane"));
    HttpResponse<Buffer> wrongAudience = get(checked, TokenMinter.mint(SECRET, ORG, "credentials:read", "alice", ttl,
      "https://issuer.example", "another-api"));
    HttpResponse<Buffer> neither = get(checked, token("credentials:read"));

    assertThat(good.statusCode()).isEqualTo(200);
    assertInvalidToken(wrongIssuer);
    assertInvalidToken(wrongAudience);
    assertInvalidToken(neither);
  }

  @Test
  @DisplayName("RS256 only: a token signed with the private key passes; HS256 keyed with the public key, none, "
    + "and another RSA key fail")
  void rs256() {
    String publicPem = Keys.publicPem(Keys.RSA);
    int rsaPort = await(deployVerticle(withKeys(null, List.of(publicPem), null, null, null)));

    HttpResponse<Buffer> good = get(rsaPort, rsaToken(Keys.RSA, "RS256", claims(), null));
    HttpResponse<Buffer> confused = get(rsaPort, TokenMinter.sign(publicPem, claims()));
    HttpResponse<Buffer> none = get(rsaPort, unsigned(claims()));
    HttpResponse<Buffer> otherKey = get(rsaPort, rsaToken(Keys.RSA_OTHER, "RS256", claims(), null));
    HttpResponse<Buffer> hs = get(rsaPort, token("credentials:read"));

    assertThat(good.statusCode()).isEqualTo(200);
    assertInvalidToken(confused);
    assertInvalidToken(none);
    assertInvalidToken(otherKey);
    assertInvalidToken(hs);
  }

  @Test
  @DisplayName("an EC public key verifies ES256 tokens")
  void es256() {
    int ecPort = await(deployVerticle(withKeys(null, List.of(Keys.publicPem(Keys.EC)), null, null, null)));

    HttpResponse<Buffer> good = get(ecPort, rsaToken(Keys.EC, "ES256", claims(), null));

    assertThat(good.statusCode()).isEqualTo(200);
  }

  @Test
  @DisplayName("keys from a JWKS URL are loaded at start and verify RS256 tokens")
  void jwks() {
    JsonObject document = new JsonObject().put("keys", new JsonArray().add(Keys.rsaJwk(Keys.RSA, "k1")));
    HttpServer jwksServer = await(vertx.createHttpServer()
      .requestHandler(req -> req.response().putHeader("Content-Type", "application/json").end(document.encode()))
      .listen(0, "127.0.0.1"));
    String url = "http://127.0.0.1:" + jwksServer.actualPort() + "/.well-known/jwks.json";
    int jwksPort = await(deployVerticle(withKeys(null, List.of(), url, null, null)));

    HttpResponse<Buffer> good = get(jwksPort, rsaToken(Keys.RSA, "RS256", claims(), "k1"));
    HttpResponse<Buffer> otherKey = get(jwksPort, rsaToken(Keys.RSA_OTHER, "RS256", claims(), "k1"));

    assertThat(good.statusCode()).isEqualTo(200);
    assertInvalidToken(otherKey);
  }

  @Test
  @DisplayName("without any verification key the verticle refuses to start")
  void noKeys() {
    Future<Integer> deployment = deployVerticle(withKeys(null, List.of(), null, null, null));

    assertThat(deployment.toCompletionStage().toCompletableFuture())
      .failsWithin(Duration.ofSeconds(10))
      .withThrowableThat()
      .withMessageContaining("no JWT verification key");
  }

  @Test
  @DisplayName("an unreachable JWKS URL fails the start")
  void jwksUnreachable() {
    Future<Integer> deployment = deployVerticle(withKeys(null, List.of(), "http://127.0.0.1:1/jwks", null, null));

    assertThat(deployment.toCompletionStage().toCompletableFuture()).failsWithin(Duration.ofSeconds(15));
  }
}
