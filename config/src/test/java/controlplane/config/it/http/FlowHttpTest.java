package controlplane.config.it.http;

import static controlplane.config.it.http.ItControlPlane.ALL_SCOPES;
import static controlplane.config.it.http.ItControlPlane.EDGE;
import static controlplane.config.it.http.ItControlPlane.credentials;
import static controlplane.config.it.http.ItControlPlane.password;
import static controlplane.config.it.http.ItControlPlane.sitePath;
import static org.assertj.core.api.Assertions.assertThat;

import controlplane.config.it.http.ItControlPlane.Router;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The whole product flow over HTTP against the real service, PostgreSQL and simulated routers. */
@DisplayName("Credential flow over HTTP against the real control plane")
class FlowHttpTest {

  private static final Router PLAIN = Router.plain("flow-plain", "127.0.71.1", 38728);
  private static final Router LEGACY = Router.legacy("flow-legacy", "127.0.71.2", 38728);
  private static final Router IDEMPOTENT = Router.plain("flow-idem", "127.0.71.3", 38728);
  private static final Router DRIFT = Router.plain("flow-drift", "127.0.71.4", 38728);
  private static final Router BURST = Router.plain("flow-burst", "127.0.71.5", 38728);

  @TempDir
  static Path tempDir;
  static ItControlPlane it;

  @BeforeAll
  static void start() {
    it = ItControlPlane.start(tempDir, List.of(PLAIN, LEGACY, IDEMPOTENT, DRIFT, BURST), config -> { });
  }

  @AfterAll
  static void stop() {
    if (it != null) {
      try {
        ItControlPlane.assertNoneContains("log events", it.logLines(), it.secrets());
      } finally {
        it.close();
      }
    }
  }

  @Test
  @DisplayName("enrol, rotate, read, resend, management server, delete: each answer matches the contract and the "
      + "router holds exactly the password the service hands out")
  void wholeFlow() {
    runFlow(PLAIN);
  }

  @Test
  @DisplayName("the same flow works against a router speaking the legacy (pre-6.43) login")
  void wholeFlowLegacyLogin() {
    runFlow(LEGACY);
  }

