package controlplane.device.client;

import static org.assertj.core.api.Assertions.assertThat;

import controlplane.device.testing.FakeRouter;
import controlplane.device.testing.RouterBehaviours;
import controlplane.device.testing.TestCertificate;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * API-SSL identity: a router is trusted by the pin of its certificate (any certificate when there is no pin yet,
 * reported so that it can be pinned), and with {@code trustPem} also by a chain to those certificates that names the
 * address dialled. A refused certificate fails the handshake: the router receives nothing.
 */
@ExtendWith(VertxExtension.class)
class RouterOsClientTlsTest {

  /** The certificate under {@code tls/}: names 127.0.0.1 and localhost. */
  private static final String ROUTER_PEM = resource("tls/router-cert.pem");

  private static final FakeRouter.Behaviour LOGIN = RouterBehaviours.plainLogin("admin", "pw");

  private static Future<ApiConnection> loginOver(RouterOsClient client, FakeRouter router, String pin) {
    return client.connect("127.0.0.1", router.port(), true, pin)
        .compose(c -> c.login("admin", "pw").map(c))
        .eventually(client::close);
  }

  private static ApiException.Kind kind(Throwable err) {
    assertThat(err).isInstanceOf(ApiException.class);
    return ((ApiException) err).kind();
  }

  @Test
  @DisplayName("no pin: whatever certificate the router presents is accepted and its SHA-256 reported")
  void trustOnFirstUse(Vertx vertx, VertxTestContext ctx) {
    TestCertificate cert = TestCertificate.selfSigned("router-a");
    RouterOsClient client = RouterOsClient.create(vertx, ClientOptions.defaults());
    FakeRouter.startTls(vertx, LOGIN, cert.keyCert())
        .compose(router -> loginOver(client, router, null))
        .onComplete(ctx.succeeding(c -> ctx.verify(() -> {
          assertThat(c.certificateFingerprint()).isEqualTo(cert.fingerprint()).matches("[0-9a-f]{64}");
          ctx.completeNow();
        })));
  }

  @Test
  @DisplayName("the pinned certificate: the client logs in")
  void pinned(Vertx vertx, VertxTestContext ctx) {
    TestCertificate cert = TestCertificate.selfSigned("router-a");
    RouterOsClient client = RouterOsClient.create(vertx, ClientOptions.defaults());
    FakeRouter.startTls(vertx, LOGIN, cert.keyCert())
        .compose(router -> loginOver(client, router, cert.fingerprint()))
        .onComplete(ctx.succeeding(c -> ctx.verify(() -> {
          assertThat(c.certificateFingerprint()).isEqualTo(cert.fingerprint());
          ctx.completeNow();
        })));
  }

  @Test
  @DisplayName("the router switches to another certificate: CERTIFICATE_REJECTED naming it, nothing sent")
  void switchedCertificate(Vertx vertx, VertxTestContext ctx) {
    TestCertificate first = TestCertificate.selfSigned("router-a");
    TestCertificate second = TestCertificate.selfSigned("router-a");
    RouterOsClient client = RouterOsClient.create(vertx, ClientOptions.defaults());
    FakeRouter.startTls(vertx, LOGIN, first.keyCert())
        .compose(router -> client.connect("127.0.0.1", router.port(), true, first.fingerprint())
            .compose(c -> c.login("admin", "pw"))
            .compose(v -> router.presentCertificate(second.keyCert()))
            .compose(r -> client.connect("127.0.0.1", router.port(), true, first.fingerprint()))
            .transform(ar -> Future.succeededFuture(new Object[] {ar.cause(), router.received().size()})))
        .eventually(client::close)
        .onComplete(ctx.succeeding(out -> ctx.verify(() -> {
          Throwable err = (Throwable) out[0];
          assertThat(kind(err)).isEqualTo(ApiException.Kind.CERTIFICATE_REJECTED);
          assertThat(((ApiException) err).commandSent()).isFalse();
          assertThat(err.getMessage()).contains(second.fingerprint()).contains("not the pinned one");
          assertThat(out[1]).as("commands the router received: only the first connection's login").isEqualTo(1);
          ctx.completeNow();
        })));
  }

