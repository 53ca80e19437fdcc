package controlplane.http;

import static org.assertj.core.api.Assertions.assertThat;

import controlplane.core.bus.Addresses;
import controlplane.core.bus.Failure;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

class ErrorMappingTest extends HttpTestBase {

  /** The documented status of every failure code. */
  static final Map<Failure, Integer> STATUS = Map.ofEntries(
    Map.entry(Failure.INVALID_SITE_ID, 400),
    Map.entry(Failure.INVALID_REQUEST, 400),
    Map.entry(Failure.UNAUTHORIZED, 401),
    Map.entry(Failure.FORBIDDEN, 403),
    Map.entry(Failure.SITE_NOT_FOUND, 404),
    Map.entry(Failure.JOB_NOT_FOUND, 404),
    Map.entry(Failure.POLICY_NOT_FOUND, 404),
    Map.entry(Failure.ROTATION_IN_PROGRESS, 409),
    Map.entry(Failure.SITE_DELETED, 409),
    Map.entry(Failure.SITE_EXISTS, 409),
    Map.entry(Failure.ROUTER_ALREADY_ENROLLED, 409),
    Map.entry(Failure.IDEMPOTENCY_KEY_REUSED, 422),
    Map.entry(Failure.TARGET_NOT_ALLOWED, 422),
    Map.entry(Failure.RATE_LIMITED, 429),
    Map.entry(Failure.DEVICE_UNREACHABLE, 502),
    Map.entry(Failure.DEVICE_REJECTED_CREDENTIALS, 502),
    Map.entry(Failure.DEVICE_CERTIFICATE_MISMATCH, 502),
    Map.entry(Failure.DEVICE_TIMEOUT, 504),
    Map.entry(Failure.DEVICE_OUTCOME_UNKNOWN, 504),
    Map.entry(Failure.DATABASE_UNAVAILABLE, 503),
    Map.entry(Failure.EDGE_UNAVAILABLE, 503),
    Map.entry(Failure.INTERNAL_ERROR, 500));

  private final String rotatePath = "/control-plane/" + SITE + "/credentials";

  @ParameterizedTest
  @EnumSource(Failure.class)
  @DisplayName("every failure code of core is answered with its status and the one error shape")
  void everyFailureCode(Failure failure) {
    // Only an enrolment is rate limited or finds its router enrolled already; every other failure via a rotation.
    // job_not_found comes of a job read.
    boolean enrolment = failure == Failure.RATE_LIMITED || failure == Failure.ROUTER_ALREADY_ENROLLED;
    boolean job = failure == Failure.JOB_NOT_FOUND;
    core.failWith(enrolment ? Addresses.SITE_PUT : job ? Addresses.JOB_GET : Addresses.ROTATE, failure,
      "core says " + failure.id());

    HttpResponse<Buffer> response = enrolment
      ? callJson(HttpMethod.PUT, "/control-plane/" + SITE, token("sites:write"), ControlPlaneEndpointsTest.enrolment())
      : job ? call(HttpMethod.GET, "/control-plane/rotations/" + SITE, token("credentials:read"))
      : call(HttpMethod.POST, rotatePath, token("credentials:rotate"));

    JsonObject error = assertError(response, STATUS.get(failure), failure.id());
    assertMatchesContract(response, enrolment ? "enrolSite" : job ? "getRotationJob" : "rotateCredentials");
    if (failure == Failure.INTERNAL_ERROR) {
      assertThat(error.getString("message")).contains(response.getHeader("X-Request-Id"))
        .doesNotContain("core says");
    } else {
      assertThat(error.getString("message")).isEqualTo("core says " + failure.id());
    }
  }

  @Test
  @DisplayName("rotation_in_progress carries Retry-After: 1")
  void retryAfter() {
    core.failWith(Addresses.ROTATE, Failure.ROTATION_IN_PROGRESS, "another rotation is running");

    HttpResponse<Buffer> response = call(HttpMethod.POST, rotatePath, token("credentials:rotate"));

    assertError(response, 409, "rotation_in_progress");
    assertThat(response.getHeader("Retry-After")).isEqualTo("1");
    assertThat(response.bodyAsJsonObject().getString("type")).isEqualTo("conflict_error");
  }

  @Test
  @DisplayName("rate_limited is a 429 whose Retry-After is the wait core named (1 when it named none)")
  void rateLimited() {
    core.failWith(Addresses.SITE_PUT, Failure.RATE_LIMITED, "too many enrolments for this organisation; retry after 42 s");

    HttpResponse<Buffer> response = callJson(HttpMethod.PUT, "/control-plane/" + SITE, token("sites:write"),
      ControlPlaneEndpointsTest.enrolment());

    assertError(response, 429, "rate_limited");
    assertThat(response.getHeader("Retry-After")).isEqualTo("42");
    assertThat(response.bodyAsJsonObject().getString("type")).isEqualTo("rate_limit_error");
    assertMatchesContract(response, "enrolSite");

    core.failWith(Addresses.SITE_PUT, Failure.RATE_LIMITED, "slow down");
    assertThat(callJson(HttpMethod.PUT, "/control-plane/" + SITE, token("sites:write"),
      ControlPlaneEndpointsTest.enrolment()).getHeader("Retry-After")).isEqualTo("1");
  }

