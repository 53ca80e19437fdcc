package controlplane.config.it.http;

import static controlplane.config.it.http.ItControlPlane.ALL_SCOPES;
import static controlplane.config.it.http.ItControlPlane.API_USER;
import static controlplane.config.it.http.ItControlPlane.EDGE;
import static controlplane.config.it.http.ItControlPlane.ORG;
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
 * Hostile routers on real sockets, through HTTP against the real service: a trap message with CR/LF, control
 * characters and over 1,000 characters, and a reply flooding rows past {@code device.maxReplyBytes}. Each answers
 * 502 with a printable message quoting at most 200 characters of the router, the audit likewise, and the service
 * serves the next request.
 */
@DisplayName("hostile routers over HTTP against the real control plane")
class HostileRouterHttpTest {

  private static final int MAX_REPLY_BYTES = 64 * 1024;
  private static final Router HONEST = Router.plain("honest", "127.0.79.1", 38729);

  @TempDir
  static Path tempDir;
  static ItControlPlane it;
  static String honestSite;

  @BeforeAll
  static void start() {
    it = ItControlPlane.start(tempDir, List.of(HONEST),
        config -> config.getJsonObject("device").put("maxReplyBytes", MAX_REPLY_BYTES));
    honestSite = it.enrol(HONEST);
  }

  @AfterAll
  static void stop() {
    if (it != null) {
      it.closeAssertingNoSecrets();
    }
  }

  private static JsonObject enrolment(int port, boolean verify) {
    return new JsonObject().put("org_id", ORG).put("ip_address", "127.0.0.1").put("api_port", port)
        .put("server_ip", EDGE).put("username", API_USER).put("password", it.remember(ItControlPlane.password("h-")))
        .put("tls", false).put("rotate_on_enrol", false).put("verify", verify);
  }

  private static String enrol(int port, boolean verify) {
    String siteId = UUID.randomUUID().toString();
    HttpResponse<Buffer> r = it.callJson(HttpMethod.PUT, sitePath(siteId), it.token(ALL_SCOPES),
        enrolment(port, verify));
    assertThat(r.statusCode()).as(r.bodyAsString()).isEqualTo(200);
    return siteId;
  }

  /** No control, format or separator character; what the router wrote, after {@code quotedAfter}, is at most 200. */
  private static void assertSafe(String text, String quotedAfter) {
    assertThat(text).isNotBlank();
    text.codePoints().forEach(cp -> assertThat(Character.getType(cp)).as("character U+%04X of %s", cp, text)
        .isNotIn((int) Character.CONTROL, (int) Character.FORMAT, (int) Character.LINE_SEPARATOR,
            (int) Character.PARAGRAPH_SEPARATOR, (int) Character.SURROGATE));
    int at = text.indexOf(quotedAfter);
    assertThat(at).as("%s in %s", quotedAfter, text).isNotNegative();
    String quoted = text.substring(at + quotedAfter.length());
    assertThat(quoted.codePointCount(0, quoted.length())).as("router text in %s", text).isLessThanOrEqualTo(200);
  }

  /** The newest audit event of the site, read through the API. */
  private static JsonObject newestAudit(String siteId) {
    HttpResponse<Buffer> audit = it.call(HttpMethod.GET, sitePath(siteId) + "/audit", it.token(ALL_SCOPES));
    assertThat(audit.statusCode()).as(audit.bodyAsString()).isEqualTo(200);
    it.assertMatchesContract(audit, "listAuditEvents");
    return audit.bodyAsJsonObject().getJsonArray("events").getJsonObject(0);
  }

  /** The service still serves: readiness, and a rotation of an honest router. */
  private static void stillServes() {
    assertThat(it.call(HttpMethod.GET, "/health/ready", null).statusCode()).isEqualTo(200);
    String rotated = it.rotate(honestSite).getString("password");
    assertThat(it.routerPassword(HONEST)).isEqualTo(rotated);
  }

  @Test
  @DisplayName("a trap message with CR/LF, control characters and 1,000+ characters: 502 whose message is printable"
      + " and quotes at most 200 characters, the audit detail likewise; the service serves the next request")
  void hostileTrap() {
    HostileRouter router = await(HostileRouter.trapping(it.vertx));
    try {
      String siteId = enrol(router.port(), true);

      HttpResponse<Buffer> refused = it.call(HttpMethod.POST, credentials(siteId), it.token(ALL_SCOPES));
      JsonObject error = it.assertError(refused, 502, "device_rejected_credentials", "rotateCredentials");
      assertSafe(error.getString("message"), "password change refused: ");
      assertThat(error.getString("message")).contains("bad??X-Injected: yes??").endsWith("\u2026")
          .doesNotContain("THE-END");

      JsonObject event = newestAudit(siteId);
      assertThat(event.getString("action")).isEqualTo("credential.rotate");
      assertThat(event.getString("outcome")).isEqualTo("not_applied");
      assertSafe(event.getString("detail"), "password change refused: ");
      assertThat(it.logLines()).noneMatch(line -> line.contains("\u001b") || line.contains("X-Injected: yes\r"));
    } finally {
      await(router.close());
    }
    stillServes();
  }

  @Test
  @DisplayName("a router flooding rows past device.maxReplyBytes: enrolment and rotation answer 502 device_unreachable"
      + " (protocol error: reply exceeds ... bytes), the audit says so; the service serves the next request")
  void floodingRouter() {
    HostileRouter router = await(HostileRouter.flooding(it.vertx, 4 * 1024));
    try {
      String token = it.token(ALL_SCOPES);
      HttpResponse<Buffer> enrolRefused = it.callJson(HttpMethod.PUT, sitePath(UUID.randomUUID().toString()), token,
          enrolment(router.port(), true));
      JsonObject enrolError = it.assertError(enrolRefused, 502, "device_unreachable", "enrolSite");
      assertThat(enrolError.getString("message")).contains("reply exceeds " + MAX_REPLY_BYTES + " bytes");
      assertSafe(enrolError.getString("message"), "protocol error");

      String siteId = enrol(router.port(), false);
      HttpResponse<Buffer> refused = it.call(HttpMethod.POST, credentials(siteId), token);
      JsonObject error = it.assertError(refused, 502, "device_unreachable", "rotateCredentials");
      assertThat(error.getString("message")).contains("reply exceeds " + MAX_REPLY_BYTES + " bytes");
      assertSafe(error.getString("message"), "protocol error");

      JsonObject event = newestAudit(siteId);
      assertThat(event.getString("action")).isEqualTo("credential.rotate");
      assertThat(event.getString("outcome")).isEqualTo("not_applied");
      assertThat(event.getString("detail")).startsWith("device_unreachable: ")
          .contains("reply exceeds " + MAX_REPLY_BYTES + " bytes");
    } finally {
      await(router.close());
    }
    stillServes();
  }
}
