package controlplane.core.bus;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** The event-bus records: what goes on the wire comes back equal, bad messages fail naming the field. */
class MessagesTest {

  private static final UUID SITE = UUID.fromString("d290f1ee-6c54-4b01-90e6-d701748f0851");
  private static final String SECRET = "S3cret-Passw0rd-Never-Printed";
  private static final DeviceTarget TARGET = new DeviceTarget(SITE.toString(), "100.64.1.2", 8728, false, "api");

  @Test
  @DisplayName("every request and reply survives toJson -> encode -> decode -> fromJson unchanged")
  void roundTrips() {
    RotateRequest rotate = new RotateRequest(SITE, "org", "alice", "key-1", "req-1");
    assertThat(RotateRequest.fromJson(wire(rotate.toJson()))).isEqualTo(rotate);
    SiteRequest site = new SiteRequest(SITE, "org", "alice", null);
    assertThat(SiteRequest.fromJson(wire(site.toJson()))).isEqualTo(site);
    EnrolRequest enrol = new EnrolRequest(SITE, "org", "alice", "r", "api", "100.64.1.2", 8729, "edge-1", true, false,
        SECRET);
    assertThat(EnrolRequest.fromJson(wire(enrol.toJson()))).isEqualTo(enrol);
    CredentialReply credential = new CredentialReply("v1", SITE.toString(), "api", SECRET, "100.64.1.2", 8728, "edge",
        "2025-10-28T05:00:00Z", "2025-10-28T05:00:01Z");
    assertThat(CredentialReply.fromJson(wire(credential.toJson()))).isEqualTo(credential);
    SiteReply siteReply = new SiteReply(SITE.toString(), "org", "api", "100.64.1.2", 8728, "edge", false, "in_sync",
        "2025-10-28T05:00:00Z", "2025-10-28T05:00:01Z");
    assertThat(SiteReply.fromJson(wire(siteReply.toJson()))).isEqualTo(siteReply);
    ApplyRequest apply = new ApplyRequest(TARGET, SECRET, Arrays.asList("old", null, "older"), 2000L);
    assertThat(DeviceRequest.fromJson(wire(apply.toJson()))).isEqualTo(apply);
    ProbeRequest probe = new ProbeRequest(TARGET, List.of("a", "b"));
    assertThat(DeviceRequest.fromJson(wire(probe.toJson()))).isEqualTo(probe);
    for (ApplyReply reply : List.of(ApplyReply.applied(1), ApplyReply.unknown(0, "lost"),
        ApplyReply.notApplied(-1, Failure.DEVICE_TIMEOUT, "slow"))) {
      assertThat(ApplyReply.fromJson(wire(reply.toJson()))).isEqualTo(reply);
    }
    ProbeReply probeReply = new ProbeReply(false, -1, Failure.DEVICE_REJECTED_CREDENTIALS, "refused");
    assertThat(ProbeReply.fromJson(wire(probeReply.toJson()))).isEqualTo(probeReply);
    assertThat(new DeletedReply(true).toJson().encode()).isEqualTo("{\"deleted\":true}");
    DeletedSitesRequest list = new DeletedSitesRequest("org", SITE, 50);
    assertThat(DeletedSitesRequest.fromJson(wire(list.toJson()))).isEqualTo(list);
    assertThat(DeletedSitesRequest.fromJson(new JsonObject().put("org_id", "org")))
        .isEqualTo(new DeletedSitesRequest("org", null, DeletedSitesRequest.DEFAULT_LIMIT));
    DeletedSitesReply page = new DeletedSitesReply(List.of(new DeletedSiteReply(siteReply, "2025-10-28T06:00:00Z",
        "2025-11-27T06:00:00Z")), SITE.toString());
    assertThat(DeletedSitesReply.fromJson(wire(page.toJson()))).isEqualTo(page);
    DeletedSitesReply last = new DeletedSitesReply(List.of(), null);
    assertThat(DeletedSitesReply.fromJson(wire(last.toJson()))).isEqualTo(last);
    assertThat(last.toJson().encode()).isEqualTo("{\"deleted_sites\":[]}");
    assertThat(HealthRequest.fromJson(wire(new HealthRequest().toJson()))).isEqualTo(new HealthRequest());
    HealthReply health = new HealthReply(true, false);
    assertThat(HealthReply.fromJson(wire(health.toJson()))).isEqualTo(health);
  }

  @Test
  @DisplayName("the wire names are the documented ones")
  void wireNames() {
    JsonObject apply = new ApplyRequest(TARGET, "new", List.of("old"), null).toJson();
    assertThat(apply.getString("op")).isEqualTo("apply");
    assertThat(apply.fieldNames()).containsExactlyInAnyOrder("op", "target", "new_password", "login_passwords");
    assertThat(apply.getJsonObject("target").fieldNames())
        .containsExactlyInAnyOrder("site_id", "host", "port", "tls", "username");
    assertThat(ApplyReply.applied(0).toJson().getString("outcome")).isEqualTo("applied");
    assertThat(ApplyReply.unknown(0, "x").toJson().getString("failure")).isEqualTo("device_outcome_unknown");
    assertThat(new DeletedSiteReply(new SiteReply("s", "o", "u", "i", 1, "e", false, "in_sync", "c", "u"), "d", "p")
        .toJson().fieldNames()).containsExactly("site_id", "org_id", "username", "ip_address", "api_port",
            "server_ip", "tls", "tls_fingerprint", "status", "created_at", "updated_at", "deleted_at", "purge_at");
    assertThat(new CredentialReply("v", "s", "u", "p", "i", 1, "e", "c", "u").toJson().fieldNames())
        .containsExactly("id", "site_id", "username", "password", "ip_address", "api_port", "server_ip", "created_at",
            "updated_at");
  }

