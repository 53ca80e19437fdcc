package controlplane.core.rotation;

import static org.assertj.core.api.Assertions.assertThat;

import controlplane.core.bus.Addresses;
import controlplane.core.bus.Failure;
import controlplane.core.bus.Fields;
import controlplane.core.rotation.FakeRouters.Mode;
import controlplane.core.testing.TestDatabase;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(VertxExtension.class)
class RotationWorkflowTest {

  private static String dbUrl;
  /** Every password any test of this class used, for the dump test. */
  private static final Set<String> PASSWORDS = java.util.concurrent.ConcurrentHashMap.newKeySet();
  private CoreFixture core;

  @BeforeAll
  static void database() {
    dbUrl = TestDatabase.freshDatabase();
  }

  @BeforeEach
  void deploy(Vertx vertx) {
    core = new CoreFixture(vertx, dbUrl, 2_000).start();
  }

  private String remember(String password) {
    PASSWORDS.add(password);
    return password;
  }

  @Test
  @DisplayName("an applied rotation makes the new password current and the old one previous, invalidated")
  void appliedRotation() {
    String site = core.enrol(remember("Enrolled-Password-1"));
    JsonObject cred = core.rotate(site);
    remember(cred.getString(Fields.PASSWORD));

    assertThat(cred.fieldNames()).containsExactlyInAnyOrder("id", "site_id", "username", "password", "ip_address",
        "api_port", "server_ip", "created_at", "updated_at");
    assertThat(cred.getString(Fields.SITE_ID)).isEqualTo(site);
    assertThat(cred.getInteger(Fields.API_PORT)).isEqualTo(8728);
    assertThat(cred.getString(Fields.CREATED_AT)).matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\dZ");
    assertThat(cred.getString(Fields.PASSWORD)).hasSize(32).isNotEqualTo("Enrolled-Password-1");
    assertThat(core.routers.password(site)).isEqualTo(cred.getString(Fields.PASSWORD));
    assertThat(core.storedCurrent(site)).isEqualTo(cred.getString(Fields.PASSWORD));
    assertThat(core.states(site)).containsExactly("PREVIOUS", "CURRENT");
    assertThat(core.jdbc.query("SELECT invalidated_at FROM credential_versions WHERE site_id = ?::uuid"
        + " AND state = 'PREVIOUS'", site).get(0).get("invalidated_at")).isNotNull();
    assertThat(core.audit(site)).extracting(r -> r.get("action") + "/" + r.get("outcome"))
        .containsExactly("site.put/ok", "credential.rotate/pending", "credential.rotate/applied");
    assertThat(core.registry.get("cp_rotations_total").tag("outcome", "applied").counter().count()).isEqualTo(1);
    assertThat(core.registry.get("cp_rotation_duration_seconds").timer().count()).isEqualTo(1);
  }

  @Test
  @DisplayName("a second rotation supersedes the oldest version and logs in with the current password")
  void secondRotation() {
    String site = core.enrol(remember("Enrolled-Password-2"));
    remember(core.rotate(site).getString(Fields.PASSWORD));
    String second = remember(core.rotate(site).getString(Fields.PASSWORD));
    assertThat(core.routers.password(site)).isEqualTo(second);
    assertThat(core.states(site)).containsExactly("SUPERSEDED", "PREVIOUS", "CURRENT");
  }

  @Test
  @DisplayName("an unreachable router fails the rotation as device_unreachable and keeps the current password")
  void notApplied() {
    String site = core.enrol(remember("Enrolled-Password-3"));
    core.routers.mode = Mode.UNREACHABLE;
    assertThat(core.failure(Addresses.ROTATE, CoreFixture.siteRef(site))).isEqualTo(Failure.DEVICE_UNREACHABLE);
    core.routers.mode = Mode.NORMAL;
    assertThat(core.states(site)).containsExactly("CURRENT", "FAILED");
    assertThat(core.storedCurrent(site)).isEqualTo("Enrolled-Password-3");
    assertThat(core.jdbc.query("SELECT last_error FROM credential_versions WHERE site_id = ?::uuid"
        + " AND state = 'FAILED'", site).get(0).get("last_error")).asString().contains("device_unreachable");
    assertThat(core.audit(site)).extracting(r -> r.get("outcome")).contains("not_applied");
  }

  @Test
  @DisplayName("a router refusing every known password fails as device_rejected_credentials")
  void rejected() {
    String site = core.enrol(remember("Enrolled-Password-4"));
    core.routers.set(site, remember("Changed-Behind-Our-Back"));
    assertThat(core.failure(Addresses.ROTATE, CoreFixture.siteRef(site)))
        .isEqualTo(Failure.DEVICE_REJECTED_CREDENTIALS);
    assertThat(core.states(site)).containsExactly("CURRENT", "FAILED");
  }

