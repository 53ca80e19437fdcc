package controlplane.http.impl;

import static org.assertj.core.api.Assertions.assertThat;

import controlplane.http.HttpConfig;
import controlplane.http.IdentityProvider;
import controlplane.http.IdentityProvider.SigningKey;
import controlplane.http.JwksRefresh;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.ext.auth.authentication.TokenCredentials;
import io.vertx.junit5.VertxExtension;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * {@link JwksKeys} against a local identity provider, on a clock the test moves: when the JWKS is fetched again,
 * and what a fetch changes.
 */
@ExtendWith(VertxExtension.class)
class JwksKeysTest {

  private static final SigningKey K1 = SigningKey.generate("k1");
  private static final SigningKey K2 = SigningKey.generate("k2");
  private static final SigningKey K3 = SigningKey.generate("k3");

  private final AtomicLong clock = new AtomicLong(1_000_000_000L);
  private Vertx vertx;
  private IdentityProvider idp;
  private JwksKeys keys;
  private final AtomicInteger changes = new AtomicInteger();

  @BeforeEach
  void start(Vertx vertx) {
    this.vertx = vertx;
    idp = IdentityProvider.start(vertx).publish(K1);
    HttpConfig config = new HttpConfig("127.0.0.1", 0, 1024, 2_000, null, List.of(), idp.jwksUrl(), null, null, 5)
      .withJwksRefresh(new JwksRefresh(3600, 30));
    keys = await(JwtAuthFactory.create(vertx, config, clock::get));
    keys.onChange(changes::incrementAndGet);
  }

  @Test
  @DisplayName("unknown kids fetch the JWKS again at most once per jwksMinRefreshSeconds; concurrent ones share a "
    + "fetch; a known kid never fetches")
  void rateLimited() {
    assertThat(idp.requests()).isEqualTo(1);
    idp.publish(K1, K2);

    assertThat(verifies(K2.token())).isFalse();
    clock.addAndGet(29_999);
    assertThat(verifies(K2.token())).isFalse();
    assertThat(idp.requests()).isEqualTo(1);

    clock.addAndGet(1);
    List<Future<?>> concurrent = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      concurrent.add(keys.authenticate(new TokenCredentials(K2.token())));
    }
    await(Future.all(concurrent));
    assertThat(idp.requests()).isEqualTo(2);

    for (int i = 0; i < 3; i++) {
      assertThat(verifies(K3.token())).isFalse();
    }
    assertThat(idp.requests()).isEqualTo(2);
    clock.addAndGet(30_000);
    assertThat(verifies(K3.token())).isFalse();
    assertThat(idp.requests()).isEqualTo(3);

    assertThat(verifies(K1.token())).isTrue();
    assertThat(verifies(K2.token())).isTrue();
    assertThat(idp.requests()).isEqualTo(3);
  }

  @Test
  @DisplayName("a fetch that fails, finds no usable key or finds the same keys changes nothing; another key set is "
    + "installed and announced")
  void lastGoodSetKept() {
    List<String> failures = List.of("{\"keys\":[]}", "not json", "{\"keys\":[{\"kty\":\"oct\",\"k\":\"AAAA\"}]}");
    serveAndFetch(500, "{\"error\":\"unavailable\"}");
    for (String body : failures) {
      serveAndFetch(200, body);
    }
    idp.publish(K1);
    serveAndFetch(200, null);
    assertThat(idp.requests()).isEqualTo(6);
    assertThat(changes).hasValue(0);
    assertThat(verifies(K1.token())).isTrue();

    idp.publish(K2);
    clock.addAndGet(30_000);
    assertThat(verifies(K2.token())).isTrue();
    assertThat(changes).hasValue(1);
    assertThat(verifies(K1.token())).isFalse();
  }

  /** Makes the provider answer {@code status} and {@code body} (when not null), and a fetch happen. */
  private void serveAndFetch(int status, String body) {
    if (body != null) {
      idp.serve(status, body);
    }
    int before = idp.requests();
    clock.addAndGet(30_000);
    assertThat(verifies(K3.token())).isFalse();
    assertThat(idp.requests()).isEqualTo(before + 1);
    assertThat(verifies(K1.token())).as("after answer %d %s", status, body).isTrue();
  }

  private boolean verifies(String token) {
    try {
      keys.authenticate(new TokenCredentials(token)).toCompletionStage().toCompletableFuture().get(20, TimeUnit.SECONDS);
      return true;
    } catch (ExecutionException refused) {
      return false;
    } catch (InterruptedException | TimeoutException e) {
      throw new AssertionError("no verdict on the token", e);
    }
  }

  private static <T> T await(Future<T> future) {
    try {
      return future.await(20, TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new AssertionError("future failed: " + e, e);
    }
  }
}
