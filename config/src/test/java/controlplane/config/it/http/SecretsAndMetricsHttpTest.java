package controlplane.config.it.http;

import static controlplane.config.it.http.ItControlPlane.ALL_SCOPES;
import static controlplane.config.it.http.ItControlPlane.credentials;
import static controlplane.config.it.http.ItControlPlane.password;
import static controlplane.config.it.http.ItControlPlane.sitePath;
import static org.assertj.core.api.Assertions.assertThat;

import controlplane.config.PrometheusLint;
import controlplane.config.it.http.ItControlPlane.Router;
import controlplane.core.testing.TestDatabase;
import controlplane.simulator.Faults;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Drives a varied run (enrolments, rotations, an idempotent replay, refused and unknown outcomes, a drifted router
 * repaired, rejected requests carrying passwords), collecting every password generated or used, then checks that
 * no log event, no table, no error body and no metric carries one, and that /metrics is valid Prometheus text with
 * the documented series and no site id.
 */
@DisplayName("Secrets stay out of logs, tables, error bodies and metrics; /metrics is Prometheus text")
class SecretsAndMetricsHttpTest {

  private static final Router A = Router.plain("sec-a", "127.0.75.1", 38728);
  private static final Router B = Router.legacy("sec-b", "127.0.75.2", 38728);
  private static final Router C = Router.plain("sec-c", "127.0.75.3", 38728);
  /** Enrolled only at the end, unverified: the refused enrolments before that find it enrolled under no site. */
  private static final Router D = Router.plain("sec-d", "127.0.75.4", 38728);

  @TempDir
  static Path tempDir;
  static ItControlPlane it;
  static final List<String> siteIds = new ArrayList<>();
  static final List<String> tokens = new ArrayList<>();

  @BeforeAll
  static void startAndDrive() {
    it = ItControlPlane.start(tempDir, List.of(A, B, C, D), config -> { });
    String token = it.token(ALL_SCOPES);
    tokens.add(token);
    String a = it.enrol(A);
    String b = it.enrol(B);
    String c = it.enrol(C);
    siteIds.addAll(List.of(a, b, c));

    // Rotations, a replay, a read.
    it.rotate(a);
    it.rotate(b);
    it.send(it.request(HttpMethod.POST, credentials(a), token).putHeader("Idempotency-Key", "sec-key-1"), null);
    it.send(it.request(HttpMethod.POST, credentials(a), token).putHeader("Idempotency-Key", "sec-key-1"), null);
    it.call(HttpMethod.GET, credentials(b), token);

    // Refused by the router, then an unknown outcome the reconciler settles.
    it.faults(C, Faults.NONE.withRejectLogins(true));
    it.assertError(it.call(HttpMethod.POST, credentials(c), token), 502, "device_rejected_credentials",
        "rotateCredentials");
    it.faults(C, Faults.NONE.withCloseAfterCommand("/user/set", Faults.Phase.AFTER_APPLY));
    it.assertError(it.call(HttpMethod.POST, credentials(c), token), 504, "device_outcome_unknown",
        "rotateCredentials");
    it.routerPassword(C);
    it.faults(C, Faults.NONE);
    ItControlPlane.eventually("the reconciler settles site c", () -> it.jdbc.query(
        "SELECT id FROM credential_versions WHERE site_id = ?::uuid AND state = 'PENDING'", c).isEmpty());
    it.call(HttpMethod.GET, credentials(c), token);

    // A drifted router repaired by a resend, and one drifted to a foreign password.
    String current = it.routerPassword(B);
    String drift = it.remember(password("drift-"));
    it.router(B).setPassword(ItControlPlane.API_USER, drift);
    it.assertError(it.callJson(HttpMethod.POST, sitePath(b) + "/action", token,
        new JsonObject().put("action", "site.resend_api_user")), 502, "device_rejected_credentials", "siteAction");
    it.router(B).setPassword(ItControlPlane.API_USER, current);
    HttpResponse<Buffer> resent = it.callJson(HttpMethod.POST, sitePath(b) + "/action", token,
        new JsonObject().put("action", "site.resend_api_user"));
    assertThat(resent.statusCode()).isEqualTo(200);

    // Requests carrying passwords that are refused: a wrong bootstrap password, unknown fields, bad types, a body
    // over the limit, another organisation.
    String wrong = it.remember(password("wrongboot-"));
    it.assertError(it.callJson(HttpMethod.PUT, sitePath(UUID.randomUUID().toString()), token,
        ItControlPlane.enrolment(D).put("password", wrong)), 502, "device_rejected_credentials", "enrolSite");
    String unknownField = it.remember(password("unknownfield-"));
    it.assertError(it.callJson(HttpMethod.PUT, sitePath(UUID.randomUUID().toString()), token,
        ItControlPlane.enrolment(A).put("password", unknownField).put("admin_password", unknownField)), 400,
        "invalid_request", "enrolSite");
    String badType = it.remember(password("badtype-"));
    it.assertError(it.callJson(HttpMethod.PUT, sitePath(UUID.randomUUID().toString()), token,
        ItControlPlane.enrolment(A).put("password", badType).put("api_port", badType)), 400, "invalid_request",
        "enrolSite");
    String malformed = it.remember(password("malformed-"));
    it.assertError(it.callJson(HttpMethod.PUT, sitePath(UUID.randomUUID().toString()), token,
        "{\"password\": \"" + malformed + "\", "), 400, "invalid_request", "enrolSite");
    String tooLong = it.remember(password("toolong-") + "x".repeat(300));
    it.assertError(it.callJson(HttpMethod.PUT, sitePath(UUID.randomUUID().toString()), token,
        ItControlPlane.enrolment(A).put("password", tooLong)), 400, "invalid_request", "enrolSite");
    String control = it.remember(password("ctl-") + "\u0001");
    it.assertError(it.callJson(HttpMethod.PUT, sitePath(UUID.randomUUID().toString()), token,
        ItControlPlane.enrolment(A).put("password", control)), 400, "invalid_request", "enrolSite");
    String foreignOrg = it.remember(password("foreignorg-"));
    String other = it.token(ItControlPlane.OTHER_ORG, ALL_SCOPES);
    tokens.add(other);
    it.assertError(it.callJson(HttpMethod.PUT, sitePath(a), other,
        ItControlPlane.enrolment(A).put("org_id", ItControlPlane.OTHER_ORG).put("password", foreignOrg)
            .put("verify", false)), 404, "site_not_found", "enrolSite");
    // A password in the query string and in a header, where nothing reads them.
    String inUrl = it.remember(password("inurl-"));
    it.call(HttpMethod.GET, credentials(b) + "?password=" + inUrl, token);
    String inHeader = it.remember(password("inheader-"));
    it.send(it.request(HttpMethod.GET, credentials(b), token).putHeader("X-Password", inHeader), null);
    // Enrolment without verification of a password that is then rotated away.
    String unverified = it.remember(password("unverified-"));
    HttpResponse<Buffer> put = it.callJson(HttpMethod.PUT, sitePath(UUID.randomUUID().toString()), token,
        ItControlPlane.enrolment(D).put("password", unverified).put("verify", false));
    assertThat(put.statusCode()).isEqualTo(200);
    siteIds.add(put.bodyAsJsonObject().getString("site_id"));
    // Whatever the routers hold at the end is a secret too.
    for (Router r : List.of(A, B, C, D)) {
      it.routerPassword(r);
    }
  }