  private void runFlow(Router router) {
    String token = it.token(ALL_SCOPES);
    String siteId = java.util.UUID.randomUUID().toString();

    // Enrol: the site object, never the password.
    HttpResponse<Buffer> put = it.callJson(HttpMethod.PUT, sitePath(siteId), token, ItControlPlane.enrolment(router));
    assertThat(put.statusCode()).as(put.bodyAsString()).isEqualTo(200);
    it.assertMatchesContract(put, "enrolSite");
    JsonObject site = put.bodyAsJsonObject();
    assertThat(site.getString("site_id")).isEqualTo(siteId);
    assertThat(site.getString("org_id")).isEqualTo(ItControlPlane.ORG);
    assertThat(site.getString("status")).isEqualTo("in_sync");
    assertThat(put.bodyAsString()).doesNotContain(router.bootstrap()).doesNotContain("password");

    HttpResponse<Buffer> got = it.call(HttpMethod.GET, sitePath(siteId), token);
    assertThat(got.statusCode()).isEqualTo(200);
    it.assertMatchesContract(got, "getSite");
    assertThat(got.bodyAsJsonObject().getInteger("api_port")).isEqualTo(router.port());
    assertThat(got.bodyAsString()).doesNotContain(router.bootstrap());

    // Before any rotation the current credential is the bootstrap one.
    HttpResponse<Buffer> before = it.call(HttpMethod.GET, credentials(siteId), token);
    assertThat(before.statusCode()).isEqualTo(200);
    it.assertMatchesContract(before, "listCredentials");
    assertThat(before.bodyAsJsonArray().getJsonObject(0).getString("password")).isEqualTo(router.bootstrap());

    // Rotate: the router takes the new password and refuses the old one.
    HttpResponse<Buffer> rotated = it.call(HttpMethod.POST, credentials(siteId), token);
    assertThat(rotated.statusCode()).as(rotated.bodyAsString()).isEqualTo(200);
    it.assertMatchesContract(rotated, "rotateCredentials");
    assertThat(rotated.getHeader("Cache-Control")).isEqualTo("no-store");
    assertThat(rotated.getHeader("X-Request-Id")).isNotBlank();
    JsonObject credential = rotated.bodyAsJsonObject();
    assertThat(credential.fieldNames()).containsExactlyInAnyOrder("id", "site_id", "username", "password",
        "ip_address", "api_port", "server_ip", "created_at", "updated_at");
    assertThat(credential.getString("site_id")).isEqualTo(siteId);
    assertThat(credential.getString("username")).isEqualTo(ItControlPlane.API_USER);
    assertThat(credential.getString("ip_address")).isEqualTo(router.address());
    assertThat(credential.getValue("api_port")).isEqualTo(router.port());
    assertThat(credential.getString("server_ip")).isEqualTo(EDGE);
    assertThat(credential.getString("created_at")).endsWith("Z");
    assertThat(Instant.parse(credential.getString("updated_at"))).isNotNull();
    String newPassword = credential.getString("password");
    assertThat(newPassword).isNotEqualTo(router.bootstrap()).hasSizeGreaterThanOrEqualTo(32);

    assertThat(it.routerPassword(router)).isEqualTo(newPassword);
    assertThat(it.logsIn(router, newPassword)).as("router accepts the new password").isTrue();
    assertThat(it.logsIn(router, router.bootstrap())).as("router refuses the old password").isFalse();

    // Read: the same credential.
    HttpResponse<Buffer> read = it.call(HttpMethod.GET, credentials(siteId), token);
    assertThat(read.statusCode()).isEqualTo(200);
    it.assertMatchesContract(read, "listCredentials");
    assertThat(read.getHeader("Cache-Control")).isEqualTo("no-store");
    JsonArray list = read.bodyAsJsonArray();
    assertThat(list).hasSize(1);
    assertThat(list.getJsonObject(0).getString("id")).isEqualTo(credential.getString("id"));
    assertThat(list.getJsonObject(0).getString("password")).isEqualTo(newPassword);

    // A second rotation logs in with the first rotation's password and replaces it.
    JsonObject second = it.rotate(siteId);
    assertThat(second.getString("id")).isNotEqualTo(credential.getString("id"));
    assertThat(it.routerPassword(router)).isEqualTo(second.getString("password"));
    assertThat(it.logsIn(router, newPassword)).isFalse();

    // Resend: the router drifted back to the previous password behind the service's back; the re-push repairs it.
    assertThat(it.router(router).setPassword(ItControlPlane.API_USER, newPassword)).isTrue();
    assertThat(it.logsIn(router, second.getString("password"))).isFalse();
    HttpResponse<Buffer> resent = it.callJson(HttpMethod.POST, sitePath(siteId) + "/action", token,
        new JsonObject().put("action", "site.resend_api_user"));
    assertThat(resent.statusCode()).as(resent.bodyAsString()).isEqualTo(200);
    it.assertMatchesContract(resent, "siteAction");
    assertThat(resent.bodyAsJsonObject().getString("id")).isEqualTo(second.getString("id"));
    assertThat(resent.bodyAsJsonObject().getString("password")).isEqualTo(second.getString("password"));
    assertThat(it.routerPassword(router)).isEqualTo(second.getString("password"));
    assertThat(it.logsIn(router, second.getString("password"))).isTrue();

    // Management server.
    HttpResponse<Buffer> ms = it.call(HttpMethod.GET, sitePath(siteId) + "/management-server", token);
    assertThat(ms.statusCode()).isEqualTo(200);
    it.assertMatchesContract(ms, "getManagementServer");
    assertThat(ms.bodyAsJsonObject()).isEqualTo(new JsonObject().put("server_ip", EDGE));

    // Audit trail: the enrolment, two applied rotations and the resend, never a password.
    assertThat(it.auditRows(siteId, "site.put", "ok")).isEqualTo(1);
    assertThat(it.auditRows(siteId, "credential.rotate", "pending")).isEqualTo(2);
    assertThat(it.auditRows(siteId, "credential.resend", "applied")).isEqualTo(1);

    // Delete, then every site path is 404 site_not_found.
    HttpResponse<Buffer> deleted = it.call(HttpMethod.DELETE, sitePath(siteId), token);
    assertThat(deleted.statusCode()).isEqualTo(204);
    it.assertMatchesContract(deleted, "deleteSite");
    it.assertError(it.call(HttpMethod.GET, sitePath(siteId), token), 404, "site_not_found", "getSite");
    it.assertError(it.call(HttpMethod.GET, credentials(siteId), token), 404, "site_not_found", "listCredentials");
    it.assertError(it.call(HttpMethod.POST, credentials(siteId), token), 404, "site_not_found", "rotateCredentials");
    it.assertError(it.call(HttpMethod.DELETE, sitePath(siteId), token), 404, "site_not_found", "deleteSite");
    // Recoverable until purged (DeletedSitesHttpTest): the sealed versions stay, a purge removes them.
    assertThat(it.jdbc.query("SELECT id FROM credential_versions WHERE site_id = ?::uuid", siteId)).isNotEmpty();
    HttpResponse<Buffer> purged = it.call(HttpMethod.DELETE, "/control-plane/deleted-sites/" + siteId, token);
    assertThat(purged.statusCode()).as(purged.bodyAsString()).isEqualTo(204);
    assertThat(it.jdbc.query("SELECT id FROM credential_versions WHERE site_id = ?::uuid", siteId)).isEmpty();
    // The router keeps the last password it was given.
    assertThat(it.logsIn(router, second.getString("password"))).isTrue();
  }

