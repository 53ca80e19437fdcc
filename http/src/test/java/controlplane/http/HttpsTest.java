package controlplane.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.net.PemTrustOptions;
import io.vertx.core.net.SelfSignedCertificate;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** http.tls: the API over HTTPS only, with a certificate made for the test. */
class HttpsTest extends HttpTestBase {

  private SelfSignedCertificate certificate;
  private WebClient https;

  @BeforeEach
  void certificate() {
    certificate = SelfSignedCertificate.create("localhost");
    https = WebClient.create(vertx, new WebClientOptions().setSsl(true).setVerifyHost(false)
      .setTrustOptions(new PemTrustOptions().addCertPath(certificate.certificatePath())));
  }

  @AfterEach
  void cleanUp() {
    https.close();
    certificate.delete();
  }

  private HttpConfig withTls(HttpTls tls) {
    return new HttpConfig("127.0.0.1", 0, 1024, 2_000, SECRET, List.of(), null, null, null, 5).withTls(tls);
  }

  @Test
  @DisplayName("with http.tls.certPem and http.tls.keyPem, /health/live and the API answer over TLS; a plain-HTTP "
    + "request to the same port fails")
  void httpsOnly() {
    int api = await(deployVerticle(withTls(new HttpTls(certificate.certificatePath(), certificate.privateKeyPath()))));

    HttpResponse<Buffer> live = await(https.request(HttpMethod.GET, api, "127.0.0.1", "/health/live").send());
    HttpResponse<Buffer> read = await(https.request(HttpMethod.GET, api, "127.0.0.1",
      "/control-plane/" + SITE + "/credentials").bearerTokenAuthentication(token("credentials:read")).send());
    Future<HttpResponse<Buffer>> plain = request(api, HttpMethod.GET, "/health/live").send();

    assertThat(live.statusCode()).isEqualTo(200);
    assertThat(read.statusCode()).isEqualTo(200);
    assertThat(plain.toCompletionStage().toCompletableFuture()).failsWithin(Duration.ofSeconds(20));
  }

  @Test
  @DisplayName("certificate or key files that cannot be read fail the start, naming the keys")
  void unreadableFiles() {
    Future<Integer> deployment = deployVerticle(withTls(new HttpTls(certificate.certificatePath() + ".missing",
      certificate.privateKeyPath())));

    assertThat(deployment.toCompletionStage().toCompletableFuture())
      .failsWithin(Duration.ofSeconds(20))
      .withThrowableThat()
      .withMessageContaining("http.tls.certPem")
      .withMessageContaining("http.tls.keyPem");
  }
}
