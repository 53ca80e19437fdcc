package controlplane.config.it.http;

import static controlplane.config.it.http.ItControlPlane.ALL_SCOPES;
import static controlplane.config.it.http.ItControlPlane.ORG;
import static controlplane.config.it.http.ItControlPlane.OTHER_ORG;
import static controlplane.config.it.http.ItControlPlane.await;
import static controlplane.config.it.http.ItControlPlane.credentials;
import static controlplane.config.it.http.ItControlPlane.sitePath;
import static org.assertj.core.api.Assertions.assertThat;

import controlplane.config.it.http.ItControlPlane.Router;
import controlplane.simulator.Faults;
import io.vertx.core.Future;
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

/** Every error code of the API, each produced by a real cause in the real service. */
@DisplayName("Error codes produced by real causes")
class ErrorCodesHttpTest {

  private static final Router OK = Router.plain("err-ok", "127.0.72.1", 38728);
  private static final Router OK2 = Router.plain("err-ok2", "127.0.72.2", 38728);
  private static final Router SLOW = Router.plain("err-slow", "127.0.72.3", 38728);
  /** A router is enrolled under one site id only: a second slow one for the second test that needs one. */
  private static final Router SLOW2 = Router.plain("err-slow2", "127.0.72.10", 38728);
  private static final Router REFUSE = Router.plain("err-refuse", "127.0.72.4", 38728);
  private static final Router REJECT = Router.legacy("err-reject", "127.0.72.5", 38728);
  private static final Router SILENT = Router.plain("err-silent", "127.0.72.6", 38728);
  private static final Router AFTER = Router.plain("err-after", "127.0.72.7", 38728);
  private static final Router BEFORE = Router.plain("err-before", "127.0.72.8", 38728);
  private static final Router CORRUPT = Router.plain("err-corrupt", "127.0.72.9", 38728);
  /** Nothing listens here. */
  private static final Router CLOSED = Router.plain("err-closed", "127.0.72.250", 1);

  @TempDir
  static Path tempDir;
  static ItControlPlane it;
  static String okSite;

  @BeforeAll
  static void start() {
    it = ItControlPlane.start(tempDir, List.of(OK, OK2, SLOW, SLOW2, REFUSE, REJECT, SILENT, AFTER, BEFORE,
        CORRUPT),
        config -> { });
    okSite = it.enrol(OK);
  }

  @AfterAll
  static void stop() {
    if (it != null) {
      it.closeAssertingNoSecrets();
    }
  }

  private static HttpResponse<Buffer> rotate(String siteId) {
    return it.call(HttpMethod.POST, credentials(siteId), it.token(ALL_SCOPES));
  }

  private static HttpResponse<Buffer> resend(String siteId) {
    return it.callJson(HttpMethod.POST, sitePath(siteId) + "/action", it.token(ALL_SCOPES),
        new JsonObject().put("action", "site.resend_api_user"));
  }

  private static String storedPassword(String siteId) {
    HttpResponse<Buffer> r = it.call(HttpMethod.GET, credentials(siteId), it.token(ALL_SCOPES));
    assertThat(r.statusCode()).as(r.bodyAsString()).isEqualTo(200);
    it.assertMatchesContract(r, "listCredentials");
    return r.bodyAsJsonArray().getJsonObject(0).getString("password");
  }

  private static void assertNoPending(String siteId) {
    assertThat(it.jdbc.query("SELECT id FROM credential_versions WHERE site_id = ?::uuid AND state = 'PENDING'",
        siteId)).isEmpty();
  }

  @Test
  @DisplayName("a site id that is not a UUID is 400 invalid_site_id on every site path")
  void invalidSiteId() {
    String token = it.token(ALL_SCOPES);
    for (String bad : List.of("not-a-uuid", "d290f1ee6c544b0190e6d701748f0851", "12345",
        "d290f1ee-6c54-4b01-90e6-d701748f085g")) {
      JsonObject e = it.assertError(it.call(HttpMethod.GET, credentials(bad), token), 400, "invalid_site_id",
          "listCredentials");
      assertThat(e.getString("type")).isEqualTo("invalid_request_error");
      it.assertError(it.call(HttpMethod.POST, credentials(bad), token), 400, "invalid_site_id", "rotateCredentials");
      it.assertError(it.call(HttpMethod.GET, sitePath(bad), token), 400, "invalid_site_id", "getSite");
      it.assertError(it.call(HttpMethod.GET, sitePath(bad) + "/management-server", token), 400, "invalid_site_id",
          "getManagementServer");
      it.assertError(it.callJson(HttpMethod.PUT, sitePath(bad), token, ItControlPlane.enrolment(OK)), 400,
          "invalid_site_id", "enrolSite");
    }
  }

