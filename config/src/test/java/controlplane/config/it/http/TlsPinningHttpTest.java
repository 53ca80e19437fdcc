package controlplane.config.it.http;

import static controlplane.config.it.http.ItControlPlane.ALL_SCOPES;
import static controlplane.config.it.http.ItControlPlane.await;
import static controlplane.config.it.http.ItControlPlane.credentials;
import static controlplane.config.it.http.ItControlPlane.sitePath;
import static org.assertj.core.api.Assertions.assertThat;

import controlplane.config.it.http.ItControlPlane.Router;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import java.nio.file.Path;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * API-SSL over HTTP against the real service: a router with a self-signed certificate is enrolled and pinned,
 * rotations hold it to that certificate, and one presenting another certificate is answered 502
 * device_certificate_mismatch with the router's password unchanged (the handshake fails before any login).
 */
@DisplayName("API-SSL certificate pinning over HTTP against the real control plane")
class TlsPinningHttpTest {

  private static final Router ROUTER = Router.plain("tls-pinned", "127.0.78.1", 38728);

  @TempDir
  static Path tempDir;
  static ItControlPlane it;
  static TlsFront front;
  static final TlsFront.Certificate FIRST = TlsFront.Certificate.selfSigned("tls-pinned");
  static final TlsFront.Certificate SECOND = TlsFront.Certificate.selfSigned("tls-pinned");

  @BeforeAll
  static void start() {
    // A first TLS handshake on a loaded machine can take longer than the suites' 700 ms connect timeout.
    it = ItControlPlane.start(tempDir, List.of(ROUTER), config -> {
      config.getJsonObject("device").put("connectTimeoutMs", 5_000).put("commandTimeoutMs", 5_000);
      config.getJsonObject("rotation").put("deviceTimeoutMs", 20_000);
      config.getJsonObject("http").put("requestTimeoutMs", 45_000);
    });
    front = await(TlsFront.start(it.vertx, FIRST, ROUTER.address(), ROUTER.port()));
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

  private static JsonObject tlsEnrolment() {
    return it.currentEnrolment(ROUTER).put("api_port", front.port()).put("tls", true);
  }

  @Test
  @DisplayName("enrol pins the self-signed certificate; rotation works; a switched certificate is 502"
      + " device_certificate_mismatch (rotation and re-push), router unchanged; a stated pin it does not present refuses enrolment;"
      + " enrolling again re-pins")
  void pinning() {
    String token = it.token(ALL_SCOPES);
    String siteId = UUID.randomUUID().toString();

    HttpResponse<Buffer> enrolled = it.callJson(HttpMethod.PUT, sitePath(siteId), token, tlsEnrolment());
    assertThat(enrolled.statusCode()).as(enrolled.bodyAsString()).isEqualTo(200);
    it.assertMatchesContract(enrolled, "enrolSite");
    assertThat(enrolled.bodyAsJsonObject().getString("tls_fingerprint")).isEqualTo(FIRST.fingerprint());
    HttpResponse<Buffer> read = it.call(HttpMethod.GET, sitePath(siteId), token);
    it.assertMatchesContract(read, "getSite");
    assertThat(read.bodyAsJsonObject().getString("tls_fingerprint")).isEqualTo(FIRST.fingerprint());

    String rotated = it.rotate(siteId).getString("password");
    assertThat(it.routerPassword(ROUTER)).isEqualTo(rotated);

    await(front.present(SECOND));
    int relayedBefore = front.relayed();
    HttpResponse<Buffer> refused = it.call(HttpMethod.POST, credentials(siteId), token);
    JsonObject error = it.assertError(refused, 502, "device_certificate_mismatch", "rotateCredentials");
    assertThat(error.getString("message")).contains(SECOND.fingerprint());
    assertThat(it.routerPassword(ROUTER)).as("the router's password").isEqualTo(rotated);
    assertThat(front.relayed()).as("connections that got past the handshake").isEqualTo(relayedBefore);
    assertThat(it.auditRows(siteId, "credential.rotate", "not_applied")).isEqualTo(1);
    HttpResponse<Buffer> resend = it.callJson(HttpMethod.POST, sitePath(siteId) + "/action", token,
        new JsonObject().put("action", "site.resend_api_user"));
    it.assertError(resend, 502, "device_certificate_mismatch", "siteAction");
    assertThat(front.relayed()).isEqualTo(relayedBefore);

    HttpResponse<Buffer> stated = it.callJson(HttpMethod.PUT, sitePath(siteId), token,
        tlsEnrolment().put("tls_fingerprint", FIRST.fingerprint()));
    it.assertError(stated, 502, "device_certificate_mismatch", "enrolSite");
    assertThat(it.call(HttpMethod.GET, sitePath(siteId), token).bodyAsJsonObject().getString("tls_fingerprint"))
        .isEqualTo(FIRST.fingerprint());

    HttpResponse<Buffer> repinned = it.callJson(HttpMethod.PUT, sitePath(siteId), token, tlsEnrolment());
    assertThat(repinned.statusCode()).as(repinned.bodyAsString()).isEqualTo(200);
    assertThat(repinned.bodyAsJsonObject().getString("tls_fingerprint")).isEqualTo(SECOND.fingerprint());
    String again = it.rotate(siteId).getString("password");
    assertThat(it.routerPassword(ROUTER)).isEqualTo(again).isNotEqualTo(rotated);
  }

  @Test
  @DisplayName("a plain-API site shows tls_fingerprint null, and stating one for it is a 400")
  void plainSite() {
    String token = it.token(ALL_SCOPES);
    String siteId = UUID.randomUUID().toString();
    HttpResponse<Buffer> enrolled = it.callJson(HttpMethod.PUT, sitePath(siteId), token,
        it.currentEnrolment(ROUTER).put("verify", false));
    assertThat(enrolled.statusCode()).as(enrolled.bodyAsString()).isEqualTo(200);
    assertThat(enrolled.bodyAsJsonObject().containsKey("tls_fingerprint")).isTrue();
    assertThat(enrolled.bodyAsJsonObject().getValue("tls_fingerprint")).isNull();
    HttpResponse<Buffer> refused = it.callJson(HttpMethod.PUT, sitePath(siteId), token,
        it.currentEnrolment(ROUTER).put("tls_fingerprint", FIRST.fingerprint()));
    it.assertError(refused, 400, "invalid_request", "enrolSite");
  }
}
