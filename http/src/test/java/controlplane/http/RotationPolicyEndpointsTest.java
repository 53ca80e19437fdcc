package controlplane.http;

import static org.assertj.core.api.Assertions.assertThat;

import controlplane.core.bus.Addresses;
import controlplane.core.bus.Failure;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** The rotation-policy operations in front of a scripted core. */
class RotationPolicyEndpointsTest extends HttpTestBase {

  private static final String ORG_POLICY = "/control-plane/rotation-policy";

  private static String sitePolicy() {
    return "/control-plane/" + SITE + "/rotation-policy";
  }

  @Test
  @DisplayName("PUT and GET of the organisation's default send the token's organisation and no site id")
  void organisationDefault() {
    HttpResponse<Buffer> put = callJson(HttpMethod.PUT, ORG_POLICY, token("sites:write"),
      new JsonObject().put("rotation_period_seconds", 86400).put("rotation_window_seconds", 600));
    assertThat(put.statusCode()).as(put.bodyAsString()).isEqualTo(200);
    assertMatchesContract(put, "putOrganisationRotationPolicy");
    JsonObject sent = core.received(Addresses.POLICY_PUT).get(0);
    assertThat(sent.getString("org_id")).isEqualTo(ORG);
    assertThat(sent.containsKey("site_id")).isFalse();
    assertThat(sent.getLong("rotation_period_seconds")).isEqualTo(86400);
    assertThat(sent.getString("actor")).isEqualTo("alice");

    HttpResponse<Buffer> get = call(HttpMethod.GET, ORG_POLICY, token("sites:write"));
    assertThat(get.statusCode()).isEqualTo(200);
    assertMatchesContract(get, "getOrganisationRotationPolicy");
    assertThat(core.received(Addresses.SITE_GET)).as("not taken for a site id").isEmpty();
  }

  @Test
  @DisplayName("PUT, GET and DELETE of a site's override name the site")
  void siteOverride() {
    HttpResponse<Buffer> put = callJson(HttpMethod.PUT, sitePolicy(), token("sites:write"),
      new JsonObject().put("rotation_schedule", "0 3 * * 1-5").put("drift_check_period_seconds", 3600));
    assertThat(put.statusCode()).as(put.bodyAsString()).isEqualTo(200);
    assertMatchesContract(put, "putSiteRotationPolicy");
    assertThat(core.received(Addresses.POLICY_PUT).get(0).getString("site_id")).isEqualTo(SITE);
    assertThat(core.received(Addresses.POLICY_PUT).get(0).getString("rotation_schedule")).isEqualTo("0 3 * * 1-5");

    HttpResponse<Buffer> get = call(HttpMethod.GET, sitePolicy(), token("sites:write"));
    assertThat(get.statusCode()).isEqualTo(200);
    assertMatchesContract(get, "getSiteRotationPolicy");

    HttpResponse<Buffer> deleted = call(HttpMethod.DELETE, sitePolicy(), token("sites:write"));
    assertThat(deleted.statusCode()).isEqualTo(204);
    assertMatchesContract(deleted, "deleteSiteRotationPolicy");
    assertThat(core.received(Addresses.POLICY_DELETE).get(0).getString("site_id")).isEqualTo(SITE);
  }

  @Test
  @DisplayName("a period under 60 s, a negative window or an unknown field is a 400 that reaches no core")
  void invalid() {
    for (JsonObject body : List.of(new JsonObject().put("rotation_period_seconds", 59),
        new JsonObject().put("rotation_period_seconds", 3600).put("rotation_window_seconds", -1),
        new JsonObject().put("rotation_period_seconds", 3600).put("surprise", true))) {
      HttpResponse<Buffer> response = callJson(HttpMethod.PUT, ORG_POLICY, token("sites:write"), body);
      assertError(response, 400, "invalid_request");
    }
    assertThat(core.received(Addresses.POLICY_PUT)).isEmpty();
  }

  @Test
  @DisplayName("core's checks (both period and schedule, a bad cron) and a missing policy map to 400 and 404")
  void coreFailures() {
    core.failWith(Addresses.POLICY_PUT, Failure.INVALID_REQUEST, "exactly one of rotation_period_seconds and"
        + " rotation_schedule is required");
    assertError(callJson(HttpMethod.PUT, ORG_POLICY, token("sites:write"),
      new JsonObject().put("rotation_period_seconds", 3600).put("rotation_schedule", "0 3 * * *")), 400,
      "invalid_request");
    core.failWith(Addresses.POLICY_GET, Failure.POLICY_NOT_FOUND, "no rotation policy is set here");
    HttpResponse<Buffer> missing = call(HttpMethod.GET, ORG_POLICY, token("sites:write"));
    assertError(missing, 404, "policy_not_found");
    assertMatchesContract(missing, "getOrganisationRotationPolicy");
  }

  @Test
  @DisplayName("every operation needs sites:write")
  void scope() {
    assertError(call(HttpMethod.GET, ORG_POLICY, token("credentials:read")), 403, "forbidden");
    assertError(call(HttpMethod.DELETE, sitePolicy(), token("credentials:rotate")), 403, "forbidden");
    assertThat(core.received(Addresses.POLICY_GET)).isEmpty();
  }
}
