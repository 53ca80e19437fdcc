package controlplane.core.bus;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** The records of issue 12 (policies, the reconcile account, repair) on the wire. */
class PolicyMessagesTest {

  private static final UUID SITE = UUID.fromString("d290f1ee-6c54-4b01-90e6-d701748f0851");
  private static final String SECRET = "S3cret-Reconcile-Never-Printed";
  private static final DeviceTarget TARGET = new DeviceTarget(SITE.toString(), "100.64.1.2", 8728, false, "api");

  private static JsonObject wire(JsonObject json) {
    return new JsonObject(json.encode());
  }

  @Test
  @DisplayName("policy requests and replies, repair requests and enrolments with a reconcile account round-trip")
  void roundTrips() {
    PolicyRequest put = new PolicyRequest("org", SITE, "alice", "r", 3600L, null, 60L, 600L);
    assertThat(PolicyRequest.fromJson(wire(put.toJson()))).isEqualTo(put);
    PolicyRequest orgGet = PolicyRequest.of("org", null, "alice", null);
    assertThat(PolicyRequest.fromJson(wire(orgGet.toJson()))).isEqualTo(orgGet);
    PolicyReply reply = new PolicyReply("org", null, null, "0 3 * * *", 0, null, "2025-10-28T05:00:00Z",
        "2025-10-28T05:00:00Z");
    assertThat(PolicyReply.fromJson(wire(reply.toJson()))).isEqualTo(reply);
    RepairRequest repair = new RepairRequest(TARGET, "cp-reconcile", SECRET, "new-one", 2000L);
    assertThat(DeviceRequest.fromJson(wire(repair.toJson()))).isEqualTo(repair);
    assertThat(repair.toString()).doesNotContain(SECRET).doesNotContain("new-one");
    EnrolRequest enrol = new EnrolRequest(SITE, "org", "alice", "r", "api", "100.64.1.2", 8728, "edge", false, true,
        "boot", null, "cp-reconcile", SECRET, false);
    assertThat(EnrolRequest.fromJson(wire(enrol.toJson()))).isEqualTo(enrol);
    assertThat(enrol.toString()).doesNotContain(SECRET).contains("cp-reconcile");
    SiteReply site = new SiteReply(SITE.toString(), "org", "api", "100.64.1.2", 8728, "edge", false, "in_sync",
        "2025-10-28T05:00:00Z", "2025-10-28T05:00:01Z", null, "2025-10-28T05:00:01Z", null);
    assertThat(SiteReply.fromJson(wire(site.toJson()))).isEqualTo(site);
    assertThat(site.toJson().containsKey(Fields.NEXT_ROTATION_AT)).isTrue();
  }

  @Test
  @DisplayName("an enrolment defaults to rotate_on_enrol; half a reconcile account, or the API user as it, is refused")
  void enrolmentChecks() {
    JsonObject body = new EnrolRequest(SITE, "org", "alice", null, "api", "100.64.1.2", 8728, "edge", false, true,
        "boot").toJson();
    body.remove(Fields.ROTATE_ON_ENROL);
    assertThat(EnrolRequest.fromJson(body).rotateOnEnrol()).isTrue();
    assertThatThrownBy(() -> EnrolRequest.fromJson(body.copy().put(Fields.RECONCILE_USERNAME, "cp-reconcile")))
        .isInstanceOf(ReplyException.class).hasMessageContaining("go together");
    assertThatThrownBy(() -> EnrolRequest.fromJson(body.copy().put(Fields.RECONCILE_USERNAME, "api")
        .put(Fields.RECONCILE_PASSWORD, SECRET)))
        .isInstanceOf(ReplyException.class).hasMessageContaining("another user").hasMessageNotContaining(SECRET);
    JsonObject repair = new RepairRequest(TARGET, "u", SECRET, "n", null).toJson();
    repair.put(Fields.LOGIN_PASSWORDS, new JsonArray(List.of(SECRET, "second")));
    assertThatThrownBy(() -> DeviceRequest.fromJson(repair)).isInstanceOf(ReplyException.class)
        .hasMessageNotContaining(SECRET);
    assertThatThrownBy(() -> PolicyRequest.fromJson(new JsonObject().put(Fields.ORG_ID, "o")
        .put(Fields.ROTATION_PERIOD_SECONDS, "3600"))).isInstanceOf(ReplyException.class)
        .hasMessageContaining(Fields.ROTATION_PERIOD_SECONDS);
  }
}