  @Test
  @DisplayName("a repeated rotation with the same Idempotency-Key answers the same id and password and the router "
      + "is rotated once")
  void idempotentRetry() {
    String siteId = it.enrol(IDEMPOTENT);
    String token = it.token(ALL_SCOPES);
    String key = "retry-" + java.util.UUID.randomUUID();

    HttpResponse<Buffer> first = it.send(it.request(HttpMethod.POST, credentials(siteId), token)
        .putHeader("Idempotency-Key", key), null);
    assertThat(first.statusCode()).as(first.bodyAsString()).isEqualTo(200);
    it.assertMatchesContract(first, "rotateCredentials");
    String routerAfterFirst = it.routerPassword(IDEMPOTENT);

    HttpResponse<Buffer> again = it.send(it.request(HttpMethod.POST, credentials(siteId), token)
        .putHeader("Idempotency-Key", key), null);
    assertThat(again.statusCode()).as(again.bodyAsString()).isEqualTo(200);
    it.assertMatchesContract(again, "rotateCredentials");

    JsonObject a = first.bodyAsJsonObject();
    JsonObject b = again.bodyAsJsonObject();
    assertThat(b.getString("id")).isEqualTo(a.getString("id"));
    assertThat(b.getString("password")).isEqualTo(a.getString("password"));
    assertThat(it.routerPassword(IDEMPOTENT)).isEqualTo(routerAfterFirst).isEqualTo(a.getString("password"));
    assertThat(it.auditRows(siteId, "credential.rotate", "pending")).as("rotations started").isEqualTo(1);
    assertThat(it.jdbc.query("SELECT id FROM credential_versions WHERE site_id = ?::uuid", siteId))
        .as("bootstrap and one rotated version").hasSize(2);
    assertThat(it.jdbc.query("SELECT key FROM idempotency_records WHERE key = ?", key)).hasSize(1);

    // Without the key a retry is a new rotation.
    JsonObject fresh = it.rotate(siteId);
    assertThat(fresh.getString("id")).isNotEqualTo(a.getString("id"));
    assertThat(it.routerPassword(IDEMPOTENT)).isEqualTo(fresh.getString("password"));
  }