  @Test
  @DisplayName("malformed JSON, unknown fields, missing or mistyped fields and unknown actions are 400 invalid_request")
  void invalidRequest() {
    String token = it.token(ALL_SCOPES);
    String site = UUID.randomUUID().toString();
    it.assertError(it.callJson(HttpMethod.PUT, sitePath(site), token, "{\"org_id\": \"org-it\", "), 400,
        "invalid_request", "enrolSite");
    it.assertError(it.callJson(HttpMethod.PUT, sitePath(site), token,
        ItControlPlane.enrolment(OK).put("is_admin", true)), 400, "invalid_request", "enrolSite");
    JsonObject missing = ItControlPlane.enrolment(OK);
    missing.remove("password");
    it.assertError(it.callJson(HttpMethod.PUT, sitePath(site), token, missing), 400, "invalid_request", "enrolSite");
    it.assertError(it.callJson(HttpMethod.PUT, sitePath(site), token,
        ItControlPlane.enrolment(OK).put("api_port", "8728")), 400, "invalid_request", "enrolSite");
    it.assertError(it.callJson(HttpMethod.PUT, sitePath(site), token,
        ItControlPlane.enrolment(OK).put("api_port", 70000)), 400, "invalid_request", "enrolSite");
    it.assertError(it.callJson(HttpMethod.PUT, sitePath(site), token, "[]"), 400, "invalid_request", "enrolSite");
    // Nothing of that was stored.
    it.assertError(it.call(HttpMethod.GET, sitePath(site), token), 404, "site_not_found", "getSite");

    it.assertError(it.callJson(HttpMethod.POST, sitePath(okSite) + "/action", token,
        new JsonObject().put("action", "site.reboot")), 400, "invalid_request", "siteAction");
    it.assertError(it.callJson(HttpMethod.POST, sitePath(okSite) + "/action", token,
        new JsonObject().put("action", "site.resend_api_user").put("force", true)), 400, "invalid_request",
        "siteAction");
    it.assertError(it.callJson(HttpMethod.POST, sitePath(okSite) + "/action", token, "{action"), 400,
        "invalid_request", "siteAction");
    it.assertError(it.send(it.request(HttpMethod.POST, credentials(okSite), token)
        .putHeader("Idempotency-Key", "has space"), null), 400, "invalid_request", "rotateCredentials");
    it.assertError(it.send(it.request(HttpMethod.POST, credentials(okSite), token)
        .putHeader("Idempotency-Key", "k".repeat(300)), null), 400, "invalid_request", "rotateCredentials");
  }

  @Test
  @DisplayName("no token is 401 unauthorized with WWW-Authenticate: Bearer on every API operation")
  void unauthorized() {
    List<HttpResponse<Buffer>> responses = List.of(
        it.call(HttpMethod.POST, credentials(okSite), null),
        it.call(HttpMethod.GET, credentials(okSite), null),
        it.call(HttpMethod.GET, sitePath(okSite), null),
        it.call(HttpMethod.DELETE, sitePath(okSite), null),
        it.call(HttpMethod.GET, sitePath(okSite) + "/management-server", null));
    List<String> ops = List.of("rotateCredentials", "listCredentials", "getSite", "deleteSite",
        "getManagementServer");
    for (int i = 0; i < responses.size(); i++) {
      JsonObject e = it.assertError(responses.get(i), 401, "unauthorized", ops.get(i));
      assertThat(e.getString("type")).isEqualTo("authentication_error");
      assertThat(responses.get(i).getHeader("WWW-Authenticate")).isEqualTo("Bearer");
    }
    it.assertError(it.callJson(HttpMethod.PUT, sitePath(okSite), null, ItControlPlane.enrolment(OK)), 401,
        "unauthorized", "enrolSite");
    assertThat(storedPassword(okSite)).isEqualTo(it.routerPassword(OK));
  }