  @Test
  @DisplayName("router_already_enrolled is a 409 conflict_error, target_not_allowed a 422 invalid_request_error")
  void enrolmentRefusals() {
    core.failWith(Addresses.SITE_PUT, Failure.ROUTER_ALREADY_ENROLLED, "this router is already enrolled");
    HttpResponse<Buffer> taken = callJson(HttpMethod.PUT, "/control-plane/" + SITE, token("sites:write"),
      ControlPlaneEndpointsTest.enrolment());
    assertError(taken, 409, "router_already_enrolled");
    assertThat(taken.bodyAsJsonObject().getString("type")).isEqualTo("conflict_error");
    assertThat(taken.getHeader("Retry-After")).isNull();
    assertMatchesContract(taken, "enrolSite");

    core.failWith(Addresses.SITE_PUT, Failure.TARGET_NOT_ALLOWED, "the target address is not allowed for enrolment");
    HttpResponse<Buffer> denied = callJson(HttpMethod.PUT, "/control-plane/" + SITE, token("sites:write"),
      ControlPlaneEndpointsTest.enrolment());
    assertError(denied, 422, "target_not_allowed");
    assertThat(denied.bodyAsJsonObject().getString("type")).isEqualTo("invalid_request_error");
    assertThat(denied.bodyAsJsonObject().getString("message"))
      .isEqualTo("the target address is not allowed for enrolment");
    assertMatchesContract(denied, "enrolSite");
  }

  @Test
  @DisplayName("a site of another organisation is answered 404 site_not_found, with the token's org sent to core")
  void otherOrganisation() {
    core.script(Addresses.CREDENTIALS_GET, m -> "org-a".equals(m.getString("org_id"))
      ? io.vertx.core.Future.failedFuture(Failure.SITE_NOT_FOUND.exception("site not found"))
      : io.vertx.core.Future.succeededFuture(ScriptedCore.credential(SITE)));

    HttpResponse<Buffer> response = call(HttpMethod.GET, rotatePath, token("credentials:read"));

    assertError(response, 404, "site_not_found");
    assertThat(response.bodyAsJsonObject().getString("type")).isEqualTo("not_found_error");
  }

  @Test
  @DisplayName("core failures on credential reads keep Cache-Control: no-store")
  void errorsAreNotCached() {
    core.failWith(Addresses.CREDENTIALS_GET, Failure.DATABASE_UNAVAILABLE, "database down");

    HttpResponse<Buffer> response = call(HttpMethod.GET, rotatePath, token("credentials:read"));

    assertError(response, 503, "database_unavailable");
    assertThat(response.getHeader("Cache-Control")).isEqualTo("no-store");
  }

  @Test
  @DisplayName("no consumer for a core address is a 503 service_unavailable")
  void noHandlers() {
    await(core.unregister(Addresses.ROTATE));

    HttpResponse<Buffer> response = call(HttpMethod.POST, rotatePath, token("credentials:rotate"));

    assertError(response, 503, "service_unavailable");
    assertMatchesContract(response, "rotateCredentials");
  }

  @Test
  @DisplayName("core not answering within the event-bus timeout is a 504 upstream_timeout")
  void busTimeout() {
    core.stall(Addresses.ROTATE);

    HttpResponse<Buffer> response = call(HttpMethod.POST, rotatePath, token("credentials:rotate"));

    assertError(response, 504, "upstream_timeout");
    assertMatchesContract(response, "rotateCredentials");
  }

  @Test
  @DisplayName("a reply lacking a credential field is an internal error carrying the request id")
  void incompleteReply() {
    core.script(Addresses.ROTATE, m -> io.vertx.core.Future.succeededFuture(
      ScriptedCore.credential(SITE).put("password", (String) null)));

    HttpResponse<Buffer> response = call(HttpMethod.POST, rotatePath, token("credentials:rotate"));

    JsonObject error = assertError(response, 500, "internal_error");
    assertThat(error.getString("message")).contains(response.getHeader("X-Request-Id"));
  }

  @ParameterizedTest
  @ValueSource(strings = {"not-a-uuid", "1-1-1-1-1", "d290f1ee6c544b0190e6d701748f0851",
    "d290f1ee-6c54-4b01-90e6-d701748f085", "d290f1ee-6c54-4b01-90e6-d701748f0851x"})
  @DisplayName("a site id that is not a UUID is a 400 invalid_site_id and reaches no core")
  void invalidSiteId(String siteId) {
    HttpResponse<Buffer> response = call(HttpMethod.GET, "/control-plane/" + siteId + "/credentials",
      token("credentials:read"));

    assertError(response, 400, "invalid_site_id");
    assertThat(core.received(Addresses.CREDENTIALS_GET)).isEmpty();
  }

