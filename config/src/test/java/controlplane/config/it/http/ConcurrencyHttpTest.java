package controlplane.config.it.http;

import static controlplane.config.it.http.ItControlPlane.ALL_SCOPES;
import static controlplane.config.it.http.ItControlPlane.credentials;
import static org.assertj.core.api.Assertions.assertThat;

import controlplane.config.it.http.ItControlPlane.Router;
import controlplane.simulator.Faults;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.client.HttpResponse;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Many rotations of one site at once over HTTP, against the real service, PostgreSQL and a simulated router. */
@DisplayName("Concurrent rotations of one site over HTTP")
class ConcurrencyHttpTest {

  private static final Router ROUTER = Router.plain("conc-1", "127.0.77.1", 38728);
  private static final int REQUESTS = 50;

  @TempDir
  static Path tempDir;
  static ItControlPlane it;

  @BeforeAll
  static void start() {
    it = ItControlPlane.start(tempDir, List.of(ROUTER), config -> { });
  }

  @AfterAll
  static void stop() {
    if (it != null) {
      it.close();
    }
  }

  @Test
  @DisplayName("50 concurrent rotations of one site: one at a time, the others answer rotation_in_progress, and the"
      + " stored password is the one on the router")
  void fiftyAtOnce() {
    String siteId = it.enrol(ROUTER);
    String token = it.token(ALL_SCOPES);
    // A slow router (every reply 30 ms late) keeps each rotation in flight long enough for the others to collide.
    it.faults(ROUTER, Faults.NONE.withDelayMs(30));
    List<Future<HttpResponse<Buffer>>> sent = new ArrayList<>();
    for (int i = 0; i < REQUESTS; i++) {
      sent.add(it.request(HttpMethod.POST, credentials(siteId), token).send());
    }
    List<HttpResponse<Buffer>> responses = sent.stream().map(ItControlPlane::await).map(it::observe).toList();
    it.faults(ROUTER, Faults.NONE);

    Set<String> applied = new HashSet<>();
    int inProgress = 0;
    for (HttpResponse<Buffer> r : responses) {
      if (r.statusCode() == 200) {
        it.assertMatchesContract(r, "rotateCredentials");
        applied.add(r.bodyAsJsonObject().getString("id"));
      } else {
        it.assertError(r, 409, "rotation_in_progress", "rotateCredentials");
        assertThat(r.getHeader("Retry-After")).isEqualTo("1");
        inProgress++;
      }
    }
    assertThat(applied).as("at least one rotation ran").isNotEmpty();
    assertThat(applied.size() + inProgress).isEqualTo(REQUESTS);
    // Each PENDING version the database let in was promoted: one at a time, none lost, none left.
    assertThat(it.auditRows(siteId, "credential.rotate", "pending")).isEqualTo(applied.size());
    assertThat(it.auditRows(siteId, "credential.rotate", "applied")).isEqualTo(applied.size());
    HttpResponse<Buffer> read = it.call(HttpMethod.GET, credentials(siteId), token);
    String stored = read.bodyAsJsonArray().getJsonObject(0).getString("password");
    assertThat(applied).contains(read.bodyAsJsonArray().getJsonObject(0).getString("id"));
    assertThat(it.routerPassword(ROUTER)).isEqualTo(stored);
    assertThat(it.logsIn(ROUTER, stored)).isTrue();
  }
}