  @Test
  @DisplayName("a valid token lacking the operation's scope is 403 forbidden, and nothing happens on the router")
  void forbidden() {
    String before = it.routerPassword(OK);
    String readOnly = it.token("credentials:read");
    String rotateOnly = it.token("credentials:rotate");
    JsonObject e = it.assertError(it.call(HttpMethod.POST, credentials(okSite), readOnly), 403, "forbidden",
        "rotateCredentials");
    assertThat(e.getString("type")).isEqualTo("permission_error");
    it.assertError(it.callJson(HttpMethod.POST, sitePath(okSite) + "/action", readOnly,
        new JsonObject().put("action", "site.resend_api_user")), 403, "forbidden", "siteAction");
    it.assertError(it.call(HttpMethod.GET, credentials(okSite), rotateOnly), 403, "forbidden", "listCredentials");
    it.assertError(it.callJson(HttpMethod.PUT, sitePath(okSite), rotateOnly, ItControlPlane.enrolment(OK)), 403,
        "forbidden", "enrolSite");
    it.assertError(it.call(HttpMethod.DELETE, sitePath(okSite), readOnly), 403, "forbidden", "deleteSite");
    it.assertError(it.call(HttpMethod.GET, credentials(okSite), it.token("")), 403, "forbidden", "listCredentials");
    // An enrolment naming another organisation than the token's.
    it.assertError(it.callJson(HttpMethod.PUT, sitePath(UUID.randomUUID().toString()), it.token(ALL_SCOPES),
        ItControlPlane.enrolment(OK).put("org_id", OTHER_ORG)), 403, "forbidden", "enrolSite");
    assertThat(it.routerPassword(OK)).isEqualTo(before);
  }

  @Test
  @DisplayName("a missing site and a site of another organisation are the same 404 site_not_found")
  void siteNotFound() {
    String missing = UUID.randomUUID().toString();
    String own = it.token(ALL_SCOPES);
    String other = it.token(OTHER_ORG, ALL_SCOPES);
    JsonObject absent = it.assertError(it.call(HttpMethod.GET, credentials(missing), own), 404, "site_not_found",
        "listCredentials");
    JsonObject foreign = it.assertError(it.call(HttpMethod.GET, credentials(okSite), other), 404, "site_not_found",
        "listCredentials");
    assertThat(foreign).isEqualTo(absent);
    assertThat(absent.getString("type")).isEqualTo("not_found_error");
    assertThat(foreign.encode()).doesNotContain(okSite).doesNotContain(ORG);

    String before = it.routerPassword(OK);
    for (String token : List.of(own, other)) {
      String site = token.equals(own) ? missing : okSite;
      it.assertError(it.call(HttpMethod.POST, credentials(site), token), 404, "site_not_found", "rotateCredentials");
      it.assertError(it.call(HttpMethod.GET, sitePath(site), token), 404, "site_not_found", "getSite");
      it.assertError(it.call(HttpMethod.GET, sitePath(site) + "/management-server", token), 404, "site_not_found",
          "getManagementServer");
      it.assertError(it.callJson(HttpMethod.POST, sitePath(site) + "/action", token,
          new JsonObject().put("action", "site.resend_api_user")), 404, "site_not_found", "siteAction");
      it.assertError(it.call(HttpMethod.DELETE, sitePath(site), token), 404, "site_not_found", "deleteSite");
    }
    // Enrolling another organisation's site id under one's own organisation does not take it over.
    it.assertError(it.callJson(HttpMethod.PUT, sitePath(okSite), other,
        it.currentEnrolment(OK).put("org_id", OTHER_ORG)), 404, "site_not_found", "enrolSite");
    assertThat(it.routerPassword(OK)).isEqualTo(before);
    assertThat(storedPassword(okSite)).isEqualTo(before);
  }

