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

/** The {@code /control-plane/deleted-sites} operations in front of a scripted core. */
class DeletedSitesEndpointsTest extends HttpTestBase {

  private static final String LIST = "/control-plane/deleted-sites";
  private static final String OTHER = "7d0e8f2a-1b3c-4d5e-8f90-a1b2c3d4e5f6";

  @Test
  @DisplayName("GET deleted-sites lists the token's organisation's page, never a password, with next_after")
  void list() {
    HttpResponse<Buffer> response = call(HttpMethod.GET, LIST + "?limit=2&after=" + OTHER.toUpperCase(),
      token("sites:write"));

    assertThat(response.statusCode()).as(response.bodyAsString()).isEqualTo(200);
    assertMatchesContract(response, "listDeletedSites");
    JsonObject body = response.bodyAsJsonObject();
    assertThat(body.getString("next_after")).isEqualTo(SITE);
    JsonObject site = body.getJsonArray("deleted_sites").getJsonObject(0);
    assertThat(site.getString("deleted_at")).isEqualTo("2025-10-28T06:00:00Z");
    assertThat(site.getString("purge_at")).isEqualTo("2025-11-27T06:00:00Z");
    assertThat(response.bodyAsString()).doesNotContain("password").doesNotContain(ScriptedCore.SECRET_PASSWORD);
    assertThat(core.received(Addresses.SITE_GET)).as("not taken for a site id").isEmpty();
    JsonObject sent = core.received(Addresses.DELETED_SITES_LIST).get(0);
    assertThat(sent).isEqualTo(new JsonObject().put("org_id", ORG).put("limit", 2).put("after", OTHER));
  }

  @Test
  @DisplayName("without limit and after, the first page of 100")
  void listDefaults() {
    assertThat(call(HttpMethod.GET, LIST, token("sites:write")).statusCode()).isEqualTo(200);
    assertThat(core.received(Addresses.DELETED_SITES_LIST).get(0))
      .isEqualTo(new JsonObject().put("org_id", ORG).put("limit", 100));
  }

  @Test
  @DisplayName("a limit outside 1..1000 or an after that is not a site id is a 400 that reaches no core")
  void listInvalid() {
    for (String query : List.of("?limit=0", "?limit=1001", "?limit=ten", "?after=not-a-uuid")) {
      HttpResponse<Buffer> response = call(HttpMethod.GET, LIST + query, token("sites:write"));
      assertError(response, 400, "invalid_request");
      assertMatchesContract(response, "listDeletedSites");
    }
    assertThat(core.received(Addresses.DELETED_SITES_LIST)).isEmpty();
  }

  @Test
  @DisplayName("recover answers the site object; purge answers 204; both send the actor and the token's org")
  void recoverAndPurge() {
    HttpResponse<Buffer> recovered = call(HttpMethod.POST, LIST + "/" + SITE + "/recover", token("sites:write"));
    assertThat(recovered.statusCode()).isEqualTo(200);
    assertMatchesContract(recovered, "recoverDeletedSite");
    assertThat(recovered.bodyAsJsonObject().containsKey("password")).isFalse();

    HttpResponse<Buffer> purged = call(HttpMethod.DELETE, LIST + "/" + SITE, token("sites:write"));
    assertThat(purged.statusCode()).isEqualTo(204);
    assertMatchesContract(purged, "purgeDeletedSite");
    for (String address : List.of(Addresses.SITE_RECOVER, Addresses.SITE_PURGE)) {
      JsonObject sent = core.received(address).get(0);
      assertThat(sent.getString("site_id")).isEqualTo(SITE);
      assertThat(sent.getString("org_id")).isEqualTo(ORG);
      assertThat(sent.getString("actor")).isEqualTo("alice");
    }
  }

  @Test
  @DisplayName("every operation needs sites:write")
  void scope() {
    String readOnly = token("credentials:read credentials:rotate");
    assertError(call(HttpMethod.GET, LIST, readOnly), 403, "forbidden");
    assertError(call(HttpMethod.POST, LIST + "/" + SITE + "/recover", readOnly), 403, "forbidden");
    assertError(call(HttpMethod.DELETE, LIST + "/" + SITE, readOnly), 403, "forbidden");
    assertThat(core.received(Addresses.DELETED_SITES_LIST)).isEmpty();
    assertThat(core.received(Addresses.SITE_RECOVER)).isEmpty();
    assertThat(core.received(Addresses.SITE_PURGE)).isEmpty();
  }

  @Test
  @DisplayName("site_exists and site_deleted are 409 conflict_error without Retry-After; a busy delete has one")
  void conflicts() {
    core.failWith(Addresses.SITE_RECOVER, Failure.SITE_EXISTS, "this site is not deleted");
    core.failWith(Addresses.SITE_PURGE, Failure.SITE_NOT_FOUND, "no deleted site with this id");
    core.failWith(Addresses.SITE_PUT, Failure.SITE_DELETED, "recover or purge it first");
    core.failWith(Addresses.SITE_DELETE, Failure.ROTATION_IN_PROGRESS, "a rotation is in flight");

    HttpResponse<Buffer> exists = call(HttpMethod.POST, LIST + "/" + SITE + "/recover", token("sites:write"));
    assertThat(assertError(exists, 409, "site_exists").getString("type")).isEqualTo("conflict_error");
    assertThat(exists.getHeader("Retry-After")).isNull();
    assertMatchesContract(exists, "recoverDeletedSite");

    HttpResponse<Buffer> missing = call(HttpMethod.DELETE, LIST + "/" + SITE, token("sites:write"));
    assertError(missing, 404, "site_not_found");
    assertMatchesContract(missing, "purgeDeletedSite");

    JsonObject enrolment = new JsonObject().put("org_id", ORG).put("ip_address", "100.64.1.23").put("api_port", 8728)
      .put("server_ip", "edge-1").put("username", "api").put("password", "Bootstrap-Secret-1").put("tls", false);
    HttpResponse<Buffer> deleted = callJson(HttpMethod.PUT, "/control-plane/" + SITE, token("sites:write"),
      enrolment);
    assertError(deleted, 409, "site_deleted");
    assertThat(deleted.getHeader("Retry-After")).isNull();
    assertMatchesContract(deleted, "enrolSite");

    HttpResponse<Buffer> busy = call(HttpMethod.DELETE, "/control-plane/" + SITE, token("sites:write"));
    assertError(busy, 409, "rotation_in_progress");
    assertThat(busy.getHeader("Retry-After")).isEqualTo("1");
    assertMatchesContract(busy, "deleteSite");
  }
}