  @Test
  @DisplayName("trustPem: a certificate chaining to it and naming the IP address dialled is accepted")
  void trustPemNamesTheAddress(Vertx vertx, VertxTestContext ctx) {
    RouterOsClient client = RouterOsClient.create(vertx, ClientOptions.defaults().withTrustPem(ROUTER_PEM));
    FakeRouter.startTls(vertx, LOGIN)
        .compose(router -> loginOver(client, router, null))
        .onComplete(ctx.succeeding(c -> ctx.verify(() -> {
          assertThat(c.certificateFingerprint()).isEqualTo(TestCertificate.fingerprint(ROUTER_PEM));
          ctx.completeNow();
        })));
  }

  @Test
  @DisplayName("trustPem: a trusted certificate issued for another host name is refused at 127.0.0.1")
  void trustPemOtherHostName(Vertx vertx, VertxTestContext ctx) {
    TestCertificate other = TestCertificate.selfSigned("other-router.example.net");
    RouterOsClient client = RouterOsClient.create(vertx, ClientOptions.defaults().withTrustPem(other.pem()));
    FakeRouter.startTls(vertx, LOGIN, other.keyCert())
        .compose(router -> loginOver(client, router, null)
            .transform(ar -> Future.succeededFuture(new Object[] {ar.cause(), router.received().size()})))
        .onComplete(ctx.succeeding(out -> ctx.verify(() -> {
          Throwable err = (Throwable) out[0];
          assertThat(kind(err)).isEqualTo(ApiException.Kind.CERTIFICATE_REJECTED);
          assertThat(err.getMessage()).contains("not trusted by device.trustPem");
          assertThat(out[1]).isEqualTo(0);
          ctx.completeNow();
        })));
  }

  @Test
  @DisplayName("trustPem: a certificate that does not chain to it is refused, even when it is the pinned one")
  void trustPemUntrustedChain(Vertx vertx, VertxTestContext ctx) {
    TestCertificate stranger = TestCertificate.selfSigned("localhost");
    RouterOsClient client = RouterOsClient.create(vertx, ClientOptions.defaults().withTrustPem(ROUTER_PEM));
    FakeRouter.startTls(vertx, LOGIN, stranger.keyCert())
        .compose(router -> loginOver(client, router, stranger.fingerprint()))
        .onComplete(ctx.failing(err -> ctx.verify(() -> {
          assertThat(kind(err)).isEqualTo(ApiException.Kind.CERTIFICATE_REJECTED);
          ctx.completeNow();
        })));
  }

  @Test
  @DisplayName("trustAll (lab only): any certificate, whatever the pin, and still reported")
  void trustAll(Vertx vertx, VertxTestContext ctx) {
    TestCertificate cert = TestCertificate.selfSigned("router-a");
    String otherPin = TestCertificate.selfSigned("router-b").fingerprint();
    RouterOsClient client = RouterOsClient.create(vertx, ClientOptions.defaults().withTrustAll(true));
    FakeRouter.startTls(vertx, LOGIN, cert.keyCert())
        .compose(router -> loginOver(client, router, otherPin))
        .onComplete(ctx.succeeding(c -> ctx.verify(() -> {
          assertThat(c.certificateFingerprint()).isEqualTo(cert.fingerprint());
          ctx.completeNow();
        })));
  }

  @Test
  @DisplayName("a plain connection reports no certificate")
  void plain(Vertx vertx, VertxTestContext ctx) {
    RouterOsClient client = RouterOsClient.create(vertx, ClientOptions.defaults());
    FakeRouter.start(vertx, LOGIN)
        .compose(router -> client.connect("127.0.0.1", router.port(), false)
            .compose(c -> c.login("admin", "pw").map(c)))
        .eventually(client::close)
        .onComplete(ctx.succeeding(c -> ctx.verify(() -> {
          assertThat(c.certificateFingerprint()).isNull();
          ctx.completeNow();
        })));
  }

  private static String resource(String name) {
    try (InputStream in = RouterOsClientTlsTest.class.getClassLoader().getResourceAsStream(name)) {
      return new String(in.readAllBytes(), StandardCharsets.US_ASCII);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