  @Test
  @DisplayName("an unknown outcome leaves the version pending with an expired lease, and the reconciler promotes it")
  void unknownApplied() {
    String site = core.enrol(remember("Enrolled-Password-5"));
    core.routers.mode = Mode.UNKNOWN_APPLIED;
    assertThat(core.failure(Addresses.ROTATE, CoreFixture.siteRef(site))).isEqualTo(Failure.DEVICE_OUTCOME_UNKNOWN);
    core.routers.mode = Mode.NORMAL;
    remember(core.routers.password(site));
    assertThat(core.states(site)).containsExactly("CURRENT", "PENDING");
    assertThat(core.jdbc.query("SELECT lease_expires_at <= now() AS expired FROM credential_versions"
        + " WHERE site_id = ?::uuid AND state = 'PENDING'", site).get(0).get("expired")).isEqualTo(true);

    assertThat(core.reconcile()).isGreaterThanOrEqualTo(1);
    assertThat(core.states(site)).containsExactly("PREVIOUS", "CURRENT");
    assertThat(core.storedCurrent(site)).isEqualTo(core.routers.password(site)).isNotEqualTo("Enrolled-Password-5");
    assertThat(core.audit(site)).extracting(r -> r.get("actor") + "/" + r.get("outcome"))
        .contains("tester/unknown", "reconciler/applied");
  }

  @Test
  @DisplayName("an unknown outcome where the router kept its password is settled as failed")
  void unknownNotApplied() {
    String site = core.enrol(remember("Enrolled-Password-6"));
    core.routers.mode = Mode.UNKNOWN_NOT_APPLIED;
    assertThat(core.failure(Addresses.ROTATE, CoreFixture.siteRef(site))).isEqualTo(Failure.DEVICE_OUTCOME_UNKNOWN);
    core.routers.mode = Mode.NORMAL;
    core.reconcile();
    assertThat(core.states(site)).containsExactly("CURRENT", "FAILED");
    assertThat(core.storedCurrent(site)).isEqualTo("Enrolled-Password-6").isEqualTo(core.routers.password(site));
  }

  @Test
  @DisplayName("a device that never replies gives device_outcome_unknown, and the reconciler settles it")
  void noReply() {
    String site = core.enrol(remember("Enrolled-Password-7"));
    core.routers.mode = Mode.SILENT_APPLIED;
    assertThat(core.failure(Addresses.ROTATE, CoreFixture.siteRef(site))).isEqualTo(Failure.DEVICE_OUTCOME_UNKNOWN);
    core.routers.mode = Mode.NORMAL;
    remember(core.routers.password(site));
    assertThat(core.count("PENDING", site)).isEqualTo(1);
    core.reconcile();
    assertThat(core.count("PENDING", site)).as("the device may still be at work: held for a fresh lease")
        .isEqualTo(1);
    // Time passes: the fresh lease runs out.
    core.jdbc.exec("UPDATE credential_versions SET lease_expires_at = now() WHERE state = 'PENDING'");
    core.reconcile();
    assertThat(core.count("PENDING", site)).isZero();
    assertThat(core.storedCurrent(site)).isEqualTo(core.routers.password(site));
  }

  @Test
  @DisplayName("a resend the device never answers keeps the site held (a fresh lease), as a rotation does: no"
      + " rotation starts while the device may still be at work")
  void resendTimeoutKeepsTheLease() {
    String site = core.enrol(remember("Enrolled-Password-12"));
    core.routers.mode = Mode.SILENT_APPLIED;
    assertThat(core.failure(Addresses.RESEND, CoreFixture.siteRef(site))).isEqualTo(Failure.DEVICE_OUTCOME_UNKNOWN);
    core.routers.mode = Mode.NORMAL;
    assertThat(core.failure(Addresses.ROTATE, CoreFixture.siteRef(site))).isEqualTo(Failure.ROTATION_IN_PROGRESS);
    // Time passes: the lease runs out, and the site rotates again.
    core.jdbc.exec("UPDATE sites SET push_lease_until = now() WHERE id = ?::uuid", site);
    remember(core.rotate(site).getString(Fields.PASSWORD));
    assertThat(core.storedCurrent(site)).isEqualTo(core.routers.password(site));
  }

