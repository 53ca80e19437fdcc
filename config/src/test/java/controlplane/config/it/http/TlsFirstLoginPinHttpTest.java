package controlplane.config.it.http;

import static controlplane.config.it.http.ItControlPlane.ALL_SCOPES;
import static controlplane.config.it.http.ItControlPlane.await;
import static controlplane.config.it.http.ItControlPlane.credentials;
import static controlplane.config.it.http.ItControlPlane.eventually;
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
 * An API-SSL site without a pin is pinned at its first successful login, over HTTP against the real service: the
 * reconciler's re-check of a site enrolled without verify and without tls_fingerprint, or the first applied rotation
 * of a site that has none (one enrolled before pins existed). From then on a router presenting another certificate
 * is refused with device_certificate_mismatch, its password unchanged.
 */
@DisplayName("API-SSL: a site without a pin is pinned at its first successful login")
class TlsFirstLoginPinHttpTest {

  private static final Router UNVERIFIED = Router.plain("tls-unverified", "127.0.82.1", 38732);
  private static final Router UNPINNED = Router.plain("tls-unpinned", "127.0.82.2", 38733);
  static final TlsFront.Certificate FIRST = TlsFront.Certificate.selfSigned("tls-first");
  static final TlsFront.Certificate SECOND = TlsFront.Certificate.selfSigned("tls-first");

  @TempDir
  static Path tempDir;
  static ItControlPlane it;
  static TlsFront unverifiedFront;
  static TlsFront unpinnedFront;

  @BeforeAll
  static void start() {
    it = ItControlPlane.start(tempDir, List.of(UNVERIFIED, UNPINNED), config -> {
      config.getJsonObject("device").put("connectTimeoutMs", 5_000).put("commandTimeoutMs", 5_000);
      config.getJsonObject("rotation").put("deviceTimeoutMs", 20_000);
      config.getJsonObject("http").put("requestTimeoutMs", 45_000);
    });
    unverifiedFront = await(TlsFront.start(it.vertx, FIRST, UNVERIFIED.address(), UNVERIFIED.port()));
    unpinnedFront = await(TlsFront.start(it.vertx, FIRST, UNPINNED.address(), UNPINNED.port()));
  }

  @AfterAll
  static void stop() {
    if (it != null) {
      try {
        await(unverifiedFront.close());
        await(unpinnedFront.close());
      } finally {
        it.closeAssertingNoSecrets();
      }
    }
  }

  private static JsonObject site(String siteId) {
    return it.call(HttpMethod.GET, sitePath(siteId), it.token(ALL_SCOPES)).bodyAsJsonObject();
  }

  /** The pin holds: another certificate is refused before any login, and the router keeps {@code password}. */
  private static void refusesAnotherCertificate(Router router, TlsFront front, String siteId, String password) {
    await(front.present(SECOND));
    HttpResponse<Buffer> refused = it.call(HttpMethod.POST, credentials(siteId), it.token(ALL_SCOPES));
    JsonObject error = it.assertError(refused, 502, "device_certificate_mismatch", "rotateCredentials");
    assertThat(error.getString("message")).contains(SECOND.fingerprint());
    assertThat(it.routerPassword(router)).isEqualTo(password);
  }

  @Test
  @DisplayName("enrolled without verify and without tls_fingerprint: the reconciler's re-check logs in and pins the"
      + " certificate it saw; a switched certificate is then 502 device_certificate_mismatch")
  void reconcilerPinsAnUnverifiedSite() {
    String siteId = UUID.randomUUID().toString();
    HttpResponse<Buffer> enrolled = it.callJson(HttpMethod.PUT, sitePath(siteId), it.token(ALL_SCOPES),
        it.currentEnrolment(UNVERIFIED).put("api_port", unverifiedFront.port()).put("tls", true)
            .put("verify", false));
    assertThat(enrolled.statusCode()).as(enrolled.bodyAsString()).isEqualTo(200);
    assertThat(enrolled.bodyAsJsonObject().getValue("tls_fingerprint")).isNull();

    eventually("the re-check pins the site",
        () -> FIRST.fingerprint().equals(site(siteId).getString("tls_fingerprint")));
    assertThat(site(siteId).getString("status")).isEqualTo("in_sync");

    refusesAnotherCertificate(UNVERIFIED, unverifiedFront, siteId, it.routerPassword(UNVERIFIED));
  }

  @Test
  @DisplayName("an in-sync API-SSL site without a pin (enrolled before pins existed): its first rotation pins the"
      + " certificate it saw; a switched certificate is then 502 device_certificate_mismatch")
  void firstRotationPinsAnUnpinnedSite() throws Exception {
    String siteId = UUID.randomUUID().toString();
    HttpResponse<Buffer> enrolled = it.callJson(HttpMethod.PUT, sitePath(siteId), it.token(ALL_SCOPES),
        it.currentEnrolment(UNPINNED).put("api_port", unpinnedFront.port()).put("tls", true));
    assertThat(enrolled.statusCode()).as(enrolled.bodyAsString()).isEqualTo(200);
    it.jdbc.update("UPDATE sites SET tls_fingerprint = NULL WHERE id = ?::uuid", siteId);
    assertThat(site(siteId).getValue("tls_fingerprint")).isNull();

    String rotated = it.rotate(siteId).getString("password");
    assertThat(site(siteId).getString("tls_fingerprint")).isEqualTo(FIRST.fingerprint());

    refusesAnotherCertificate(UNPINNED, unpinnedFront, siteId, rotated);
  }
}