  @Test
  @DisplayName("while a rotation is running on a slow router, another rotation, a resend and a re-enrolment of the "
      + "site are 409 rotation_in_progress with Retry-After")
  void rotationInProgress() {
    String site = it.enrol(SLOW);
    it.faults(SLOW, Faults.NONE.withDelayMs(150));
    try {
      Future<HttpResponse<Buffer>> running = it.request(HttpMethod.POST, credentials(site), it.token(ALL_SCOPES))
          .send();
      ItControlPlane.eventually("the rotation holds the slot", () -> !it.jdbc.query(
          "SELECT id FROM credential_versions WHERE site_id = ?::uuid AND state = 'PENDING'", site).isEmpty());

      JsonObject e = it.assertError(rotate(site), 409, "rotation_in_progress", "rotateCredentials");
      assertThat(e.getString("type")).isEqualTo("conflict_error");
      assertThat(it.call(HttpMethod.POST, credentials(site), it.token(ALL_SCOPES)).getHeader("Retry-After"))
          .isEqualTo("1");
      HttpResponse<Buffer> busyResend = resend(site);
      it.assertError(busyResend, 409, "rotation_in_progress", "siteAction");
      assertThat(busyResend.getHeader("Retry-After")).isEqualTo("1");
      it.assertError(it.callJson(HttpMethod.PUT, sitePath(site), it.token(ALL_SCOPES),
          ItControlPlane.enrolment(SLOW).put("verify", false)), 409, "rotation_in_progress", "enrolSite");

      HttpResponse<Buffer> winner = it.observe(await(running));
      assertThat(winner.statusCode()).as(winner.bodyAsString()).isEqualTo(200);
      it.assertMatchesContract(winner, "rotateCredentials");
      assertThat(it.routerPassword(SLOW)).isEqualTo(winner.bodyAsJsonObject().getString("password"));
      assertThat(it.auditRows(site, "credential.rotate", "pending")).isEqualTo(1);
    } finally {
      it.faults(SLOW, Faults.NONE);
    }
  }

  @Test
  @DisplayName("two rotations of one site sent at once: one wins, the loser is 409 rotation_in_progress with "
      + "Retry-After, and the stored password is the router's")
  void twoConcurrentRotations() {
    String site = it.enrol(SLOW2);
    it.faults(SLOW2, Faults.NONE.withDelayMs(100));
    try {
      Future<HttpResponse<Buffer>> a = it.request(HttpMethod.POST, credentials(site), it.token(ALL_SCOPES)).send();
      Future<HttpResponse<Buffer>> b = it.request(HttpMethod.POST, credentials(site), it.token(ALL_SCOPES)).send();
      List<HttpResponse<Buffer>> both = List.of(it.observe(await(a)), it.observe(await(b)));
      assertThat(both).extracting(HttpResponse::statusCode).containsExactlyInAnyOrder(200, 409);
      for (HttpResponse<Buffer> r : both) {
        if (r.statusCode() == 409) {
          it.assertError(r, 409, "rotation_in_progress", "rotateCredentials");
          assertThat(r.getHeader("Retry-After")).isEqualTo("1");
        } else {
          it.assertMatchesContract(r, "rotateCredentials");
          assertThat(it.routerPassword(SLOW2)).isEqualTo(r.bodyAsJsonObject().getString("password"));
        }
      }
    } finally {
      it.faults(SLOW2, Faults.NONE);
    }
    assertThat(storedPassword(site)).isEqualTo(it.routerPassword(SLOW2));
  }

  @Test
  @DisplayName("an Idempotency-Key reused for another site is 422 idempotency_key_reused and rotates nothing")
  void idempotencyKeyReused() {
    String other = it.enrol(OK2);
    String key = "reuse-" + UUID.randomUUID();
    HttpResponse<Buffer> first = it.send(it.request(HttpMethod.POST, credentials(okSite), it.token(ALL_SCOPES))
        .putHeader("Idempotency-Key", key), null);
    assertThat(first.statusCode()).as(first.bodyAsString()).isEqualTo(200);
    String ok2Before = it.routerPassword(OK2);

    HttpResponse<Buffer> reused = it.send(it.request(HttpMethod.POST, credentials(other), it.token(ALL_SCOPES))
        .putHeader("Idempotency-Key", key), null);
    JsonObject e = it.assertError(reused, 422, "idempotency_key_reused", "rotateCredentials");
    assertThat(e.getString("type")).isEqualTo("conflict_error");
    assertThat(it.routerPassword(OK2)).isEqualTo(ok2Before);
    assertThat(it.auditRows(other, "credential.rotate", "pending")).isZero();
  }