  @Test
  @DisplayName("a repeated Idempotency-Key answers the same credential without rotating again")
  void idempotency() {
    String site = core.enrol(remember("Enrolled-Password-8"));
    String other = core.enrol(remember("Enrolled-Password-9"));
    JsonObject req = CoreFixture.siteRef(site).put(Fields.IDEMPOTENCY_KEY, "key-1");
    JsonObject first = core.ok(Addresses.ROTATE, req);
    remember(first.getString(Fields.PASSWORD));
    int applies = core.routers.applies.get();
    JsonObject again = core.ok(Addresses.ROTATE, req.copy());

    assertThat(again).isEqualTo(first);
    assertThat(core.routers.applies.get()).isEqualTo(applies);
    assertThat(core.states(site)).containsExactly("PREVIOUS", "CURRENT");
    assertThat(core.failure(Addresses.ROTATE, CoreFixture.siteRef(other).put(Fields.IDEMPOTENCY_KEY, "key-1")))
        .isEqualTo(Failure.IDEMPOTENCY_KEY_REUSED);
    // The key belongs to the organisation: another organisation may use the same one.
    assertThat(core.failure(Addresses.ROTATE, CoreFixture.siteRef(site).put(Fields.ORG_ID, "org-2")
        .put(Fields.IDEMPOTENCY_KEY, "key-1"))).isEqualTo(Failure.SITE_NOT_FOUND);
  }

  @Test
  @DisplayName("twenty concurrent rotations of one site: exactly one runs, the others are rotation_in_progress")
  void concurrentRotations() {
    String site = core.enrol(remember("Enrolled-Password-10"));
    Promise<Void> release = Promise.promise();
    core.routers.holdApplies = release.future();
    AtomicInteger refused = new AtomicInteger();
    List<Future<JsonObject>> all = new ArrayList<>();
    for (int i = 0; i < 20; i++) {
      all.add(core.send(Addresses.ROTATE, CoreFixture.siteRef(site)).onFailure(t -> {
        if (refused.incrementAndGet() == 19) {
          release.tryComplete();
        }
      }));
    }
    CoreFixture.await(Future.join(all).otherwiseEmpty());
    core.routers.holdApplies = null;

    List<JsonObject> succeeded = all.stream().filter(Future::succeeded).map(Future::result).toList();
    assertThat(succeeded).hasSize(1);
    assertThat(all.stream().filter(Future::failed).map(f -> Failure.of(f.cause())))
        .hasSize(19).containsOnly(Failure.ROTATION_IN_PROGRESS);
    String password = remember(succeeded.get(0).getString(Fields.PASSWORD));
    assertThat(core.routers.applies.get()).isEqualTo(1);
    assertThat(core.states(site)).containsExactly("PREVIOUS", "CURRENT");
    assertThat(core.storedCurrent(site)).isEqualTo(password).isEqualTo(core.routers.password(site));
  }

