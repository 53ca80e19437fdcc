package controlplane.config.it.http;

import static controlplane.config.it.http.ItControlPlane.ALL_SCOPES;
import static controlplane.config.it.http.ItControlPlane.EDGE;
import static controlplane.config.it.http.ItControlPlane.OTHER_ORG;
import static controlplane.config.it.http.ItControlPlane.credentials;
import static controlplane.config.it.http.ItControlPlane.sitePath;
import static org.assertj.core.api.Assertions.assertThat;

import controlplane.config.CommandLines;
import controlplane.config.it.http.ItControlPlane.Router;
import controlplane.simulator.Faults;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * Bulk rotation jobs over HTTP against the real service and simulated routers (issue 12, points 1 and 8): the
 * contract of {@code /control-plane/rotations}, and {@code rotate-fleet} following a job to its summary.
 */
@DisplayName("Bulk rotation jobs over HTTP and rotate-fleet")
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class RotationJobsHttpTest {

  private static final String JOBS = "/control-plane/rotations";
  private static final String EDGE_B = "edge-jobs-b.example.net";
  private static final Router R1 = Router.plain("jobs-r1", "127.0.79.1", 38728);
  private static final Router R2 = Router.plain("jobs-r2", "127.0.79.2", 38728);
  private static final Router R3 = Router.plain("jobs-r3", "127.0.79.3", 38728);
  private static final Router BROKEN = Router.plain("jobs-broken", "127.0.79.4", 38728);
  private static final Router FOREIGN = Router.plain("jobs-foreign", "127.0.79.5", 38728);

  @TempDir
  static Path tempDir;
  private ItControlPlane it;
  private final Map<Router, String> sites = new HashMap<>();

  @BeforeAll
  void start() {
    it = ItControlPlane.start(tempDir, List.of(R1, R2, R3, BROKEN, FOREIGN), config -> { });
    for (Router r : List.of(R1, R2, R3)) {
      sites.put(r, it.enrol(r));
    }
    sites.put(BROKEN, enrol(BROKEN, ItControlPlane.ORG, EDGE_B));
    sites.put(FOREIGN, enrol(FOREIGN, OTHER_ORG, EDGE));
  }

  @AfterAll
  void stop() {
    if (it != null) {
      it.closeAssertingNoSecrets();
    }
  }

  @Test
  @DisplayName("POST answers 202 with the job and its Location; GET follows it to completed; the routers hold the "
      + "new passwords; another organisation's site is untouched; the list has the job")
  void createAndFollow() {
    String foreignBefore = it.routerPassword(FOREIGN);
    HttpResponse<Buffer> created = it.callJson(HttpMethod.POST, JOBS, it.token(ALL_SCOPES),
        new JsonObject().put("selector", new JsonObject().put("server_ip", EDGE)).put("max_in_flight", 2));
    assertThat(created.statusCode()).as(created.bodyAsString()).isEqualTo(202);
    it.assertMatchesContract(created, "createRotationJob");
    JsonObject job = created.bodyAsJsonObject();
    assertThat(created.getHeader("Location")).isEqualTo(JOBS + "/" + job.getString("id"));
    assertThat(job.getInteger("total")).isEqualTo(3);

    JsonObject done = awaitEnded(job.getString("id"));
    assertThat(done.getString("state")).isEqualTo("completed");
    assertThat(done.getInteger("succeeded")).isEqualTo(3);
    assertThat(done.getInteger("remaining")).isZero();
    for (Router r : List.of(R1, R2, R3)) {
      HttpResponse<Buffer> current = it.call(HttpMethod.GET, credentials(sites.get(r)), it.token(ALL_SCOPES));
      String password = current.bodyAsJsonArray().getJsonObject(0).getString("password");
      assertThat(it.routerPassword(r)).isEqualTo(password).isNotEqualTo(r.bootstrap());
    }
    assertThat(it.routerPassword(FOREIGN)).isEqualTo(foreignBefore);

    HttpResponse<Buffer> list = it.call(HttpMethod.GET, JOBS + "?limit=100", it.token("credentials:read"));
    assertThat(list.statusCode()).isEqualTo(200);
    it.assertMatchesContract(list, "listRotationJobs");
    JsonArray jobs = list.bodyAsJsonObject().getJsonArray("jobs");
    assertThat(jobs.stream().map(o -> ((JsonObject) o).getString("id"))).contains(job.getString("id"));
  }

  @Test
  @DisplayName("another organisation's job is 404 job_not_found, to read and to cancel; cancel of an ended job "
      + "answers it as it is")
  void isolationAndCancel() {
    HttpResponse<Buffer> created = it.callJson(HttpMethod.POST, JOBS, it.token(ALL_SCOPES),
        new JsonObject().put("selector", new JsonObject().put("site_ids", new JsonArray().add(sites.get(R1)))));
    assertThat(created.statusCode()).isEqualTo(202);
    String id = created.bodyAsJsonObject().getString("id");
    String other = it.token(OTHER_ORG, ALL_SCOPES);

    HttpResponse<Buffer> read = it.call(HttpMethod.GET, JOBS + "/" + id, other);
    it.assertError(read, 404, "job_not_found", "getRotationJob");
    HttpResponse<Buffer> cancel = it.call(HttpMethod.POST, JOBS + "/" + id + "/cancel", other);
    it.assertError(cancel, 404, "job_not_found", "cancelRotationJob");

    awaitEnded(id);
    HttpResponse<Buffer> ended = it.call(HttpMethod.POST, JOBS + "/" + id + "/cancel", it.token(ALL_SCOPES));
    assertThat(ended.statusCode()).isEqualTo(200);
    it.assertMatchesContract(ended, "cancelRotationJob");
    assertThat(ended.bodyAsJsonObject().getString("state")).isEqualTo("completed");
  }

  @Test
  @DisplayName("a bad selector, a bad max_in_flight, no selector or a job id that is no UUID is a 400")
  void badRequests() {
    String token = it.token(ALL_SCOPES);
    for (JsonObject body : List.of(
        new JsonObject().put("selector", new JsonObject().put("status", "bogus")),
        new JsonObject().put("selector", new JsonObject().put("site_ids", new JsonArray().add("not-a-uuid"))),
        new JsonObject().put("selector", new JsonObject().put("colour", "red")),
        new JsonObject().put("selector", new JsonObject()).put("max_in_flight", 0),
        new JsonObject())) {
      HttpResponse<Buffer> r = it.callJson(HttpMethod.POST, JOBS, token, body);
      it.assertError(r, 400, "invalid_request", "createRotationJob");
    }
    it.assertError(it.call(HttpMethod.GET, JOBS + "/not-a-uuid", token), 400, "invalid_request", "getRotationJob");
    it.assertError(it.call(HttpMethod.GET, JOBS + "/" + UUID.randomUUID(), token), 404, "job_not_found",
        "getRotationJob");
  }

  @Test
  @DisplayName("starting and cancelling need credentials:rotate, reading needs credentials:read")
  void scopes() {
    JsonObject body = new JsonObject().put("selector", new JsonObject().put("site_ids", new JsonArray()));
    it.assertError(it.callJson(HttpMethod.POST, JOBS, it.token("credentials:read"), body), 403, "forbidden",
        "createRotationJob");
    it.assertError(it.call(HttpMethod.GET, JOBS, it.token("credentials:rotate")), 403, "forbidden",
        "listRotationJobs");
    it.assertError(it.call(HttpMethod.POST, JOBS + "/" + UUID.randomUUID() + "/cancel",
        it.token("credentials:read")), 403, "forbidden", "cancelRotationJob");
  }

  @Test
  @DisplayName("the same Idempotency-Key answers the same job")
  void idempotencyKey() {
    JsonObject body = new JsonObject().put("selector", new JsonObject().put("site_ids", new JsonArray()));
    String key = "jobs-it-" + UUID.randomUUID();
    String first = it.send(it.request(HttpMethod.POST, JOBS, it.token(ALL_SCOPES)).putHeader("Idempotency-Key", key),
        body).bodyAsJsonObject().getString("id");
    HttpResponse<Buffer> again = it.send(it.request(HttpMethod.POST, JOBS, it.token(ALL_SCOPES))
        .putHeader("Idempotency-Key", key), body);
    assertThat(again.statusCode()).isEqualTo(202);
    assertThat(again.bodyAsJsonObject().getString("id")).isEqualTo(first);
  }

  @Test
  @DisplayName("rotate-fleet follows a job to its summary: exit 0 when every site rotated, 1 when one failed")
  void rotateFleet() {
    String url = "http://127.0.0.1:" + it.port;
    CommandLines.Result ok = CommandLines.run(Map.of("CP_TOKEN", it.token(ALL_SCOPES)), "rotate-fleet", "--url", url,
        "--server-ip", EDGE, "--max-in-flight", "2", "--poll-ms", "100");
    assertThat(ok.status()).as(ok.out() + ok.err()).isZero();
    assertThat(ok.out()).contains("3 sites on " + EDGE).containsPattern("completed: 3 sites, 3 succeeded, 0 failed, "
        + "0 unknown\\R");
    for (Router r : List.of(R1, R2, R3)) {
      it.remember(it.routerPassword(r));
    }

    it.faults(BROKEN, Faults.NONE.withRefuseConnections(true));
    try {
      CommandLines.Result failed = CommandLines.run(Map.of("TOKEN", it.token(ALL_SCOPES)), "rotate-fleet", "--url",
          url, "--server-ip", EDGE_B, "--poll-ms", "100");
      assertThat(failed.status()).as(failed.out() + failed.err()).isEqualTo(1);
      assertThat(failed.out()).contains("completed: 1 sites, 0 succeeded, 1 failed, 0 unknown");
    } finally {
      it.faults(BROKEN, Faults.NONE);
    }

    CommandLines.Result refused = CommandLines.run(Map.of(), "rotate-fleet", "--url", url, "--token",
        it.token("credentials:read"));
    assertThat(refused.status()).isEqualTo(1);
    assertThat(refused.err()).contains("HTTP 403 forbidden");
    assertThat(CommandLines.run(Map.of(), "rotate-fleet", "--url", url).err()).contains("no token");
  }

  // ---------------------------------------------------------------------------------------------------------------

  /** Enrols {@code router} as a site of {@code org} on {@code edge}. */
  private String enrol(Router router, String org, String edge) {
    String siteId = UUID.randomUUID().toString();
    HttpResponse<Buffer> r = it.callJson(HttpMethod.PUT, sitePath(siteId), it.token(org, ALL_SCOPES),
        it.currentEnrolment(router).put("org_id", org).put("server_ip", edge));
    assertThat(r.statusCode()).as(r.bodyAsString()).isEqualTo(200);
    return siteId;
  }

  /** GETs the job until it has ended (each answer checked against the contract); fails after a minute. */
  private JsonObject awaitEnded(String id) {
    JsonObject[] last = new JsonObject[1];
    ItControlPlane.eventually("job " + id + " ended", () -> {
      HttpResponse<Buffer> r = it.call(HttpMethod.GET, JOBS + "/" + id, it.token("credentials:read"));
      assertThat(r.statusCode()).as(r.bodyAsString()).isEqualTo(200);
      it.assertMatchesContract(r, "getRotationJob");
      last[0] = r.bodyAsJsonObject();
      String state = last[0].getString("state");
      return state.equals("completed") || state.equals("cancelled");
    });
    return last[0];
  }
}