  @ParameterizedTest
  @ValueSource(strings = {
    "/control-plane/d290f1ee-6c54-4b01-90e6-d701748f0851/../../metrics",
    "/control-plane/%2e%2e/credentials",
    "/control-plane/d290f1ee-6c54-4b01-90e6-d701748f0851%2Fcredentials",
    "/control-plane/d290f1ee-6c54-4b01-90e6-d701748f0851/./credentials",
    "/control-plane//credentials",
    "/control-plane/d290f1ee-6c54-4b01-90e6-d701748f0851%5Ccredentials",
    "/control-plane/d290f1ee-6c54-4b01-90e6-d701748f0851%00/credentials"})
  @DisplayName("dot segments, empty segments and encoded separators are refused with 400 before routing")
  void pathTricks(String path) {
    HttpResponse<Buffer> response = call(HttpMethod.GET, path, token("credentials:read"));

    assertError(response, 400, "invalid_request");
    assertThat(core.received(Addresses.CREDENTIALS_GET)).isEmpty();
  }

  @Test
  @DisplayName("an unknown route is a 404 not_found of type not_found_error, the type of a missing site")
  void unknownRoute() {
    HttpResponse<Buffer> response = call(HttpMethod.GET, "/nope", token("credentials:read"));

    JsonObject error = assertError(response, 404, "not_found");
    assertThat(error.getString("type")).isEqualTo("not_found_error");
  }

  @Test
  @DisplayName("a known path with another method is a 405 in the error shape")
  void methodNotAllowed() {
    HttpResponse<Buffer> response = call(HttpMethod.PATCH, rotatePath, token("credentials:read"));

    assertError(response, 405, "method_not_allowed");
  }

  @Test
  @DisplayName("a body over http.maxBodyBytes is a 413 and reaches no core")
  void oversizedBody() {
    String big = "x".repeat(4096);

    HttpResponse<Buffer> response = callJson(HttpMethod.PUT, "/control-plane/" + SITE, token("sites:write"),
      ControlPlaneEndpointsTest.enrolment().put("password", big));

    assertError(response, 413, "payload_too_large");
    assertThat(core.received(Addresses.SITE_PUT)).isEmpty();
  }

  @Test
  @DisplayName("a non-JSON body is a 415")
  void notJson() {
    HttpResponse<Buffer> response = await(request(HttpMethod.POST, "/control-plane/" + SITE + "/action")
      .bearerTokenAuthentication(token("credentials:rotate"))
      .putHeader("Content-Type", "text/plain")
      .sendBuffer(Buffer.buffer("action=site.resend_api_user")));

    assertError(response, 415, "unsupported_media_type");
    assertThat(core.received(Addresses.RESEND)).isEmpty();
  }

  @Test
  @DisplayName("malformed JSON is a 400 invalid_request")
  void malformedJson() {
    HttpResponse<Buffer> response = await(request(HttpMethod.POST, "/control-plane/" + SITE + "/action")
      .bearerTokenAuthentication(token("credentials:rotate"))
      .putHeader("Content-Type", "application/json")
      .sendBuffer(Buffer.buffer("{\"action\": ")));

    JsonObject error = assertError(response, 400, "invalid_request");
    assertThat(error.getString("message")).contains("not valid JSON");
  }

  @Test
  @DisplayName("a JSON array where an object is expected, or no body at all, is a 400 invalid_request")
  void notAnObject() {
    HttpResponse<Buffer> array = await(request(HttpMethod.POST, "/control-plane/" + SITE + "/action")
      .bearerTokenAuthentication(token("credentials:rotate"))
      .putHeader("Content-Type", "application/json")
      .sendBuffer(Buffer.buffer("[]")));
    HttpResponse<Buffer> empty = call(HttpMethod.POST, "/control-plane/" + SITE + "/action",
      token("credentials:rotate"));

    assertError(array, 400, "invalid_request");
    assertError(empty, 400, "invalid_request");
  }

  @Test
  @DisplayName("an unknown field in the action body is a 400")
  void actionUnknownField() {
    HttpResponse<Buffer> response = callJson(HttpMethod.POST, "/control-plane/" + SITE + "/action",
      token("credentials:rotate"), new JsonObject().put("action", "site.resend_api_user").put("force", true));

    assertError(response, 400, "invalid_request");
    assertThat(core.received(Addresses.RESEND)).isEmpty();
  }

  @Test
  @DisplayName("an Idempotency-Key that is too long or not printable is a 400")
  void badIdempotencyKey() {
    HttpResponse<Buffer> response = await(request(HttpMethod.POST, rotatePath)
      .bearerTokenAuthentication(token("credentials:rotate"))
      .putHeader("Idempotency-Key", "k".repeat(300))
      .send());

    assertError(response, 400, "invalid_request");
    assertThat(core.received(Addresses.ROTATE)).isEmpty();
  }

  @Test
  @DisplayName("idempotency_key_reused from core is a 422")
  void idempotencyKeyReused() {
    core.failWith(Addresses.ROTATE, Failure.IDEMPOTENCY_KEY_REUSED, "key used for another site");

    HttpResponse<Buffer> response = await(request(HttpMethod.POST, rotatePath)
      .bearerTokenAuthentication(token("credentials:rotate"))
      .putHeader("Idempotency-Key", "k1")
      .send());

    assertError(response, 422, "idempotency_key_reused");
  }
}
