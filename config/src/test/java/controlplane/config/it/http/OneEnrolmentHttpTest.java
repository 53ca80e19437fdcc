package controlplane.config.it.http;

import static controlplane.config.it.http.ItControlPlane.ALL_SCOPES;
import static controlplane.config.it.http.ItControlPlane.ORG;
import static controlplane.config.it.http.ItControlPlane.OTHER_ORG;
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

/** One router, one enrolment, across organisations; and the per-organisation enrolment rate. */
@DisplayName("One enrolment per router, and the enrolment rate")
class OneEnrolmentHttpTest {

  private static final Router ROUTER = Router.plain("one-r1", "127.0.81.1", 38728);
  private static final Router SPARE = Router.plain("one-r2", "127.0.81.2", 38728);
  private static final int RATE = 5;
  /** An organisation of the rate test only: every other test enrols under ORG or OTHER_ORG. */
  private static final String BURST_ORG = "org-burst";

  @TempDir
  static Path tempDir;
  static ItControlPlane it;

  @BeforeAll
  static void start() {
    it = ItControlPlane.start(tempDir, List.of(ROUTER, SPARE),
        config -> config.getJsonObject("enrolment").put("ratePerMinute", RATE));
  }

  @AfterAll
  static void stop() {
    if (it != null) {
      it.closeAssertingNoSecrets();
    }
  }

  private static HttpResponse<Buffer> put(String org, String siteId, JsonObject body) {
    return it.callJson(HttpMethod.PUT, sitePath(siteId), it.token(org, ALL_SCOPES), body.copy().put("org_id", org));
  }

  @Test
  @DisplayName("a router enrolled under one site id is 409 router_already_enrolled under another, in the same "
      + "organisation or another, saying nothing of the holder, before the router is asked; the holder may update it")
  void oneRouterOneEnrolment() {
    String siteId = it.enrol(ROUTER); // 1 of ORG's enrolments
    // A wrong password: had the router been asked first, the answer would be 502 device_rejected_credentials.
    JsonObject wrongPassword = it.currentEnrolment(ROUTER).put("password", it.remember(ItControlPlane.password("no-")));

    for (String org : List.of(ORG, OTHER_ORG)) { // 2 of ORG's, 1 of OTHER_ORG's
      String other = UUID.randomUUID().toString();
      HttpResponse<Buffer> r = put(org, other, wrongPassword);
      JsonObject error = it.assertError(r, 409, "router_already_enrolled", "enrolSite");
      assertThat(error.getString("type")).isEqualTo("conflict_error");
      assertThat(error.getString("message")).isEqualTo("this router is already enrolled");
      assertThat(r.bodyAsString()).doesNotContain(siteId).doesNotContain("\"" + ORG + "\"");
      it.assertError(it.call(HttpMethod.GET, sitePath(other), it.token(org, ALL_SCOPES)), 404, "site_not_found",
          "getSite");
    }

    HttpResponse<Buffer> update = put(ORG, siteId, it.currentEnrolment(ROUTER)); // 3 of ORG's
    assertThat(update.statusCode()).as(update.bodyAsString()).isEqualTo(200);
    it.assertMatchesContract(update, "enrolSite");
  }

  @Test
  @DisplayName("another organisation's site id is 404 site_not_found before its router is contacted")
  void ownershipBeforeContact() {
    String siteId = it.enrol(SPARE); // 4 of ORG's
    // A wrong password: had the router been asked first, the answer would be 502 device_rejected_credentials.
    HttpResponse<Buffer> r = put(OTHER_ORG, siteId, it.currentEnrolment(SPARE)
        .put("password", it.remember(ItControlPlane.password("no-")))); // 2 of OTHER_ORG's
    it.assertError(r, 404, "site_not_found", "enrolSite");
  }

  @Test
  @DisplayName("past enrolment.ratePerMinute an organisation gets 429 rate_limited with Retry-After in seconds; "
      + "another organisation does not")
  void rateLimited() {
    JsonObject refusedAnyway = it.currentEnrolment(ROUTER).put("ip_address", "169.254.0.1");
    for (int i = 0; i < RATE; i++) {
      // Each attempt counts, whatever its outcome.
      it.assertError(put(BURST_ORG, UUID.randomUUID().toString(), refusedAnyway), 422, "target_not_allowed",
          "enrolSite");
    }
    HttpResponse<Buffer> limited = put(BURST_ORG, UUID.randomUUID().toString(), refusedAnyway);

    JsonObject error = it.assertError(limited, 429, "rate_limited", "enrolSite");
    assertThat(error.getString("type")).isEqualTo("rate_limit_error");
    assertThat(Integer.parseInt(limited.getHeader("Retry-After"))).isBetween(1, 60 / RATE);
    assertThat(error.getString("message")).doesNotContain(BURST_ORG);

    it.assertError(put("org-calm", UUID.randomUUID().toString(), refusedAnyway), 422, "target_not_allowed",
        "enrolSite");
  }
}
