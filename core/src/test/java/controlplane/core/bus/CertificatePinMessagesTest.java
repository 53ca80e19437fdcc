package controlplane.core.bus;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * {@code tls_fingerprint} on the wire: enrolment, site object, device target, probe and apply replies; and the
 * target's {@code tls_server_name}.
 */
class CertificatePinMessagesTest {

  private static final UUID SITE = UUID.fromString("d290f1ee-6c54-4b01-90e6-d701748f0851");
  private static final String PIN = "3f6c1f0e1b6d2a0c9b8e7d6c5b4a39281706f5e4d3c2b1a09f8e7d6c5b4a3928";

  private static JsonObject wire(JsonObject json) {
    return new JsonObject(json.encode());
  }

  @Test
  @DisplayName("the pin survives every record that carries it")
  void roundTrips() {
    EnrolRequest enrol = new EnrolRequest(SITE, "org", "alice", null, "api", "100.64.1.2", 8729, "edge", true, true,
        "pw", PIN);
    assertThat(EnrolRequest.fromJson(wire(enrol.toJson()))).isEqualTo(enrol);
    SiteReply site = new SiteReply(SITE.toString(), "org", "api", "100.64.1.2", 8729, "edge", true, "in_sync",
        "2025-10-28T05:00:00Z", "2025-10-28T05:00:01Z", PIN);
    assertThat(SiteReply.fromJson(wire(site.toJson()))).isEqualTo(site);
    DeviceTarget target = new DeviceTarget(SITE.toString(), "100.64.1.2", 8729, true, "api", PIN);
    ProbeRequest probe = new ProbeRequest(target, List.of("pw"));
    assertThat(DeviceRequest.fromJson(wire(probe.toJson()))).isEqualTo(probe);
    assertThat(probe.toJson().getJsonObject(Fields.TARGET).getString("tls_fingerprint")).isEqualTo(PIN);
    ProbeReply reply = ProbeReply.loggedIn(0, PIN);
    assertThat(ProbeReply.fromJson(wire(reply.toJson()))).isEqualTo(reply);
    ApplyReply applied = ApplyReply.applied(0, PIN);
    assertThat(ApplyReply.fromJson(wire(applied.toJson()))).isEqualTo(applied);
    assertThat(ApplyReply.fromJson(wire(ApplyReply.applied(1).toJson())).tlsFingerprint()).isNull();
  }

  @Test
  @DisplayName("the TLS server name of a router enrolled by host name travels with the target; absent, it is left"
      + " out; blank, it is invalid_request")
  void serverName() {
    DeviceTarget named = new DeviceTarget(SITE.toString(), "100.64.1.2", 8729, true, "api", PIN, "r1.fleet.example");
    ProbeRequest probe = new ProbeRequest(named, List.of("pw"));
    assertThat(DeviceRequest.fromJson(wire(probe.toJson()))).isEqualTo(probe);
    assertThat(probe.toJson().getJsonObject(Fields.TARGET).getString("tls_server_name")).isEqualTo("r1.fleet.example");
    assertThat(new DeviceTarget("s", "h", 8729, true, "api", PIN).toJson().containsKey("tls_server_name")).isFalse();
    JsonObject blank = probe.toJson();
    blank.getJsonObject(Fields.TARGET).put("tls_server_name", " ");
    assertThat(Failure.of(catching(() -> DeviceRequest.fromJson(blank)))).isEqualTo(Failure.INVALID_REQUEST);
  }

  @Test
  @DisplayName("a site without a pin shows tls_fingerprint as null; a target without one leaves it out")
  void absent() {
    JsonObject site = new SiteReply(SITE.toString(), "org", "api", "h", 8728, "edge", false, "in_sync", "c", "u")
        .toJson();
    assertThat(site.containsKey("tls_fingerprint")).isTrue();
    assertThat(site.getValue("tls_fingerprint")).isNull();
    assertThat(site.fieldNames()).containsExactly("site_id", "org_id", "username", "ip_address", "api_port",
        "server_ip", "tls", "tls_fingerprint", "status", "created_at", "updated_at", "last_rotated_at",
        "next_rotation_at");
    assertThat(new DeviceTarget("s", "h", 8728, false, "api").toJson().containsKey("tls_fingerprint")).isFalse();
  }

  @Test
  @DisplayName("a pin in another form, or on a plain-API enrolment, is invalid_request naming the field")
  void badPins() {
    JsonObject enrol = new EnrolRequest(SITE, "org", "a", null, "api", "h", 8729, "edge", true, true, "pw")
        .toJson();
    for (String bad : List.of(PIN.toUpperCase(), PIN.substring(2), "3f:6c" + PIN.substring(4), PIN + "00")) {
      JsonObject body = enrol.copy().put("tls_fingerprint", bad);
      assertThatThrownBy(() -> EnrolRequest.fromJson(body)).isInstanceOf(ReplyException.class)
          .hasMessageContaining("tls_fingerprint").hasMessageContaining("64 lower-case hex digits");
    }
    JsonObject plain = enrol.copy().put("tls", false).put("tls_fingerprint", PIN);
    assertThatThrownBy(() -> EnrolRequest.fromJson(plain)).hasMessageContaining("tls: true");
    JsonObject target = new ProbeRequest(new DeviceTarget("s", "h", 1, true, "api"), List.of("x")).toJson();
    target.getJsonObject(Fields.TARGET).put("tls_fingerprint", 42);
    assertThat(Failure.of(catching(() -> DeviceRequest.fromJson(target)))).isEqualTo(Failure.INVALID_REQUEST);
  }

  @Test
  @DisplayName("device_certificate_mismatch is its own failure code")
  void failureCode() {
    assertThat(Failure.byId("device_certificate_mismatch")).isEqualTo(Failure.DEVICE_CERTIFICATE_MISMATCH);
    assertThat(Failure.byCode(Failure.DEVICE_CERTIFICATE_MISMATCH.code()))
        .isEqualTo(Failure.DEVICE_CERTIFICATE_MISMATCH);
  }

  private static Throwable catching(Runnable r) {
    try {
      r.run();
      return null;
    } catch (RuntimeException e) {
      return e;
    }
  }
}