  @Test
  @DisplayName("concurrent retries with one Idempotency-Key never rotate twice: each answer is the stored credential "
      + "or a 409 rotation_in_progress")
  void concurrentIdempotentRetries() {
    String siteId = it.enrol(BURST);
    String token = it.token(ALL_SCOPES);
    String key = "burst-" + java.util.UUID.randomUUID();
    List<Future<HttpResponse<Buffer>>> sent = new java.util.ArrayList<>();
    for (int i = 0; i < 4; i++) {
      sent.add(it.request(HttpMethod.POST, credentials(siteId), token).putHeader("Idempotency-Key", key).send());
    }
    List<HttpResponse<Buffer>> responses = sent.stream().map(ItControlPlane::await).map(it::observe).toList();
    String router = it.routerPassword(BURST);
    for (HttpResponse<Buffer> r : responses) {
      it.assertMatchesContract(r, "rotateCredentials");
      if (r.statusCode() == 200) {
        assertThat(r.bodyAsJsonObject().getString("password")).isEqualTo(router);
      } else {
        it.assertError(r, 409, "rotation_in_progress", "rotateCredentials");
        assertThat(r.getHeader("Retry-After")).isEqualTo("1");
      }
    }
    assertThat(responses).anyMatch(r -> r.statusCode() == 200);
    assertThat(it.auditRows(siteId, "credential.rotate", "pending")).isEqualTo(1);
  }

  @Test
  @DisplayName("a re-push of a router that drifted to an unknown password is refused with "
      + "device_rejected_credentials and the stored credential is unchanged")
  void resendToForeignPassword() {
    String siteId = it.enrol(new Router(DRIFT.name(), DRIFT.address(), DRIFT.port(), DRIFT.version(), DRIFT.login(),
        it.routerPassword(DRIFT)));
    String token = it.token(ALL_SCOPES);
    String stored = it.call(HttpMethod.GET, credentials(siteId), token).bodyAsJsonArray().getJsonObject(0)
        .getString("password");
    String foreign = it.remember(password("foreign-"));
    assertThat(it.router(DRIFT).setPassword(ItControlPlane.API_USER, foreign)).isTrue();
    try {
      HttpResponse<Buffer> resent = it.callJson(HttpMethod.POST, sitePath(siteId) + "/action", token,
          new JsonObject().put("action", "site.resend_api_user"));
      it.assertError(resent, 502, "device_rejected_credentials", "siteAction");
      assertThat(it.routerPassword(DRIFT)).isEqualTo(foreign);
      assertThat(it.call(HttpMethod.GET, credentials(siteId), token).bodyAsJsonArray().getJsonObject(0)
          .getString("password")).isEqualTo(stored);
    } finally {
      it.router(DRIFT).setPassword(ItControlPlane.API_USER, stored);
    }
  }

  @Test
  @DisplayName("X-Request-Id is echoed when sane and made up otherwise")
  void requestIds() {
    HttpResponse<Buffer> echoed = it.send(it.request(HttpMethod.GET, "/health/live", null)
        .putHeader("X-Request-Id", "it-flow-123"), null);
    assertThat(echoed.statusCode()).isEqualTo(200);
    it.assertMatchesContract(echoed, "getLiveness");
    assertThat(echoed.getHeader("X-Request-Id")).isEqualTo("it-flow-123");

    HttpResponse<Buffer> made = it.call(HttpMethod.GET, "/health/ready", null);
    assertThat(made.statusCode()).isEqualTo(200);
    it.assertMatchesContract(made, "getReadiness");
    assertThat(made.getHeader("X-Request-Id")).isNotBlank();

    HttpResponse<Buffer> contract = it.call(HttpMethod.GET, "/openapi.yaml", null);
    assertThat(contract.statusCode()).isEqualTo(200);
    it.assertMatchesContract(contract, "getOpenApi");
    assertThat(contract.bodyAsString()).isEqualTo(ItControlPlane.contractText());
  }
}
