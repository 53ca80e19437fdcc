package controlplane.http;

import static org.assertj.core.api.Assertions.assertThat;

import controlplane.core.bus.Addresses;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class ControlPlaneEndpointsTest extends HttpTestBase {

  static final List<String> CREDENTIAL_FIELDS = List.of("id", "site_id", "username", "password", "ip_address",
    "api_port", "server_ip", "created_at", "updated_at");

  static JsonObject enrolment() {
    return new JsonObject()
      .put("org_id", ORG)
      .put("ip_address", "100.64.1.23")
      .put("api_port", 8728)
      .put("server_ip", "edge-us-east-1a.ostrat.io")
      .put("username", "altostrat-api")
      .put("password", "bootstrap-Pa55")
      .put("tls", false);
  }

  @Test
  @DisplayName("POST credentials rotates through core and answers exactly the nine-field credential object")
  void rotate() {
    HttpResponse<Buffer> response = await(request(HttpMethod.POST, "/control-plane/" + SITE + "/credentials")
      .bearerTokenAuthentication(token("credentials:rotate"))
      .putHeader("Idempotency-Key", "key-123")
      .putHeader("X-Request-Id", "req-abc.1")
      .send());

    assertThat(response.statusCode()).isEqualTo(200);
    JsonObject body = response.bodyAsJsonObject();
    assertThat(body.fieldNames()).containsExactlyInAnyOrderElementsOf(CREDENTIAL_FIELDS);
    assertThat(body.getValue("api_port")).isEqualTo(8728);
    assertThat(body.getString("site_id")).isEqualTo(SITE);
    assertThat(response.getHeader("Cache-Control")).isEqualTo("no-store");
    assertThat(response.getHeader("X-Request-Id")).isEqualTo("req-abc.1");
    assertMatchesContract(response, "rotateCredentials");

    JsonObject sent = core.received(Addresses.ROTATE).get(0);
    assertThat(sent.getString("site_id")).isEqualTo(SITE);
    assertThat(sent.getString("org_id")).isEqualTo(ORG);
    assertThat(sent.getString("actor")).isEqualTo("alice");
    assertThat(sent.getString("idempotency_key")).isEqualTo("key-123");
    assertThat(sent.getString("request_id")).isEqualTo("req-abc.1");
  }

  @Test
  @DisplayName("a rotation without Idempotency-Key sends none, and an upper-case site id reaches core lower-cased")
  void rotateWithoutKey() {
    HttpResponse<Buffer> response = call(HttpMethod.POST, "/control-plane/" + SITE.toUpperCase() + "/credentials",
      token("credentials:rotate"));

    assertThat(response.statusCode()).isEqualTo(200);
    JsonObject sent = core.received(Addresses.ROTATE).get(0);
    assertThat(sent.containsKey("idempotency_key")).isFalse();
    assertThat(sent.getString("site_id")).isEqualTo(SITE);
  }

  @Test
  @DisplayName("GET credentials answers an array holding the current credential, not cacheable")
  void list() {
    HttpResponse<Buffer> response = call(HttpMethod.GET, "/control-plane/" + SITE + "/credentials",
      token("credentials:read"));

    assertThat(response.statusCode()).isEqualTo(200);
    JsonArray body = response.bodyAsJsonArray();
    assertThat(body).hasSize(1);
    assertThat(body.getJsonObject(0).fieldNames()).containsExactlyInAnyOrderElementsOf(CREDENTIAL_FIELDS);
    assertThat(response.getHeader("Cache-Control")).isEqualTo("no-store");
    assertMatchesContract(response, "listCredentials");
    JsonObject sent = core.received(Addresses.CREDENTIALS_GET).get(0);
    assertThat(sent.getString("org_id")).isEqualTo(ORG);
    assertThat(sent.getString("site_id")).isEqualTo(SITE);
  }

  @Test
  @DisplayName("the resend action re-pushes through core and answers the credential object")
  void resend() {
    HttpResponse<Buffer> response = callJson(HttpMethod.POST, "/control-plane/" + SITE + "/action",
      token("credentials:rotate"), new JsonObject().put("action", "site.resend_api_user"));

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.bodyAsJsonObject().fieldNames()).containsExactlyInAnyOrderElementsOf(CREDENTIAL_FIELDS);
    assertThat(response.getHeader("Cache-Control")).isEqualTo("no-store");
    assertMatchesContract(response, "siteAction");
    JsonObject sent = core.received(Addresses.RESEND).get(0);
    assertThat(sent.getString("actor")).isEqualTo("alice");
    assertThat(sent.getString("org_id")).isEqualTo(ORG);
  }

  @Test
  @DisplayName("an action other than site.resend_api_user is a 400 and reaches no core")
  void unknownAction() {
    HttpResponse<Buffer> response = callJson(HttpMethod.POST, "/control-plane/" + SITE + "/action",
      token("credentials:rotate"), new JsonObject().put("action", "site.reboot"));

    assertError(response, 400, "invalid_request");
    assertThat(core.received(Addresses.RESEND)).isEmpty();
  }

  @Test
  @DisplayName("GET management-server answers only the server_ip")
  void managementServer() {
    HttpResponse<Buffer> response = call(HttpMethod.GET, "/control-plane/" + SITE + "/management-server",
      token("credentials:read"));

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.bodyAsJsonObject()).isEqualTo(new JsonObject().put("server_ip", "edge-us-east-1a.ostrat.io"));
    assertMatchesContract(response, "getManagementServer");
  }

  @Test
  @DisplayName("PUT enrols the site with the token's org and actor, and never echoes a password")
  void enrol() {
    HttpResponse<Buffer> response = callJson(HttpMethod.PUT, "/control-plane/" + SITE, token("sites:write"),
      enrolment().put("verify", false));

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.bodyAsString()).doesNotContain("password").doesNotContain(ScriptedCore.SECRET_PASSWORD);
    assertThat(response.bodyAsJsonObject().getString("status")).isEqualTo("in_sync");
    assertMatchesContract(response, "enrolSite");
    JsonObject sent = core.received(Addresses.SITE_PUT).get(0);
    assertThat(sent.getString("org_id")).isEqualTo(ORG);
    assertThat(sent.getString("actor")).isEqualTo("alice");
    assertThat(sent.getString("password")).isEqualTo("bootstrap-Pa55");
    assertThat(sent.getInteger("api_port")).isEqualTo(8728);
    assertThat(sent.getBoolean("tls")).isFalse();
    assertThat(sent.getBoolean("verify")).isFalse();
  }

  @Test
  @DisplayName("an API-SSL enrolment passes the stated tls_fingerprint to core; the site shows its pin")
  void enrolWithPin() {
    String pin = "0123456789abcdef".repeat(4);
    core.script(Addresses.SITE_PUT, m -> Future.succeededFuture(ScriptedCore.site(m.getString("site_id"))
      .put("tls", true).put("api_port", 8729).put("tls_fingerprint", m.getString("tls_fingerprint"))));
    HttpResponse<Buffer> response = callJson(HttpMethod.PUT, "/control-plane/" + SITE, token("sites:write"),
      enrolment().put("tls", true).put("api_port", 8729).put("tls_fingerprint", pin));

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.bodyAsJsonObject().getString("tls_fingerprint")).isEqualTo(pin);
    assertMatchesContract(response, "enrolSite");
    assertThat(core.received(Addresses.SITE_PUT).get(0).getString("tls_fingerprint")).isEqualTo(pin);
  }

  @Test
  @DisplayName("a tls_fingerprint in another form (upper case, colons, short) is a 400 that reaches no core")
  void enrolWithMalformedPin() {
    String pin = "0123456789abcdef".repeat(4);
    for (String bad : List.of(pin.toUpperCase(), "01:23" + pin.substring(4), pin.substring(1))) {
      HttpResponse<Buffer> response = callJson(HttpMethod.PUT, "/control-plane/" + SITE, token("sites:write"),
        enrolment().put("tls", true).put("tls_fingerprint", bad));
      assertError(response, 400, "invalid_request");
    }
    assertThat(core.received(Addresses.SITE_PUT)).isEmpty();
  }

  @Test
  @DisplayName("enrolment verifies by default")
  void enrolVerifiesByDefault() {
    HttpResponse<Buffer> response = callJson(HttpMethod.PUT, "/control-plane/" + SITE, token("sites:write"),
      enrolment());

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(core.received(Addresses.SITE_PUT).get(0).getBoolean("verify")).isTrue();
  }

  @Test
  @DisplayName("enrolment naming another organisation than the token's is a 403 and reaches no core")
  void enrolOtherOrg() {
    HttpResponse<Buffer> response = callJson(HttpMethod.PUT, "/control-plane/" + SITE, token("sites:write"),
      enrolment().put("org_id", "org-b"));

    assertError(response, 403, "forbidden");
    assertThat(core.received(Addresses.SITE_PUT)).isEmpty();
  }

  @Test
  @DisplayName("enrolment with an unknown field is a 400")
  void enrolUnknownField() {
    HttpResponse<Buffer> response = callJson(HttpMethod.PUT, "/control-plane/" + SITE, token("sites:write"),
      enrolment().put("is_admin", true));

    JsonObject error = assertError(response, 400, "invalid_request");
    assertThat(error.getString("message")).doesNotContain("bootstrap-Pa55");
    assertThat(core.received(Addresses.SITE_PUT)).isEmpty();
  }

  @Test
  @DisplayName("enrolment missing a required field or with a wrong type is a 400 that never echoes the password")
  void enrolInvalid() {
    HttpResponse<Buffer> missing = callJson(HttpMethod.PUT, "/control-plane/" + SITE, token("sites:write"),
      enrolment().put("api_port", "not-a-port"));
    HttpResponse<Buffer> wrongType = callJson(HttpMethod.PUT, "/control-plane/" + SITE, token("sites:write"),
      enrolment().put("password", 12345));

    assertError(missing, 400, "invalid_request");
    assertError(wrongType, 400, "invalid_request");
    assertThat(core.received(Addresses.SITE_PUT)).isEmpty();
  }

  @Test
  @DisplayName("GET site answers the site object without a password")
  void getSite() {
    HttpResponse<Buffer> response = call(HttpMethod.GET, "/control-plane/" + SITE, token("credentials:read"));

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.bodyAsJsonObject().containsKey("password")).isFalse();
    assertThat(response.bodyAsString()).doesNotContain(ScriptedCore.SECRET_PASSWORD);
    assertMatchesContract(response, "getSite");
  }

  @Test
  @DisplayName("DELETE site answers 204 and sends the actor to core")
  void deleteSite() {
    HttpResponse<Buffer> response = call(HttpMethod.DELETE, "/control-plane/" + SITE, token("sites:write"));

    assertThat(response.statusCode()).isEqualTo(204);
    assertThat(response.getHeader("X-Request-Id")).isNotBlank();
    assertMatchesContract(response, "deleteSite");
    JsonObject sent = core.received(Addresses.SITE_DELETE).get(0);
    assertThat(sent.getString("actor")).isEqualTo("alice");
    assertThat(sent.getString("org_id")).isEqualTo(ORG);
  }

  @Test
  @DisplayName("X-Request-Id is generated when absent and replaced when not sane; core receives the same id")
  void requestIds() {
    HttpResponse<Buffer> generated = call(HttpMethod.GET, "/control-plane/" + SITE + "/credentials",
      token("credentials:read"));
    HttpResponse<Buffer> insane = await(request(HttpMethod.GET, "/control-plane/" + SITE + "/credentials")
      .bearerTokenAuthentication(token("credentials:read"))
      .putHeader("X-Request-Id", "bad id with spaces <script>")
      .send());

    String id = generated.getHeader("X-Request-Id");
    assertThat(id).matches("[0-9a-f-]{36}");
    assertThat(core.received(Addresses.CREDENTIALS_GET).get(0).getString("request_id")).isEqualTo(id);
    assertThat(insane.getHeader("X-Request-Id")).matches("[0-9a-f-]{36}");
  }
}
