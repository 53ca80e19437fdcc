package controlplane.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import controlplane.http.IdentityProvider.SigningKey;
import controlplane.http.impl.JwksKeys;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/** The identity provider's keys change while the API runs: tokens follow the JWKS without a restart. */
class JwksRefreshTest extends HttpTestBase {

  private static final SigningKey K1 = SigningKey.generate("k1");
  private static final SigningKey K2 = SigningKey.generate("k2");

  private final String credentials = "/control-plane/" + SITE + "/credentials";
  private final ListAppender<ILoggingEvent> logs = new ListAppender<>();
  private final Logger keysLogger = (Logger) LoggerFactory.getLogger(JwksKeys.class);
  private IdentityProvider idp;

  @BeforeEach
  void provider() {
    idp = IdentityProvider.start(vertx);
    logs.start();
    keysLogger.addAppender(logs);
  }

  @AfterEach
  void release() {
    keysLogger.detachAppender(logs);
  }

  private int deployWithJwks(JwksRefresh refresh) {
    return await(deployVerticle(new HttpConfig("127.0.0.1", 0, 1024, 2_000, null, List.of(), idp.jwksUrl(), null,
      null, 5).withJwksRefresh(refresh)));
  }

  private int status(int apiPort, String token) {
    return await(request(apiPort, HttpMethod.GET, credentials).bearerTokenAuthentication(token).send()).statusCode();
  }

  /** Waits, within a generous bound, for {@code outcome}. */
  private static void eventually(String what, BooleanSupplier outcome) {
    long deadline = System.nanoTime() + 20_000_000_000L;
    while (!outcome.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("not seen within 20 s: " + what);
      }
      try {
        Thread.sleep(100);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError(e);
      }
    }
  }

  /** A token of {@code key} never presented before, so never taken from the cache of verified tokens. */
  private static String fresh(SigningKey key) {
    return key.token(IdentityProvider.claims().put("jti", java.util.UUID.randomUUID().toString()));
  }

  @Test
  @DisplayName("a token signed with a key the provider publishes after start is accepted, without a restart")
  void newKeyWithoutRestart() {
    idp.publish(K1);
    int api = deployWithJwks(new JwksRefresh(3600, 1));
    assertThat(status(api, K1.token())).isEqualTo(200);
    assertThat(status(api, K2.token())).isEqualTo(401);

    idp.publish(K1, K2);

    String token = K2.token();
    eventually("the token of the new key accepted", () -> {
      int status = status(api, token);
      assertThat(status).isIn(200, 401);
      return status == 200;
    });
    assertThat(status(api, fresh(K1))).isEqualTo(200);
  }

  @Test
  @DisplayName("while the provider fails, the last good keys keep verifying, and each failed fetch is logged")
  void providerFailing() {
    idp.publish(K1);
    int api = deployWithJwks(new JwksRefresh(1, 1));
    String cached = K1.token();
    assertThat(status(api, cached)).isEqualTo(200);

    for (String[] answer : new String[][] {{"500", "{\"error\":\"down\"}"}, {"200", "{\"keys\":[]}"},
      {"200", "<html>maintenance</html>"}}) {
      idp.serve(Integer.parseInt(answer[0]), answer[1]);
      int before = idp.requests();
      eventually("two fetches answered " + answer[0] + " " + answer[1], () -> idp.requests() >= before + 2);

      assertThat(status(api, cached)).isEqualTo(200);
      assertThat(status(api, fresh(K1))).as("fresh token while the provider answers %s", answer[1]).isEqualTo(200);
    }
    assertThat(logs.list).filteredOn(e -> e.getLevel() == Level.WARN).extracting(ILoggingEvent::getFormattedMessage)
      .anySatisfy(m -> assertThat(m).contains("could not be fetched (answered HTTP 500)"))
      .anySatisfy(m -> assertThat(m).contains("lists no usable signature key"))
      .allSatisfy(m -> assertThat(m).contains(idp.jwksUrl()).contains("keeping the 1 key(s) of the last good set"));
  }

  @Test
  @DisplayName("a key the provider withdraws stops verifying at the next regular fetch, even for a token the cache "
    + "had verified")
  void withdrawnKey() {
    idp.publish(K1, K2);
    int api = deployWithJwks(new JwksRefresh(1, 3600));
    String token = K1.token();
    assertThat(status(api, token)).isEqualTo(200);
    assertThat(status(api, token)).isEqualTo(200);

    idp.publish(K2);

    eventually("the token of the withdrawn key refused", () -> status(api, token) == 401);
    assertThat(status(api, fresh(K2))).isEqualTo(200);
  }

  @Test
  @DisplayName("tokens naming unknown keys do not make the API fetch the JWKS more than once per "
    + "jwksMinRefreshSeconds (count the provider's requests)")
  void rateLimited() {
    idp.publish(K1);
    int api = deployWithJwks(new JwksRefresh(3600, 3600));
    assertThat(idp.requests()).isEqualTo(1);

    for (int i = 0; i < 20; i++) {
      SigningKey unknown = new SigningKey("kid-" + i, K2.pair());
      assertThat(status(api, unknown.token())).isEqualTo(401);
    }

    assertThat(idp.requests()).isEqualTo(1);
    assertThat(status(api, K1.token())).isEqualTo(200);
  }

  @Test
  @DisplayName("refused at start, naming the key: a JWKS over http:// to a host that is not loopback; an HS256 "
    + "secret of 12 bytes")
  void refusedAtStart() {
    JsonObject plainJwks = new JsonObject().put("auth", new JsonObject().put("jwt",
      new JsonObject().put("jwksUrl", "http://idp.example/.well-known/jwks.json")));
    JsonObject shortSecret = new JsonObject().put("auth", new JsonObject().put("jwt",
      new JsonObject().put("hs256Secret", "twelve-bytes")));

    assertThatThrownBy(() -> HttpConfig.fromJson(plainJwks)).hasMessageStartingWith("auth.jwt.jwksUrl must use https");
    assertThatThrownBy(() -> HttpConfig.fromJson(shortSecret))
      .hasMessageStartingWith("auth.jwt.hs256Secret must be at least 32 bytes");
    assertThat(idp.requests()).isZero();
  }
}
