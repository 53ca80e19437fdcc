package controlplane.config.it.http;

import static controlplane.config.it.http.ItControlPlane.ALL_SCOPES;
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
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Deleting, listing, recovering and purging sites through the real service, and the housekeeper behind it. */
@DisplayName("Deleted sites through the real service")
class DeletedSitesHttpTest {

  private static final Router KEPT = Router.plain("del-kept", "127.0.78.1", 38728);
  private static final Router SLOW = Router.plain("del-slow", "127.0.78.2", 38728);
  private static final Router EXPIRED = Router.plain("del-expired", "127.0.78.3", 38728);
  private static final String DELETED_SITES = "/control-plane/deleted-sites";

  @TempDir
  static Path tempDir;
  static ItControlPlane it;

  @BeforeAll
  static void start() {
    // Housekeeping every half second, with the default windows: only what a test dates back is old enough.
    it = ItControlPlane.start(tempDir, List.of(KEPT, SLOW, EXPIRED),
        config -> config.getJsonObject("retention").put("housekeepingIntervalMs", 500));
  }

  @AfterAll
  static void stop() {
    if (it != null) {
      it.closeAssertingNoSecrets();
    }
  }

  private static String token() {
    return it.token(ALL_SCOPES);
  }

  private static JsonArray listed(String token) {
    HttpResponse<Buffer> r = it.call(HttpMethod.GET, DELETED_SITES, token);
    assertThat(r.statusCode()).as(r.bodyAsString()).isEqualTo(200);
    it.assertMatchesContract(r, "listDeletedSites");
    return r.bodyAsJsonObject().getJsonArray("deleted_sites");
  }

  private static JsonObject listedSite(String siteId) {
    return listed(token()).stream().map(JsonObject.class::cast).filter(s -> s.getString("site_id").equals(siteId))
        .findFirst().orElse(null);
  }

  @Test
  @DisplayName("a deleted site is 404 everywhere and 409 site_deleted to enrol, is listed, recovers with its "
      + "credential, and is purged for good with its audit trail kept")
  void lifecycle() {
    String site = it.enrol(KEPT);
    JsonObject rotated = it.rotate(site);
    String password = rotated.getString("password");

    HttpResponse<Buffer> deleted = it.call(HttpMethod.DELETE, sitePath(site), token());
    assertThat(deleted.statusCode()).isEqualTo(204);
    it.assertMatchesContract(deleted, "deleteSite");
    it.assertError(it.call(HttpMethod.GET, sitePath(site), token()), 404, "site_not_found", "getSite");
    it.assertError(it.call(HttpMethod.GET, credentials(site), token()), 404, "site_not_found", "listCredentials");
    it.assertError(it.call(HttpMethod.POST, credentials(site), token()), 404, "site_not_found", "rotateCredentials");
    it.assertError(it.call(HttpMethod.GET, sitePath(site) + "/management-server", token()), 404, "site_not_found",
        "getManagementServer");
    JsonObject refused = it.assertError(it.callJson(HttpMethod.PUT, sitePath(site), token(),
        it.currentEnrolment(KEPT)), 409, "site_deleted", "enrolSite");
    assertThat(refused.getString("type")).isEqualTo("conflict_error");

    JsonObject listed = listedSite(site);
    assertThat(listed).isNotNull();
    assertThat(listed.containsKey("password")).isFalse();
    assertThat(Instant.parse(listed.getString("purge_at")))
        .isEqualTo(Instant.parse(listed.getString("deleted_at")).plus(Duration.ofDays(30)));
    assertThat(listed(it.token(OTHER_ORG, ALL_SCOPES))).extracting(s -> ((JsonObject) s).getString("site_id"))
        .doesNotContain(site);
    it.assertError(it.call(HttpMethod.POST, DELETED_SITES + "/" + site + "/recover", it.token(OTHER_ORG, ALL_SCOPES)),
        404, "site_not_found", "recoverDeletedSite");
    it.assertError(it.call(HttpMethod.DELETE, DELETED_SITES + "/" + site, it.token(OTHER_ORG, ALL_SCOPES)),
        404, "site_not_found", "purgeDeletedSite");

    HttpResponse<Buffer> recovered = it.call(HttpMethod.POST, DELETED_SITES + "/" + site + "/recover", token());
    assertThat(recovered.statusCode()).as(recovered.bodyAsString()).isEqualTo(200);
    it.assertMatchesContract(recovered, "recoverDeletedSite");
    HttpResponse<Buffer> current = it.call(HttpMethod.GET, credentials(site), token());
    assertThat(current.bodyAsJsonArray().getJsonObject(0).getString("password")).isEqualTo(password);
    assertThat(it.logsIn(KEPT, password)).isTrue();
    assertThat(it.rotate(site).getString("password")).isEqualTo(it.routerPassword(KEPT));

    assertThat(it.call(HttpMethod.DELETE, sitePath(site), token()).statusCode()).isEqualTo(204);
    HttpResponse<Buffer> purged = it.call(HttpMethod.DELETE, DELETED_SITES + "/" + site, token());
    assertThat(purged.statusCode()).isEqualTo(204);
    it.assertMatchesContract(purged, "purgeDeletedSite");
    assertThat(it.jdbc.query("SELECT id FROM credential_versions WHERE site_id = ?::uuid", site)).isEmpty();
    assertThat(listedSite(site)).isNull();
    it.assertError(it.call(HttpMethod.POST, DELETED_SITES + "/" + site + "/recover", token()), 404,
        "site_not_found", "recoverDeletedSite");
    assertThat(it.auditRows(site, "site.delete", "ok")).isEqualTo(2);
    assertThat(it.auditRows(site, "site.recover", "ok")).isEqualTo(1);
    assertThat(it.auditRows(site, "site.purge", "ok")).isEqualTo(1);
    assertThat(it.auditRows(site, "credential.rotate", "applied")).isEqualTo(2);
  }

