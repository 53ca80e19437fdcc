package controlplane.config.it.http;

import static controlplane.config.it.http.ItControlPlane.ALL_SCOPES;
import static controlplane.config.it.http.ItControlPlane.API_USER;
import static controlplane.config.it.http.ItControlPlane.EDGE;
import static controlplane.config.it.http.ItControlPlane.ORG;
import static controlplane.config.it.http.ItControlPlane.await;
import static controlplane.config.it.http.ItControlPlane.sitePath;
import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.NetServer;
import io.vertx.ext.web.client.HttpResponse;
import java.nio.file.Path;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The production defaults of {@code enrolment.deniedNetworks} (database.url is set and this class leaves the key
 * unset): a router address on loopback, or a name resolving there, is refused before any connection. A real socket
 * listens on the target and counts what reaches it.
 */
@DisplayName("Enrolment targets: the production default denies loopback, and nothing is dialled")
class EnrolmentTargetsHttpTest {

  @TempDir
  static Path tempDir;
  static ItControlPlane it;
  static NetServer listener;
  static final AtomicInteger CONNECTIONS = new AtomicInteger();

  @BeforeAll
  static void start() {
    it = ItControlPlane.start(tempDir, List.of(), config -> config.getJsonObject("enrolment").putNull("deniedNetworks"));
    listener = await(it.vertx.createNetServer()
        .connectHandler(socket -> {
          CONNECTIONS.incrementAndGet();
          socket.close();
        })
        .listen(0, "127.0.0.1"));
  }

  @AfterAll
  static void stop() {
    if (listener != null) {
      await(listener.close());
    }
    if (it != null) {
      it.closeAssertingNoSecrets();
    }
  }

  private static JsonObject enrolment(String ipAddress) {
    return new JsonObject().put("org_id", ORG).put("ip_address", ipAddress).put("api_port", listener.actualPort())
        .put("server_ip", EDGE).put("username", API_USER).put("password", it.remember(ItControlPlane.password("tgt-")))
        .put("tls", false);
  }

  @ParameterizedTest
  @ValueSource(strings = {"127.0.0.1", "localhost", "::ffff:127.0.0.1", "0.0.0.0"})
  @DisplayName("a loopback or unspecified target, by address or name, is 422 target_not_allowed; the listening "
      + "socket sees no connection, verified or not")
  void deniedNoConnection(String target) {
    int before = CONNECTIONS.get();
    for (boolean verify : List.of(true, false)) {
      String siteId = UUID.randomUUID().toString();
      HttpResponse<Buffer> r = it.callJson(HttpMethod.PUT, sitePath(siteId), it.token(ALL_SCOPES),
          enrolment(target).put("verify", verify));

      JsonObject error = it.assertError(r, 422, "target_not_allowed", "enrolSite");
      assertThat(error.getString("type")).isEqualTo("invalid_request_error");
      assertThat(error.getString("message")).isEqualTo("the target address is not allowed for enrolment");
      it.assertError(it.call(HttpMethod.GET, sitePath(siteId), it.token(ALL_SCOPES)), 404, "site_not_found",
          "getSite");
    }
    assertThat(CONNECTIONS).hasValue(before);
  }

  @Test
  @DisplayName("the socket does count a connection: a client dialling it directly is seen")
  void listenerCounts() {
    int before = CONNECTIONS.get();
    await(it.vertx.createNetClient().connect(listener.actualPort(), "127.0.0.1").compose(s -> s.close()));
    ItControlPlane.eventually("the direct connection is counted", () -> CONNECTIONS.get() == before + 1);
  }
}
