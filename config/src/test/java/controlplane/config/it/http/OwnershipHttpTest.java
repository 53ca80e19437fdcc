package controlplane.config.it.http;

import static controlplane.config.it.http.ItControlPlane.ALL_SCOPES;
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
 * Issue 12 over HTTP against the real service, PostgreSQL and simulated routers: an enrolment takes ownership of the
 * router (rotates the bootstrap password at once) unless told not to, and rotation policies answer the contract.
 */
class OwnershipHttpTest {

  private static final Router OWNED = Router.plain("own-owned", "127.0.82.1", 38728);
  private static final Router KEPT = Router.plain("own-kept", "127.0.82.2", 38728);

  @TempDir
  static Path tempDir;
  static ItControlPlane it;

  @BeforeAll
  static void start() {
    it = ItControlPlane.start(tempDir, List.of(OWNED, KEPT), config -> { });
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
  @DisplayName("by default the enrolment rotates the bootstrap password: the router then holds one nobody has seen")
  void takesOwnership() {
    String token = it.token(ALL_SCOPES);
    String siteId = UUID.randomUUID().toString();
    JsonObject body = ItControlPlane.enrolment(OWNED);
    body.remove("rotate_on_enrol");
    HttpResponse<Buffer> put = it.callJson(HttpMethod.PUT, sitePath(siteId), token, body);
    assertThat(put.statusCode()).as(put.bodyAsString()).isEqualTo(200);
    it.assertMatchesContract(put, "enrolSite");
    assertThat(put.bodyAsJsonObject().getString("last_rotated_at")).isNotNull();
    String held = it.routerPassword(OWNED);
    assertThat(held).isNotEqualTo(OWNED.bootstrap());
    assertThat(it.logsIn(OWNED, OWNED.bootstrap())).isFalse();
    HttpResponse<Buffer> read = it.call(HttpMethod.GET, credentials(siteId), token);
    assertThat(read.bodyAsJsonArray().getJsonObject(0).getString("password")).isEqualTo(held);

    String kept = UUID.randomUUID().toString();
    HttpResponse<Buffer> optOut = it.callJson(HttpMethod.PUT, sitePath(kept), token,
        ItControlPlane.enrolment(KEPT).put("rotate_on_enrol", false));
    assertThat(optOut.statusCode()).isEqualTo(200);
    assertThat(it.routerPassword(KEPT)).isEqualTo(KEPT.bootstrap());
  }

  @Test
  @DisplayName("rotation policies: the organisation's default and a site's override, as the contract says")
  void policies() {
    String token = it.token(ALL_SCOPES);
    HttpResponse<Buffer> missing = it.call(HttpMethod.GET, "/control-plane/rotation-policy", token);
    it.assertError(missing, 404, "policy_not_found", "getOrganisationRotationPolicy");
    HttpResponse<Buffer> put = it.callJson(HttpMethod.PUT, "/control-plane/rotation-policy", token,
        new JsonObject().put("rotation_schedule", "0 3 * * 1-5").put("rotation_window_seconds", 900));
    assertThat(put.statusCode()).as(put.bodyAsString()).isEqualTo(200);
    it.assertMatchesContract(put, "putOrganisationRotationPolicy");
    HttpResponse<Buffer> bad = it.callJson(HttpMethod.PUT, "/control-plane/rotation-policy", token,
        new JsonObject().put("rotation_schedule", "0 3 * *"));
    it.assertError(bad, 400, "invalid_request", "putOrganisationRotationPolicy");

    String siteId = UUID.randomUUID().toString();
    HttpResponse<Buffer> none = it.call(HttpMethod.GET, sitePath(siteId) + "/rotation-policy", token);
    it.assertError(none, 404, "site_not_found", "getSiteRotationPolicy");
  }
}
