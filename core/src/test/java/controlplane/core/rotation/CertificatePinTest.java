package controlplane.core.rotation;

import static org.assertj.core.api.Assertions.assertThat;

import controlplane.core.bus.Addresses;
import controlplane.core.bus.DeviceTarget;
import controlplane.core.bus.Failure;
import controlplane.core.bus.Fields;
import controlplane.core.testing.TestDatabase;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The pin of an API-SSL router's certificate in core, on a real PostgreSQL: an enrolment stores what the verifying
 * probe saw (or the stated pin), every later device operation carries it, and a router presenting another
 * certificate fails the rotation with device_certificate_mismatch, nothing changed.
 */
@ExtendWith(VertxExtension.class)
class CertificatePinTest {

  private static final String CERT_A = "a".repeat(64);
  private static final String CERT_B = "b".repeat(64);

  private static String dbUrl;
  private CoreFixture core;

  @BeforeAll
  static void database() {
    dbUrl = TestDatabase.freshDatabase();
  }

  @BeforeEach
  void deploy(Vertx vertx) {
    core = new CoreFixture(vertx, dbUrl, 2_000).start();
  }

  private static JsonObject tlsSite(String siteId, String password) {
    return CoreFixture.siteBody(siteId, CoreFixture.ORG, password).put(Fields.TLS, true).put(Fields.API_PORT, 8729);
  }

  private String pinOf(String siteId) {
    return core.ok(Addresses.SITE_GET, CoreFixture.siteRef(siteId)).getString(Fields.TLS_FINGERPRINT);
  }

  /**
   * The target of the last device request for {@code siteId}: the reconciler's start-up pass may probe the sites
   * earlier tests of this class left on the shared database meanwhile.
   */
  private DeviceTarget lastTarget(String siteId) {
    List<DeviceTarget> mine = core.routers.targets.stream().filter(t -> siteId.equals(t.siteId())).toList();
    return mine.get(mine.size() - 1);
  }

  @Test
  @DisplayName("enrolment pins the certificate the probe saw; a rotation carries the pin; a new certificate is"
      + " device_certificate_mismatch with nothing changed; enrolling again re-pins")
  void pinnedAtEnrolment() {
    String site = UUID.randomUUID().toString();
    core.routers.set(site, "Boot-Tls-1");
    core.routers.certificates.put(site, CERT_A);

    JsonObject enrolled = core.ok(Addresses.SITE_PUT, tlsSite(site, "Boot-Tls-1"));
    assertThat(lastTarget(site).tlsFingerprint()).as("the enrolment probe states no pin").isNull();
    assertThat(enrolled.getString(Fields.TLS_FINGERPRINT)).isEqualTo(CERT_A);
    assertThat(pinOf(site)).isEqualTo(CERT_A);

    String rotated = core.rotate(site).getString(Fields.PASSWORD);
    assertThat(lastTarget(site).tlsFingerprint()).isEqualTo(CERT_A);
    assertThat(core.routers.password(site)).isEqualTo(rotated);

    core.routers.certificates.put(site, CERT_B);
    assertThat(core.failure(Addresses.ROTATE, CoreFixture.siteRef(site)))
        .isEqualTo(Failure.DEVICE_CERTIFICATE_MISMATCH);
    assertThat(core.routers.password(site)).isEqualTo(rotated);
    assertThat(core.storedCurrent(site)).isEqualTo(rotated);
    assertThat(core.count("FAILED", site)).isEqualTo(1);
    assertThat(core.ok(Addresses.SITE_GET, CoreFixture.siteRef(site)).getString(Fields.STATUS)).isEqualTo("in_sync");
    assertThat(core.audit(site)).anySatisfy(row -> assertThat((String) row.get("detail"))
        .startsWith("device_certificate_mismatch"));

    assertThat(core.failure(Addresses.SITE_PUT, tlsSite(site, rotated).put(Fields.TLS_FINGERPRINT, CERT_A)))
        .as("a stated pin the router does not present refuses the enrolment")
        .isEqualTo(Failure.DEVICE_CERTIFICATE_MISMATCH);
    assertThat(pinOf(site)).isEqualTo(CERT_A);

    assertThat(core.ok(Addresses.SITE_PUT, tlsSite(site, rotated)).getString(Fields.TLS_FINGERPRINT))
        .isEqualTo(CERT_B);
    core.rotate(site);
    assertThat(lastTarget(site).tlsFingerprint()).isEqualTo(CERT_B);
  }

  @Test
  @DisplayName("a stated pin is the one the probe holds the router to and the one stored")
  void statedPin() {
    String site = UUID.randomUUID().toString();
    core.routers.set(site, "Boot-Tls-2");
    core.routers.certificates.put(site, CERT_B);
    JsonObject enrolled = core.ok(Addresses.SITE_PUT, tlsSite(site, "Boot-Tls-2").put(Fields.TLS_FINGERPRINT, CERT_B));
    assertThat(lastTarget(site).tlsFingerprint()).isEqualTo(CERT_B);
    assertThat(enrolled.getString(Fields.TLS_FINGERPRINT)).isEqualTo(CERT_B);
  }

  @Test
  @DisplayName("without verify the stated pin is stored as given, or none; plain API never has one")
  void unverifiedAndPlain() {
    String stated = UUID.randomUUID().toString();
    core.routers.set(stated, "Boot-Tls-3");
    assertThat(core.ok(Addresses.SITE_PUT, tlsSite(stated, "Boot-Tls-3").put(Fields.VERIFY, false)
        .put(Fields.TLS_FINGERPRINT, CERT_A)).getString(Fields.TLS_FINGERPRINT)).isEqualTo(CERT_A);
    String unpinned = UUID.randomUUID().toString();
    JsonObject none = core.ok(Addresses.SITE_PUT, tlsSite(unpinned, "Boot-Tls-4").put(Fields.VERIFY, false));
    assertThat(none.containsKey(Fields.TLS_FINGERPRINT)).isTrue();
    assertThat(none.getValue(Fields.TLS_FINGERPRINT)).isNull();

    String plain = core.enrol("Boot-Plain-1");
    assertThat(core.ok(Addresses.SITE_GET, CoreFixture.siteRef(plain)).getValue(Fields.TLS_FINGERPRINT)).isNull();
    assertThat(core.failure(Addresses.SITE_PUT, CoreFixture.siteBody(plain, CoreFixture.ORG, "Boot-Plain-1")
        .put(Fields.TLS_FINGERPRINT, CERT_A))).isEqualTo(Failure.INVALID_REQUEST);
  }
}