  @Test
  @DisplayName("DELETE while a rotation or a re-push holds the site is 409 rotation_in_progress with Retry-After")
  void deleteWhileInFlight() {
    String site = it.enrol(SLOW);
    it.faults(SLOW, Faults.NONE.withDelayMs(150));
    try {
      Future<HttpResponse<Buffer>> running = it.request(HttpMethod.POST, credentials(site), token()).send();
      ItControlPlane.eventually("the rotation holds the slot", () -> !it.jdbc.query(
          "SELECT id FROM credential_versions WHERE site_id = ?::uuid AND state = 'PENDING'", site).isEmpty());
      HttpResponse<Buffer> busy = it.call(HttpMethod.DELETE, sitePath(site), token());
      it.assertError(busy, 409, "rotation_in_progress", "deleteSite");
      assertThat(busy.getHeader("Retry-After")).isEqualTo("1");
      HttpResponse<Buffer> winner = it.observe(await(running));
      assertThat(winner.statusCode()).as(winner.bodyAsString()).isEqualTo(200);
    } finally {
      it.faults(SLOW, Faults.NONE);
    }
    it.jdbc.exec("UPDATE sites SET push_lease_until = now() + interval '1 minute' WHERE id = ?::uuid", site);
    HttpResponse<Buffer> pushing = it.call(HttpMethod.DELETE, sitePath(site), token());
    it.assertError(pushing, 409, "rotation_in_progress", "deleteSite");
    assertThat(pushing.getHeader("Retry-After")).isEqualTo("1");
    it.jdbc.exec("UPDATE sites SET push_lease_until = NULL WHERE id = ?::uuid", site);

    assertThat(it.call(HttpMethod.DELETE, sitePath(site), token()).statusCode()).isEqualTo(204);
    assertThat(it.auditRows(site, "site.delete", "ok")).isEqualTo(1);
  }

  @Test
  @DisplayName("recovering or purging a live site is 409 site_exists; an unknown id is 404")
  void liveSite() {
    String site = it.enrol(KEPT);
    JsonObject e = it.assertError(it.call(HttpMethod.POST, DELETED_SITES + "/" + site + "/recover", token()), 409,
        "site_exists", "recoverDeletedSite");
    assertThat(e.getString("type")).isEqualTo("conflict_error");
    it.assertError(it.call(HttpMethod.DELETE, DELETED_SITES + "/" + site, token()), 409, "site_exists",
        "purgeDeletedSite");
    it.assertError(it.call(HttpMethod.DELETE, DELETED_SITES + "/" + UUID.randomUUID(), token()), 404,
        "site_not_found", "purgeDeletedSite");
    assertThat(it.call(HttpMethod.GET, sitePath(site), token()).statusCode()).isEqualTo(200);
  }

  @Test
  @DisplayName("the housekeeper purges a site deleted longer ago than retention.deletedSiteDays, and counts it")
  void housekeeperPurges() {
    String metricsBefore = it.call(HttpMethod.GET, "/metrics", null).bodyAsString();
    for (String kind : List.of("versions", "idempotency", "audit", "deleted_sites")) {
      assertThat(metricsBefore).containsPattern("cp_housekeeping_removed_total\\{kind=\"" + kind + "\"[^}]*} ");
    }
    String site = it.enrol(EXPIRED);
    assertThat(it.call(HttpMethod.DELETE, sitePath(site), token()).statusCode()).isEqualTo(204);
    it.jdbc.exec("UPDATE sites SET deleted_at = now() - interval '31 days' WHERE id = ?::uuid", site);

    ItControlPlane.eventually("the housekeeper purged the site",
        () -> it.jdbc.query("SELECT id FROM sites WHERE id = ?::uuid", site).isEmpty());
    assertThat(it.jdbc.query("SELECT id FROM credential_versions WHERE site_id = ?::uuid", site)).isEmpty();
    assertThat(listedSite(site)).isNull();
    assertThat(it.jdbc.query("SELECT actor FROM audit_events WHERE site_id = ?::uuid AND action = 'site.purge'",
        site)).extracting(r -> r.get("actor")).containsExactly("housekeeper");
    assertThat(it.call(HttpMethod.GET, "/metrics", null).bodyAsString())
        .containsPattern("cp_housekeeping_removed_total\\{kind=\"deleted_sites\"[^}]*} [1-9]");
  }
}