  @Test
  @DisplayName("a router refusing connections, and a site at a closed port enrolled without verify, are 502 "
      + "device_unreachable; enrolling with verify at the closed port is refused the same way")
  void deviceUnreachable() {
    String site = it.enrol(REFUSE);
    String before = it.routerPassword(REFUSE);
    it.faults(REFUSE, Faults.NONE.withRefuseConnections(true));
    try {
      JsonObject e = it.assertError(rotate(site), 502, "device_unreachable", "rotateCredentials");
      assertThat(e.getString("type")).isEqualTo("device_error");
      it.assertError(resend(site), 502, "device_unreachable", "siteAction");
    } finally {
      it.faults(REFUSE, Faults.NONE);
    }
    assertThat(it.routerPassword(REFUSE)).isEqualTo(before);
    assertThat(storedPassword(site)).isEqualTo(before);
    assertNoPending(site);
    assertThat(it.auditRows(site, "credential.rotate", "not_applied")).isEqualTo(1);

    String closed = UUID.randomUUID().toString();
    it.assertError(it.callJson(HttpMethod.PUT, sitePath(closed), it.token(ALL_SCOPES),
        ItControlPlane.enrolment(CLOSED)), 502, "device_unreachable", "enrolSite");
    it.assertError(it.call(HttpMethod.GET, sitePath(closed), it.token(ALL_SCOPES)), 404, "site_not_found", "getSite");
    HttpResponse<Buffer> unverified = it.callJson(HttpMethod.PUT, sitePath(closed), it.token(ALL_SCOPES),
        ItControlPlane.enrolment(CLOSED).put("verify", false));
    assertThat(unverified.statusCode()).as(unverified.bodyAsString()).isEqualTo(200);
    it.assertMatchesContract(unverified, "enrolSite");
    it.assertError(rotate(closed), 502, "device_unreachable", "rotateCredentials");
    assertThat(storedPassword(closed)).isEqualTo(CLOSED.bootstrap());
  }

  @Test
  @DisplayName("a router refusing every login is 502 device_rejected_credentials, at rotation and at enrolment")
  void deviceRejectedCredentials() {
    String site = it.enrol(REJECT);
    String before = it.routerPassword(REJECT);
    it.faults(REJECT, Faults.NONE.withRejectLogins(true));
    try {
      JsonObject e = it.assertError(rotate(site), 502, "device_rejected_credentials", "rotateCredentials");
      assertThat(e.getString("type")).isEqualTo("device_error");
      // Enrolling it again (the same site: the router is enrolled under no other) is refused by the router too.
      it.assertError(it.callJson(HttpMethod.PUT, sitePath(site), it.token(ALL_SCOPES),
          ItControlPlane.enrolment(REJECT)), 502, "device_rejected_credentials", "enrolSite");
    } finally {
      it.faults(REJECT, Faults.NONE);
    }
    assertThat(it.routerPassword(REJECT)).isEqualTo(before);
    assertThat(storedPassword(site)).isEqualTo(before);
    assertNoPending(site);
    // A wrong bootstrap password at enrolment is refused the same way.
    it.assertError(it.callJson(HttpMethod.PUT, sitePath(site), it.token(ALL_SCOPES),
        ItControlPlane.enrolment(REJECT).put("password", "not-the-password")), 502, "device_rejected_credentials",
        "enrolSite");
    assertThat(storedPassword(site)).isEqualTo(before);
  }

  @Test
  @DisplayName("a router that never answers is 504 device_timeout within the configured device timeouts")
  void deviceTimeout() {
    String site = it.enrol(SILENT);
    String before = it.routerPassword(SILENT);
    it.faults(SILENT, Faults.NONE.withNeverAnswer(true));
    try {
      JsonObject e = it.assertError(rotate(site), 504, "device_timeout", "rotateCredentials");
      assertThat(e.getString("type")).isEqualTo("device_error");
      it.assertError(resend(site), 504, "device_timeout", "siteAction");
    } finally {
      it.faults(SILENT, Faults.NONE);
    }
    assertThat(it.routerPassword(SILENT)).isEqualTo(before);
    assertThat(storedPassword(site)).isEqualTo(before);
    assertNoPending(site);
  }

