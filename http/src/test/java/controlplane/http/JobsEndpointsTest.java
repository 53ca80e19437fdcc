package controlplane.http;

import static org.assertj.core.api.Assertions.assertThat;

import controlplane.core.bus.Addresses;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** The {@code /control-plane/rotations} operations (bulk rotation jobs) in front of a scripted core. */
class JobsEndpointsTest extends HttpTestBase {

  private static final String JOBS = "/control-plane/rotations";
  private static final String JOB = "5b1f0c9e-2d3a-4b5c-8d7e-6f5a4b3c2d1e";

  @Test
  @DisplayName("POST answers 202 with the job and its Location; core gets the token's org, the actor, the selector, "
      + "the default max_in_flight and the Idempotency-Key")
  void create() {
    JsonObject selector = new JsonObject().put("server_ip", "edge-1").put("status", "out_of_sync")
      .put("site_ids", new JsonArray().add(SITE));
    HttpResponse<Buffer> response = await(request(HttpMethod.POST, JOBS)
      .bearerTokenAuthentication(token("credentials:rotate"))
      .putHeader("Idempotency-Key", "key-1").putHeader("Content-Type", "application/json")
      .sendBuffer(Buffer.buffer(new JsonObject().put("selector", selector).encode())));

    assertThat(response.statusCode()).as(response.bodyAsString()).isEqualTo(202);
    assertMatchesContract(response, "createRotationJob");
    assertThat(response.getHeader("Location")).isEqualTo(JOBS + "/" + SITE);
    assertThat(response.bodyAsJsonObject().getString("state")).isEqualTo("queued");
    JsonObject sent = core.received(Addresses.JOB_CREATE).get(0);
    assertThat(sent.getString("org_id")).isEqualTo(ORG);
    assertThat(sent.getString("actor")).isEqualTo("alice");
    assertThat(sent.getInteger("max_in_flight")).isEqualTo(16);
    assertThat(sent.getString("idempotency_key")).isEqualTo("key-1");
    assertThat(sent.getJsonObject("selector")).isEqualTo(selector);
  }

  @Test
  @DisplayName("list, get and cancel answer the contract's shapes and are not taken for a site id")
  void readAndCancel() {
    HttpResponse<Buffer> list = call(HttpMethod.GET, JOBS + "?limit=5&after=" + JOB, token("credentials:read"));
    assertThat(list.statusCode()).as(list.bodyAsString()).isEqualTo(200);
    assertMatchesContract(list, "listRotationJobs");
    assertThat(core.received(Addresses.JOBS_LIST).get(0))
      .isEqualTo(new JsonObject().put("org_id", ORG).put("limit", 5).put("after", JOB));

    HttpResponse<Buffer> get = call(HttpMethod.GET, JOBS + "/" + JOB, token("credentials:read"));
    assertThat(get.statusCode()).isEqualTo(200);
    assertMatchesContract(get, "getRotationJob");
    assertThat(get.bodyAsJsonObject().getString("id")).isEqualTo(JOB);

    HttpResponse<Buffer> cancel = call(HttpMethod.POST, JOBS + "/" + JOB + "/cancel", token("credentials:rotate"));
    assertThat(cancel.statusCode()).isEqualTo(200);
    assertMatchesContract(cancel, "cancelRotationJob");
    assertThat(cancel.bodyAsJsonObject().getString("state")).isEqualTo("cancelled");
    assertThat(core.received(Addresses.SITE_GET)).isEmpty();
  }

  @Test
  @DisplayName("a body or a job id that breaks the contract is a 400 that reaches no core")
  void invalid() {
    for (JsonObject body : List.of(new JsonObject(),
        new JsonObject().put("selector", new JsonObject().put("status", "lost")),
        new JsonObject().put("selector", new JsonObject().put("site_ids", new JsonArray().add("x"))),
        new JsonObject().put("selector", new JsonObject()).put("max_in_flight", 1001),
        new JsonObject().put("selector", new JsonObject()).put("extra", true))) {
      HttpResponse<Buffer> response = callJson(HttpMethod.POST, JOBS, token("credentials:rotate"), body);
      assertError(response, 400, "invalid_request");
      assertMatchesContract(response, "createRotationJob");
    }
    assertError(call(HttpMethod.GET, JOBS + "/nope", token("credentials:read")), 400, "invalid_request");
    assertThat(core.received(Addresses.JOB_CREATE)).isEmpty();
    assertThat(core.received(Addresses.JOB_GET)).isEmpty();
  }

  @Test
  @DisplayName("starting and cancelling need credentials:rotate; reading needs credentials:read")
  void scopes() {
    JsonObject body = new JsonObject().put("selector", new JsonObject());
    assertError(callJson(HttpMethod.POST, JOBS, token("credentials:read"), body), 403, "forbidden");
    assertError(call(HttpMethod.POST, JOBS + "/" + JOB + "/cancel", token("credentials:read")), 403, "forbidden");
    assertError(call(HttpMethod.GET, JOBS, token("credentials:rotate")), 403, "forbidden");
    assertError(call(HttpMethod.GET, JOBS + "/" + JOB, token("sites:write")), 403, "forbidden");
    assertThat(core.received(Addresses.JOB_CREATE)).isEmpty();
  }
}
