package controlplane.http;

import static org.assertj.core.api.Assertions.assertThat;

import controlplane.core.bus.Addresses;
import controlplane.http.impl.ApiRouter;
import controlplane.http.impl.ControlPlaneHandlers;
import controlplane.http.impl.CoreClient;
import controlplane.http.impl.DeletedSitesHandlers;
import controlplane.http.impl.JobsHandlers;
import controlplane.http.impl.OperationsHandlers;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.auth.JWTOptions;
import io.vertx.ext.auth.PubSecKeyOptions;
import io.vertx.ext.auth.User;
import io.vertx.ext.auth.authentication.Credentials;
import io.vertx.ext.auth.jwt.JWTAuth;
import io.vertx.ext.auth.jwt.JWTAuthOptions;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.client.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** Repeated bearer tokens are verified once and cached; the cache never changes an outcome. */
class TokenCacheTest extends HttpTestBase {

  private final String credentials = "/control-plane/" + SITE + "/credentials";

  private HttpResponse<Buffer> read(int targetPort, String token) {
    var req = request(targetPort, HttpMethod.GET, credentials);
    req.bearerTokenAuthentication(token);
    return await(req.send());
  }

  private HttpResponse<Buffer> rotate(int targetPort, String token) {
    var req = request(targetPort, HttpMethod.POST, credentials);
    req.bearerTokenAuthentication(token);
    return await(req.send());
  }

  private static String resigned(String token, String secret) {
    return TokenMinter.sign(secret, TokenMinterTest.payload(token));
  }

  @Test
  @DisplayName("the same valid token twice: both requests succeed")
  void sameTokenTwice() {
    String token = token("credentials:read");

    assertThat(read(port, token).statusCode()).isEqualTo(200);
    assertThat(read(port, token).statusCode()).isEqualTo(200);
    assertThat(core.received(Addresses.CREDENTIALS_GET)).hasSize(2);
  }

  @Test
  @DisplayName("a token that expires while cached is a 401 invalid_token once exp has passed (no leeway)")
  void expiresWhileCached() throws InterruptedException {
    int strict = await(deployVerticle(new HttpConfig("127.0.0.1", 0, 1024, 2_000, SECRET, List.of(), null, null,
      null, 0)));
    long exp = Instant.now().getEpochSecond() + 2;
    String token = TokenMinter.sign(SECRET, AuthTest.claims().put("exp", exp));

    assertThat(read(strict, token).statusCode()).isEqualTo(200);
    while (System.currentTimeMillis() / 1000 < exp) {
      Thread.sleep(50);
    }
    AuthTest.assertInvalidToken(read(strict, token));
    assertThat(core.received(Addresses.CREDENTIALS_GET)).hasSize(1);
  }

  @Test
  @DisplayName("a cached token lacking the operation's scope is a 403 every time, and still serves its own scope")
  void cachedWithoutScope() {
    String token = token("credentials:rotate");

    for (int i = 0; i < 3; i++) {
      assertThat(assertError(read(port, token), 403, "forbidden").getString("type")).isEqualTo("permission_error");
    }
    assertThat(rotate(port, token).statusCode()).isEqualTo(200);
    assertThat(read(port, token).statusCode()).isEqualTo(403);
    assertThat(core.received(Addresses.CREDENTIALS_GET)).isEmpty();
  }

  @Test
  @DisplayName("a cached token's payload under a tampered or foreign signature is a 401")
  void tamperedSignature() {
    String token = token("credentials:read");
    assertThat(read(port, token).statusCode()).isEqualTo(200);
    String[] parts = token.split("\\.");
    char first = parts[2].charAt(0);
    String flipped = parts[0] + "." + parts[1] + "." + (first == 'A' ? 'B' : 'A') + parts[2].substring(1);
    String foreign = resigned(token, "another-secret-0123456789-0123456789");

    assertThat(foreign).startsWith(parts[0] + "." + parts[1] + ".").isNotEqualTo(token);
    AuthTest.assertInvalidToken(read(port, flipped));
    AuthTest.assertInvalidToken(read(port, foreign));
    AuthTest.assertInvalidToken(read(port, parts[0] + "." + parts[1] + "."));
    assertThat(read(port, token).statusCode()).isEqualTo(200);
  }