  @Test
  @DisplayName("enrolling a router that never answers the login is 504 device_timeout, not a rejected password")
  void deviceTimeoutAtEnrolment() {
    it.faults(SILENT, Faults.NONE.withNeverAnswer(true));
    try {
      it.assertError(it.callJson(HttpMethod.PUT, sitePath(UUID.randomUUID().toString()), it.token(ALL_SCOPES),
          it.currentEnrolment(SILENT)), 504, "device_timeout", "enrolSite");
    } finally {
      it.faults(SILENT, Faults.NONE);
    }
  }

  @Test
  @DisplayName("the connection lost right after /user/set was applied is 504 device_outcome_unknown, and the "
      + "reconciler then settles on the password the router holds")
  void deviceOutcomeUnknownAfterApply() {
    String site = it.enrol(AFTER);
    it.faults(AFTER, Faults.NONE.withCloseAfterCommand("/user/set", Faults.Phase.AFTER_APPLY));
    String onRouter;
    try {
      JsonObject e = it.assertError(rotate(site), 504, "device_outcome_unknown", "rotateCredentials");
      assertThat(e.getString("type")).isEqualTo("device_error");
      onRouter = it.routerPassword(AFTER);
      assertThat(onRouter).isNotEqualTo(AFTER.bootstrap());
    } finally {
      it.faults(AFTER, Faults.NONE);
    }
    ItControlPlane.eventually("the reconciler promotes the applied pending password",
        () -> onRouter.equals(storedPassword(site)));
    assertNoPending(site);
    assertThat(it.logsIn(AFTER, storedPassword(site))).isTrue();
  }

  @Test
  @DisplayName("the connection lost as /user/set arrived, before it was applied, is 504 device_outcome_unknown, "
      + "and the reconciler keeps the password the router still holds")
  void deviceOutcomeUnknownBeforeApply() {
    String site = it.enrol(BEFORE);
    it.faults(BEFORE, Faults.NONE.withCloseAfterCommand("/user/set", Faults.Phase.BEFORE_APPLY));
    try {
      it.assertError(rotate(site), 504, "device_outcome_unknown", "rotateCredentials");
      assertThat(it.routerPassword(BEFORE)).isEqualTo(BEFORE.bootstrap());
    } finally {
      it.faults(BEFORE, Faults.NONE);
    }
    ItControlPlane.eventually("the reconciler fails the pending version", () -> it.jdbc.query(
        "SELECT id FROM credential_versions WHERE site_id = ?::uuid AND state = 'PENDING'", site).isEmpty());
    assertThat(storedPassword(site)).isEqualTo(BEFORE.bootstrap());
    assertThat(it.logsIn(BEFORE, BEFORE.bootstrap())).isTrue();
    // The site rotates normally afterwards.
    JsonObject next = it.rotate(site);
    assertThat(it.routerPassword(BEFORE)).isEqualTo(next.getString("password"));
  }

  @Test
  @DisplayName("a stored credential whose sealed bytes were altered at rest is 500 internal_error carrying the "
      + "request id and no detail; restored, it reads again")
  void internalError() {
    String site = it.enrol(CORRUPT);
    String flip = "UPDATE credential_versions SET sealed_password = set_byte(sealed_password, 0,"
        + " get_byte(sealed_password, 0) # 1) WHERE site_id = ?::uuid AND state = 'CURRENT'";
    assertThat(it.jdbc.exec(flip, site)).isEqualTo(1);
    try {
      HttpResponse<Buffer> r = it.send(it.request(HttpMethod.GET, credentials(site), it.token(ALL_SCOPES))
          .putHeader("X-Request-Id", "it-internal-1"), null);
      JsonObject e = it.assertError(r, 500, "internal_error", "listCredentials");
      assertThat(e.getString("type")).isEqualTo("api_error");
      assertThat(e.getString("message")).contains("it-internal-1").doesNotContain("seal").doesNotContain(site);
      assertThat(r.getHeader("X-Request-Id")).isEqualTo("it-internal-1");
    } finally {
      it.jdbc.exec(flip, site);
    }
    assertThat(storedPassword(site)).isEqualTo(CORRUPT.bootstrap());
  }
}
