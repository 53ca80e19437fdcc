package controlplane.http;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.auth.JWTOptions;
import io.vertx.ext.auth.PubSecKeyOptions;
import io.vertx.ext.auth.jwt.JWTAuth;
import io.vertx.ext.auth.jwt.JWTAuthOptions;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A local identity provider for tests: an HTTP server on 127.0.0.1 serving a JWKS document that the test changes at
 * will (or an error), counting the requests it gets; and its signing keys.
 */
public final class IdentityProvider {

  /** An RSA key pair under a key id: its public JWK, and RS256 tokens signed with it. */
  public record SigningKey(String kid, KeyPair pair) {

    public static SigningKey generate(String kid) {
      try {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
        generator.initialize(2048);
        return new SigningKey(kid, generator.generateKeyPair());
      } catch (Exception e) {
        throw new IllegalStateException(e);
      }
    }

    public JsonObject jwk() {
      return Keys.rsaJwk(pair, kid);
    }

    /** {@link #claims()} signed with this key. */
    public String token() {
      return token(claims());
    }

    /** {@code claims} signed RS256 with this key, its kid in the header. */
    public String token(JsonObject claims) {
      PubSecKeyOptions key = new PubSecKeyOptions().setAlgorithm("RS256").setBuffer(Keys.privatePem(pair)).setId(kid);
      JWTOptions options = new JWTOptions().setAlgorithm("RS256").setNoTimestamp(true)
        .setHeader(new JsonObject().put("kid", kid));
      return JWTAuth.create(null, new JWTAuthOptions().addPubSecKey(key)).generateToken(claims, options);
    }
  }

  private final HttpServer server;
  private final AtomicInteger requests = new AtomicInteger();
  private volatile int status = 200;
  private volatile String body = new JsonObject().put("keys", new JsonArray()).encode();

  private IdentityProvider(Vertx vertx) {
    this.server = HttpTestBase.await(vertx.createHttpServer()
      .requestHandler(req -> {
        requests.incrementAndGet();
        req.response().setStatusCode(status).putHeader("Content-Type", "application/json").end(body);
      })
      .listen(0, "127.0.0.1"));
  }

  /** A provider listening on a free port, serving an empty key set until told otherwise. */
  public static IdentityProvider start(Vertx vertx) {
    return new IdentityProvider(vertx);
  }

  public String jwksUrl() {
    return "http://127.0.0.1:" + server.actualPort() + "/.well-known/jwks.json";
  }

  /** Serves a JWKS of the public keys of {@code keys} from now on. */
  public IdentityProvider publish(SigningKey... keys) {
    JsonArray jwks = new JsonArray();
    for (SigningKey key : keys) {
      jwks.add(key.jwk());
    }
    return serve(200, new JsonObject().put("keys", jwks).encode());
  }

  /** Serves {@code body} with {@code status} from now on. */
  public IdentityProvider serve(int status, String body) {
    this.status = status;
    this.body = body;
    return this;
  }

  /** Requests received so far. */
  public int requests() {
    return requests.get();
  }

  /** Claims the API accepts: organisation {@link HttpTestBase#ORG}, every scope, valid for five minutes. */
  public static JsonObject claims() {
    long now = Instant.now().getEpochSecond();
    return new JsonObject().put("sub", "alice").put("org_id", HttpTestBase.ORG).put("scope", HttpTestBase.ALL_SCOPES)
      .put("iat", now).put("exp", now + 300);
  }
}