  @Test
  @DisplayName("rotations of different sites run side by side")
  void differentSites() {
    List<String> sites = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      sites.add(core.enrol(remember("Parallel-Password-" + i)));
    }
    List<Future<JsonObject>> all = sites.stream().map(s -> core.send(Addresses.ROTATE, CoreFixture.siteRef(s)))
        .toList();
    CoreFixture.await(Future.all(all));
    for (int i = 0; i < sites.size(); i++) {
      String password = remember(all.get(i).result().getString(Fields.PASSWORD));
      assertThat(core.routers.password(sites.get(i))).isEqualTo(password);
    }
  }

  @Test
  @DisplayName("resend re-applies the current password, logging in with the previous one when needed")
  void resend() {
    String site = core.enrol(remember("Enrolled-Password-11"));
    String current = remember(core.rotate(site).getString(Fields.PASSWORD));
    core.routers.set(site, "Enrolled-Password-11");
    JsonObject cred = core.ok(Addresses.RESEND, CoreFixture.siteRef(site));
    assertThat(cred.getString(Fields.PASSWORD)).isEqualTo(current);
    assertThat(core.routers.password(site)).isEqualTo(current);
    assertThat(core.states(site)).containsExactly("PREVIOUS", "CURRENT");
    core.routers.mode = Mode.UNREACHABLE;
    assertThat(core.failure(Addresses.RESEND, CoreFixture.siteRef(site))).isEqualTo(Failure.DEVICE_UNREACHABLE);
    core.routers.mode = Mode.NORMAL;
    // The push lease was released: a rotation may start.
    remember(core.rotate(site).getString(Fields.PASSWORD));
  }

  @Test
  @DisplayName("enrolment verifies the password, validates its fields and keeps sites of other organisations apart")
  void enrolment() {
    String site = UUID.randomUUID().toString();
    core.routers.set(site, remember("Router-Has-This"));
    assertThat(core.failure(Addresses.SITE_PUT, CoreFixture.siteBody(site, CoreFixture.ORG, remember("Wrong-One"))))
        .isEqualTo(Failure.DEVICE_REJECTED_CREDENTIALS);
    assertThat(core.failure(Addresses.SITE_GET, CoreFixture.siteRef(site))).isEqualTo(Failure.SITE_NOT_FOUND);
    assertThat(core.failure(Addresses.SITE_PUT, CoreFixture.siteBody(site, CoreFixture.ORG, "x").put(Fields.API_PORT,
        70000))).isEqualTo(Failure.INVALID_REQUEST);
    assertThat(core.failure(Addresses.SITE_PUT, CoreFixture.siteBody("not-a-uuid", CoreFixture.ORG, "x")))
        .isEqualTo(Failure.INVALID_SITE_ID);
    assertThat(core.failure(Addresses.SITE_PUT, CoreFixture.siteBody(site, CoreFixture.ORG, "x")
        .put(Fields.IP_ADDRESS, "a b"))).isEqualTo(Failure.INVALID_REQUEST);

    JsonObject created = core.ok(Addresses.SITE_PUT, CoreFixture.siteBody(site, CoreFixture.ORG, "Router-Has-This"));
    assertThat(created.getString(Fields.STATUS)).isEqualTo("in_sync");
    assertThat(created.containsKey(Fields.PASSWORD)).isFalse();
    assertThat(core.ok(Addresses.SITE_GET, CoreFixture.siteRef(site)).getString(Fields.SERVER_IP)).isEqualTo("edge-1");

    // Unverified re-enrolment with another password: it becomes current, the former one previous.
    core.ok(Addresses.SITE_PUT, CoreFixture.siteBody(site, CoreFixture.ORG, remember("Operator-Set-This"))
        .put(Fields.VERIFY, false));
    assertThat(core.storedCurrent(site)).isEqualTo("Operator-Set-This");
    assertThat(core.states(site)).containsExactly("PREVIOUS", "CURRENT");

    JsonObject otherOrg = CoreFixture.siteRef(site).put(Fields.ORG_ID, "org-2");
    assertThat(core.failure(Addresses.SITE_GET, otherOrg)).isEqualTo(Failure.SITE_NOT_FOUND);
    assertThat(core.failure(Addresses.CREDENTIALS_GET, otherOrg)).isEqualTo(Failure.SITE_NOT_FOUND);
    assertThat(core.failure(Addresses.ROTATE, otherOrg)).isEqualTo(Failure.SITE_NOT_FOUND);
    assertThat(core.failure(Addresses.SITE_DELETE, otherOrg)).isEqualTo(Failure.SITE_NOT_FOUND);
    assertThat(core.failure(Addresses.SITE_PUT, CoreFixture.siteBody(site, "org-2", "Router-Has-This")))
        .isEqualTo(Failure.SITE_NOT_FOUND);

    assertThat(core.ok(Addresses.SITE_DELETE, CoreFixture.siteRef(site)).getBoolean(Fields.DELETED)).isTrue();
    assertThat(core.failure(Addresses.SITE_GET, CoreFixture.siteRef(site))).isEqualTo(Failure.SITE_NOT_FOUND);
    // A deletion is recoverable: the versions stay until the site is purged (DeletedSitesTest).
    assertThat(core.states(site)).containsExactly("PREVIOUS", "CURRENT");
    assertThat(core.audit(site)).extracting(r -> r.get("action")).contains("site.put", "site.delete");
  }

  @Test
  @DisplayName("persistence health answers database and migrations true")
  void health() {
    assertThat(core.ok(Addresses.PERSISTENCE_HEALTH, new JsonObject()))
        .isEqualTo(new JsonObject().put("database", true).put("migrations", true));
  }

  @Test
  @DisplayName("no table holds any password used by these tests, in any form readable as text")
  void noPlaintextInAnyTable() {
    String site = core.enrol(remember("Dump-Test-Enrolled"));
    for (int i = 0; i < 3; i++) {
      remember(core.rotate(site).getString(Fields.PASSWORD));
    }
    Set<String> all = new HashSet<>(PASSWORDS);
    all.addAll(core.routers.seen);
    String dump = TestDatabase.dumpAllTables(dbUrl);
    assertThat(dump).contains("credential_versions", site);
    for (String password : all) {
      assertThat(dump).doesNotContain(password);
      assertThat(dump).doesNotContain(hex(password));
    }
    assertThat(all).hasSizeGreaterThan(4);
  }

  private static String hex(String s) {
    StringBuilder b = new StringBuilder();
    for (byte x : s.getBytes(java.nio.charset.StandardCharsets.UTF_8)) {
      b.append(String.format("%02x", x));
    }
    return b.toString();
  }
}