  @Test
  @DisplayName("failure codes and ids are unique; rate_limited carries its wait in the text, read back by RateLimit")
  void failures() {
    assertThat(java.util.Arrays.stream(Failure.values()).map(Failure::code).distinct()).hasSize(Failure.values().length);
    assertThat(java.util.Arrays.stream(Failure.values()).map(Failure::id).distinct()).hasSize(Failure.values().length);
    ReplyException limited = RateLimit.exceeded("too many enrolments for this organisation", 17);
    assertThat(Failure.of(limited)).isEqualTo(Failure.RATE_LIMITED);
    assertThat(limited.getMessage()).isEqualTo("too many enrolments for this organisation; retry after 17 s");
    assertThat(RateLimit.retryAfterSeconds(limited.getMessage())).isEqualTo(17);
    assertThat(RateLimit.retryAfterSeconds(RateLimit.exceeded("x", 0).getMessage())).isEqualTo(1);
    assertThat(RateLimit.retryAfterSeconds("slow down")).isEqualTo(1);
    assertThat(RateLimit.retryAfterSeconds(null)).isEqualTo(1);
    assertThat(Failure.byId("target_not_allowed")).isEqualTo(Failure.TARGET_NOT_ALLOWED);
    assertThat(Failure.byId("router_already_enrolled")).isEqualTo(Failure.ROUTER_ALREADY_ENROLLED);
  }

  @Test
  @DisplayName("a bad request fails with invalid_request or invalid_site_id naming the field, never its value")
  void badRequests() {
    assertThat(failure(() -> RotateRequest.fromJson(new JsonObject().put("org_id", "o"))))
        .isEqualTo(Failure.INVALID_SITE_ID);
    assertThat(failure(() -> RotateRequest.fromJson(new JsonObject().put("site_id", "nope").put("org_id", "o"))))
        .isEqualTo(Failure.INVALID_SITE_ID);
    assertThat(failure(() -> SiteRequest.fromJson(new JsonObject().put("site_id", SITE.toString()))))
        .isEqualTo(Failure.INVALID_REQUEST);
    assertThat(failure(() -> RotateRequest.fromJson("not an object"))).isEqualTo(Failure.INVALID_REQUEST);
    for (Object limit : List.of(0, 1001, "100", 1.5)) {
      assertThat(failure(() -> DeletedSitesRequest.fromJson(new JsonObject().put("org_id", "o").put("limit", limit))))
          .isEqualTo(Failure.INVALID_REQUEST);
    }
    JsonObject lenientUuid = new JsonObject().put("org_id", "o").put("after", "1-1-1-1-1");
    assertThat(failure(() -> DeletedSitesRequest.fromJson(lenientUuid))).isEqualTo(Failure.INVALID_REQUEST);
    assertThat(failure(() -> DeletedSitesRequest.fromJson(new JsonObject().put("limit", 5))))
        .isEqualTo(Failure.INVALID_REQUEST);
    JsonObject enrol = new EnrolRequest(SITE, "org", "a", null, "api", "100.64.1.2", 8728, "edge", false, true,
        SECRET).toJson().put("api_port", 70000);
    assertThatThrownBy(() -> EnrolRequest.fromJson(enrol)).isInstanceOf(ReplyException.class)
        .hasMessageContaining("api_port").hasMessageNotContaining(SECRET);
    JsonObject badPassword = enrol.put("api_port", 8728).put("password", SECRET + "\n");
    assertThatThrownBy(() -> EnrolRequest.fromJson(badPassword)).hasMessageContaining("password")
        .hasMessageNotContaining(SECRET);
    JsonObject noOp = new ProbeRequest(TARGET, List.of(SECRET)).toJson().put("op", "reboot");
    assertThatThrownBy(() -> DeviceRequest.fromJson(noOp)).hasMessage("op must be apply, probe or repair");
    JsonObject noPasswords = new ProbeRequest(TARGET, List.of("x")).toJson()
        .put("login_passwords", new JsonArray().addNull());
    assertThatThrownBy(() -> DeviceRequest.fromJson(noPasswords)).hasMessageContaining("at least one password");
  }

  @Test
  @DisplayName("an unreadable device reply is never taken for success")
  void unreadableReplies() {
    assertThat(ApplyReply.fromJson(new JsonObject().put("outcome", "maybe")).outcome())
        .isEqualTo(DeviceOutcome.UNKNOWN);
    assertThat(ApplyReply.fromJson("garbage").outcome()).isEqualTo(DeviceOutcome.UNKNOWN);
    assertThat(ProbeReply.fromJson(new JsonObject()).anyLoggedIn()).isFalse();
    assertThatThrownBy(() -> CredentialReply.fromJson(new JsonObject().put("id", "v")))
        .isInstanceOf(IllegalStateException.class);
  }

  @Test
  @DisplayName("no record that carries a password prints it")
  void toStringHidesPasswords() {
    assertThat(new EnrolRequest(SITE, "o", "a", null, "api", "h", 1, "e", false, true, SECRET).toString())
        .doesNotContain(SECRET);
    assertThat(new CredentialReply("v", "s", "u", SECRET, "i", 1, "e", "c", "u").toString()).doesNotContain(SECRET);
    assertThat(new ApplyRequest(TARGET, SECRET, List.of(SECRET), 1L).toString()).doesNotContain(SECRET);
    assertThat(new ProbeRequest(TARGET, List.of(SECRET)).toString()).doesNotContain(SECRET);
  }

  private static JsonObject wire(JsonObject json) {
    return new JsonObject(json.encode());
  }

  private static Failure failure(Runnable r) {
    try {
      r.run();
    } catch (ReplyException e) {
      return Failure.of(e);
    }
    throw new AssertionError("no failure");
  }
}
