package controlplane.config.it.http;

import static controlplane.config.it.http.ItControlPlane.ALL_SCOPES;
import static controlplane.config.it.http.ItControlPlane.OTHER_ORG;
import static controlplane.config.it.http.ItControlPlane.sitePath;
import static org.assertj.core.api.Assertions.assertThat;

import controlplane.config.it.http.ItControlPlane.Router;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** GET .../credentials/history and GET .../audit through the real service: contract, paging, isolation, no secret. */
@DisplayName("Credential history and audit trail through the real service")
class HistoryAuditHttpTest {

  private static final Router ROUTER = Router.plain("hist-1", "127.0.91.1", 38728);
  private static final Router AUDITED = Router.plain("hist-2", "127.0.91.2", 38728);
  private static final Router OTHER = Router.plain("hist-3", "127.0.91.3", 38728);

  @TempDir
  static Path tempDir;
  static ItControlPlane it;

  @BeforeAll
  static void start() {
    it = ItControlPlane.start(tempDir, List.of(ROUTER, AUDITED, OTHER), config -> { });
  }

  @AfterAll
  static void stop() {
    if (it != null) {
      it.closeAssertingNoSecrets();
    }
  }

  private static String history(String site) {
    return sitePath(site) + "/credentials/history";
  }

  private static String audit(String site) {
    return sitePath(site) + "/audit";
  }

  @Test
  @DisplayName("the history lists every version newest first with its state and reason, and no password or sealed"
      + " value")
  void historyOfVersions() {
    String site = it.enrol(ROUTER);
    List<String> passwords = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      passwords.add(it.remember(it.rotate(site).getString("password")));
    }

    HttpResponse<Buffer> r = it.call(HttpMethod.GET, history(site), it.token(ALL_SCOPES));
    assertThat(r.statusCode()).as(r.bodyAsString()).isEqualTo(200);
    it.assertMatchesContract(r, "getCredentialHistory");
    JsonArray versions = r.bodyAsJsonObject().getJsonArray("versions");
    assertThat(versions.stream().map(v -> ((JsonObject) v).getString("state")).toList())
        .containsExactly("CURRENT", "PREVIOUS", "SUPERSEDED", "SUPERSEDED");
    List<Map<String, Object>> rows = it.jdbc.query("SELECT id, sealed_password, nonce FROM credential_versions"
        + " WHERE site_id = ?::uuid ORDER BY created_at DESC", site);
    assertThat(versions.stream().map(v -> ((JsonObject) v).getString("id")).toList())
        .containsExactlyElementsOf(rows.stream().map(row -> row.get("id").toString()).toList());
    assertNoSecret(r.bodyAsString(), passwords, rows);
    versions.forEach(v -> assertThat(((JsonObject) v).fieldNames())
        .containsAnyOf("id").doesNotContain("password", "sealed_password", "key_id", "nonce"));
  }

  @Test
  @DisplayName("the audit trail pages newest first with an opaque cursor, every event once, no password")
  void auditPages() {
    String site = it.enrol(AUDITED);
    List<String> passwords = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      passwords.add(it.remember(it.rotate(site).getString("password")));
    }
    List<Long> expected = it.jdbc.query("SELECT id FROM audit_events WHERE site_id = ?::uuid ORDER BY at DESC, id DESC",
        site).stream().map(row -> ((Number) row.get("id")).longValue()).toList();
    assertThat(expected).hasSizeGreaterThanOrEqualTo(7); // enrolment, then pending and applied per rotation

    List<Long> seen = new ArrayList<>();
    String cursor = null;
    int pages = 0;
    do {
      HttpResponse<Buffer> r = it.call(HttpMethod.GET, audit(site) + "?limit=2" + (cursor == null ? ""
          : "&cursor=" + cursor), it.token("credentials:read"));
      assertThat(r.statusCode()).as(r.bodyAsString()).isEqualTo(200);
      it.assertMatchesContract(r, "listAuditEvents");
      assertNoSecret(r.bodyAsString(), passwords, List.of());
      JsonObject page = r.bodyAsJsonObject();
      JsonArray events = page.getJsonArray("events");
      assertThat(events.size()).isBetween(1, 2);
      events.forEach(e -> {
        JsonObject event = (JsonObject) e;
        seen.add(event.getLong("id"));
        assertThat(event.getString("action")).isNotBlank();
        assertThat(event.getString("outcome")).isNotBlank();
      });
      cursor = page.getString("next_cursor");
      pages++;
    } while (cursor != null && pages < 50);

    assertThat(seen).containsExactlyElementsOf(expected);
    assertThat(pages).isEqualTo((expected.size() + 1) / 2);
  }

  @Test
  @DisplayName("another organisation's, a deleted or a missing site is 404; the read scope is needed; a bad cursor"
      + " or limit is 400")
  void isolationAndErrors() {
    String site = it.enrol(OTHER);
    String other = it.token(OTHER_ORG, ALL_SCOPES);
    it.assertError(it.call(HttpMethod.GET, history(site), other), 404, "site_not_found", "getCredentialHistory");
    it.assertError(it.call(HttpMethod.GET, audit(site), other), 404, "site_not_found", "listAuditEvents");
    it.assertError(it.call(HttpMethod.GET, history(site), it.token("sites:write")), 403, "forbidden",
        "getCredentialHistory");
    it.assertError(it.call(HttpMethod.GET, audit(site), it.token("credentials:rotate")), 403, "forbidden",
        "listAuditEvents");
    it.assertError(it.call(HttpMethod.GET, audit(site) + "?cursor=bm90LWFuLWlk", it.token(ALL_SCOPES)), 400,
        "invalid_request", "listAuditEvents");
    it.assertError(it.call(HttpMethod.GET, audit(site) + "?limit=1001", it.token(ALL_SCOPES)), 400,
        "invalid_request", "listAuditEvents");
    it.assertError(it.call(HttpMethod.GET, audit(site) + "?cursor=a%2Fb", it.token(ALL_SCOPES)), 400,
        "invalid_request", "listAuditEvents");

    assertThat(it.call(HttpMethod.DELETE, sitePath(site), it.token(ALL_SCOPES)).statusCode()).isEqualTo(204);
    it.assertError(it.call(HttpMethod.GET, history(site), it.token(ALL_SCOPES)), 404, "site_not_found",
        "getCredentialHistory");
    it.assertError(it.call(HttpMethod.GET, audit(site), it.token(ALL_SCOPES)), 404, "site_not_found",
        "listAuditEvents");
    it.assertError(it.call(HttpMethod.GET, history("7d0e8f2a-1b3c-4d5e-8f90-000000000000"), it.token(ALL_SCOPES)),
        404, "site_not_found", "getCredentialHistory");
  }

  /** None of the passwords, nor any stored sealed value or nonce (hex or base64), is in {@code body}. */
  private static void assertNoSecret(String body, List<String> passwords, List<Map<String, Object>> rows) {
    passwords.forEach(p -> assertThat(body).doesNotContain(p));
    for (Map<String, Object> row : rows) {
      for (String column : List.of("sealed_password", "nonce")) {
        byte[] value = (byte[]) row.get(column);
        assertThat(body).doesNotContain(HexFormat.of().formatHex(value))
            .doesNotContain(Base64.getEncoder().encodeToString(value))
            .doesNotContain(Base64.getUrlEncoder().withoutPadding().encodeToString(value));
      }
    }
  }
}