  @AfterAll
  static void stop() {
    if (it != null) {
      it.close();
    }
  }

  @Test
  @DisplayName("the run handled the passwords it claims to have: rotated ones are on the routers")
  void sanity() {
    assertThat(it.secrets()).hasSizeGreaterThan(15);
    assertThat(it.logsIn(A, it.routerPassword(A))).isTrue();
    assertThat(it.auditRows(siteIds.get(0), "credential.rotate", "pending")).isEqualTo(2);
  }

  @Test
  @DisplayName("no log event of the run (message, arguments, MDC, stack trace) carries a password or a bearer token")
  void logs() {
    List<String> lines = it.logLines();
    assertThat(lines).as("captured log events").hasSizeGreaterThan(20);
    assertThat(String.join("\n", lines)).contains("access").contains(siteIds.get(0));
    ItControlPlane.assertNoneContains("log events", lines, it.secrets());
    List<String> signatures = tokens.stream().map(t -> t.substring(t.lastIndexOf('.') + 1)).toList();
    ItControlPlane.assertNoneContains("log events", lines, signatures);
  }

  @Test
  @DisplayName("no table holds a password in plaintext (nor in hex)")
  void tables() {
    String dump = TestDatabase.dumpAllTables(it.databaseUrl);
    assertThat(dump).contains("== credential_versions").contains(siteIds.get(0)).contains("sealed_password=\\x");
    ItControlPlane.assertNoneContains("the database dump", List.of(dump), it.secrets());
    List<String> hex = it.secrets().stream().map(s -> java.util.HexFormat.of().formatHex(
        s.getBytes(java.nio.charset.StandardCharsets.UTF_8))).toList();
    ItControlPlane.assertNoneContains("the database dump", List.of(dump), hex);
  }

  @Test
  @DisplayName("no error body carries a password")
  void errorBodies() {
    assertThat(it.errorBodies()).hasSizeGreaterThanOrEqualTo(8);
    ItControlPlane.assertNoneContains("error bodies", it.errorBodies(), it.secrets());
  }

  @Test
  @DisplayName("/metrics is Prometheus text with rotations, the rotation histogram, device latency, HTTP server and "
      + "pool series, and carries no site id and no password")
  void metrics() {
    HttpResponse<Buffer> r = it.call(HttpMethod.GET, "/metrics", null);
    assertThat(r.statusCode()).isEqualTo(200);
    it.assertMatchesContract(r, "getMetrics");
    assertThat(r.getHeader("Content-Type")).startsWith("text/plain");
    String text = r.bodyAsString();
    Set<String> names = ItControlPlane.parsePrometheus(text);
    assertThat(PrometheusLint.problems(text)).as("promtool's naming rules").isEmpty();
    assertThat(names).contains("cp_rotations_total", "cp_rotation_duration_seconds_bucket",
        "cp_rotation_duration_seconds_count", "vertx_http_server_requests_total");
    assertThat(names).anyMatch(n -> n.startsWith("cp_device_operation_seconds"));
    assertThat(names).as("a database pool metric").anyMatch(n -> n.startsWith("vertx_pool_"));
    assertThat(text).containsPattern("cp_rotations_total\\{[^}]*outcome=\"applied\"[^}]*} [1-9]");
    assertThat(text).containsPattern("cp_rotations_total\\{[^}]*outcome=\"unknown\"");
    assertThat(text).containsPattern("cp_rotations_total\\{[^}]*outcome=\"replayed\"");
    for (String id : siteIds) {
      assertThat(text).doesNotContain(id);
    }
    ItControlPlane.assertNoneContains("/metrics", List.of(text), it.secrets());
  }
}
