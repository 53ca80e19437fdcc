package controlplane.config.it.http;

import static controlplane.config.it.http.ItControlPlane.ALL_SCOPES;
import static controlplane.config.it.http.ItControlPlane.await;
import static controlplane.config.it.http.ItControlPlane.sitePath;
import static org.assertj.core.api.Assertions.assertThat;

import controlplane.config.it.http.ItControlPlane.Router;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * device.trustPem with host-name verification, over HTTP against the real service: a router enrolled by host name
 * ({@code localhost}) is dialled at the address the name resolved to, while its certificate, which names only the
 * DNS name, is checked against the name (and the name is sent as SNI). A certificate for another name, though
 * trusted, is refused with device_certificate_mismatch.
 */
@DisplayName("API-SSL under device.trustPem: the certificate must name the host the router was enrolled by")
class TlsServerNameHttpTest {

  private static final Router ROUTER = Router.plain("tls-named", "127.0.81.1", 38731);
  static final TlsFront.Certificate LOCALHOST = TlsFront.Certificate.selfSigned("localhost");
  static final TlsFront.Certificate OTHER = TlsFront.Certificate.selfSigned("router.other.example");

  @TempDir
  static Path tempDir;
  static ItControlPlane it;
  static TlsFront front;

  @BeforeAll
  static void start() {
    Path trust = tempDir.resolve("fleet-ca.pem");
    try {
      Files.writeString(trust, LOCALHOST.pem() + OTHER.pem());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    it = ItControlPlane.start(tempDir, List.of(ROUTER), config -> {
      config.getJsonObject("device").put("connectTimeoutMs", 5_000).put("commandTimeoutMs", 5_000)
          .put("trustPem", trust.toString());
      config.getJsonObject("rotation").put("deviceTimeoutMs", 20_000);
      config.getJsonObject("http").put("requestTimeoutMs", 45_000);
    });
    // localhost resolves to 127.0.0.1 here: the front listens there and relays to the simulated router
    front = await(TlsFront.start(it.vertx, LOCALHOST, "127.0.0.1", ROUTER.address(), ROUTER.port()));
  }

  @AfterAll
  static void stop() {
    if (it != null) {
      try {
        await(front.close());
      } finally {
        it.closeAssertingNoSecrets();
      }
    }
  }

  private static JsonObject enrolmentBy(String host) {
    return it.currentEnrolment(ROUTER).put("ip_address", host).put("api_port", front.port()).put("tls", true);
  }

  @Test
  @DisplayName("enrolled by IP address, the DNS-only certificate is refused; by host name, enrolment and rotation"
      + " succeed; once the router presents a trusted certificate for another name, enrolment is refused"
      + " device_certificate_mismatch")
  void certificateMustNameTheEnrolledHost() {
    String token = it.token(ALL_SCOPES);

    HttpResponse<Buffer> byAddress = it.callJson(HttpMethod.PUT, sitePath(UUID.randomUUID().toString()), token,
        enrolmentBy("127.0.0.1"));
    it.assertError(byAddress, 502, "device_certificate_mismatch", "enrolSite");

    String siteId = UUID.randomUUID().toString();
    HttpResponse<Buffer> byName = it.callJson(HttpMethod.PUT, sitePath(siteId), token, enrolmentBy("localhost"));
    assertThat(byName.statusCode()).as(byName.bodyAsString()).isEqualTo(200);
    assertThat(byName.bodyAsJsonObject().getString("ip_address")).isEqualTo("127.0.0.1");
    assertThat(byName.bodyAsJsonObject().getString("tls_fingerprint")).isEqualTo(LOCALHOST.fingerprint());
    assertThat(it.jdbc.query("SELECT tls_server_name FROM sites WHERE id = ?::uuid", siteId).get(0)
        .get("tls_server_name")).isEqualTo("localhost");

    String rotated = it.rotate(siteId).getString("password");
    assertThat(it.routerPassword(ROUTER)).isEqualTo(rotated);

    await(front.present(OTHER));
    HttpResponse<Buffer> otherName = it.callJson(HttpMethod.PUT, sitePath(siteId), token, enrolmentBy("localhost"));
    JsonObject error = it.assertError(otherName, 502, "device_certificate_mismatch", "enrolSite");
    assertThat(error.getString("message")).doesNotContain(rotated);
    assertThat(it.call(HttpMethod.GET, sitePath(siteId), token).bodyAsJsonObject().getString("tls_fingerprint"))
        .isEqualTo(LOCALHOST.fingerprint());
    assertThat(it.routerPassword(ROUTER)).isEqualTo(rotated);
  }
}