  @Test
  @DisplayName("tokens of org A and org B, each cached: every request acts for its own token's org and subject")
  void ownOrganisation() {
    String a = TokenMinter.mint(SECRET, "org-a", "credentials:rotate", "alice", Duration.ofMinutes(5));
    String b = TokenMinter.mint(SECRET, "org-b", "credentials:rotate", "mallory", Duration.ofMinutes(5));

    for (String token : List.of(a, b, a, b)) {
      assertThat(rotate(port, token).statusCode()).isEqualTo(200);
    }

    assertThat(core.received(Addresses.ROTATE)).extracting(m -> m.getString("org_id") + "/" + m.getString("actor"))
      .containsExactly("org-a/alice", "org-b/mallory", "org-a/alice", "org-b/mallory");
  }

  @Test
  @DisplayName("one router verifies a token once for all its operations; refused tokens are verified every time")
  void verifiedOnce() {
    AtomicInteger verifications = new AtomicInteger();
    int counted = await(listen(counting(verifications)));
    String token = token("credentials:read credentials:rotate");
    JsonObject noOrg = AuthTest.claims();
    noOrg.remove("org_id");
    String orgless = TokenMinter.sign(SECRET, noOrg);
    String foreign = resigned(token, "another-secret-0123456789-0123456789");

    assertThat(read(counted, token).statusCode()).isEqualTo(200);
    assertThat(read(counted, token).statusCode()).isEqualTo(200);
    assertThat(rotate(counted, token).statusCode()).isEqualTo(200);
    assertThat(verifications).hasValue(1);

    for (int i = 0; i < 2; i++) {
      AuthTest.assertInvalidToken(read(counted, foreign));
      AuthTest.assertInvalidToken(read(counted, orgless));
    }
    assertThat(verifications).hasValue(5);
  }

  /** The verifier of the test secret, counting its verifications. */
  private JWTAuth counting(AtomicInteger verifications) {
    JWTAuth provider = JWTAuth.create(vertx, new JWTAuthOptions()
      .setJWTOptions(new JWTOptions().setLeeway(5))
      .addPubSecKey(new PubSecKeyOptions().setAlgorithm("HS256").setBuffer(SECRET)));
    return new JWTAuth() {
      @Override
      public Future<User> authenticate(Credentials credentials) {
        verifications.incrementAndGet();
        return provider.authenticate(credentials);
      }

      @Override
      public String generateToken(JsonObject claims, JWTOptions options) {
        return provider.generateToken(claims, options);
      }

      @Override
      public String generateToken(JsonObject claims) {
        return provider.generateToken(claims);
      }
    };
  }

  /** A server with the router {@link HttpVerticle} builds, around {@code jwt}. */
  private Future<Integer> listen(JWTAuth jwt) {
    CoreClient coreClient = new CoreClient(vertx, 2_000);
    Map<String, Handler<RoutingContext>> handlers = new HashMap<>();
    handlers.putAll(new ControlPlaneHandlers(coreClient).byOperationId());
    handlers.putAll(new DeletedSitesHandlers(coreClient).byOperationId());
    handlers.putAll(new JobsHandlers(coreClient).byOperationId());
    handlers.putAll(new controlplane.http.impl.RotationPolicyHandlers(coreClient).byOperationId());
    handlers.putAll(new OperationsHandlers(vertx, coreClient, registry, api.yaml()).byOperationId());
    Router router = ApiRouter.create(vertx, api, jwt, 1024, handlers);
    return vertx.createHttpServer().requestHandler(router).listen(0, "127.0.0.1").map(s -> s.actualPort());
  }
}
