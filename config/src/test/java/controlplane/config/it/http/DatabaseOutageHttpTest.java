package controlplane.config.it.http;

import static controlplane.config.it.http.ItControlPlane.ALL_SCOPES;
import static controlplane.config.it.http.ItControlPlane.credentials;
import static controlplane.config.it.http.ItControlPlane.sitePath;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import controlplane.config.ConfigLoader;
import controlplane.config.ControlPlane;
import controlplane.config.it.http.ItControlPlane.Router;
import controlplane.core.testing.TestDatabase;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.pgclient.PgConnectOptions;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * database_unavailable for real: the service's database disappears under it (every connection to it terminated and
 * the database renamed, so reconnecting fails with "database does not exist"), then comes back.
 */
@DisplayName("Database outage over HTTP")
class DatabaseOutageHttpTest {

  private static final Router ROUTER = Router.plain("db-r1", "127.0.74.1", 38728);

  @TempDir
  static Path tempDir;
  static ItControlPlane it;
  static String site;

  @BeforeAll
  static void start() {
    it = ItControlPlane.start(tempDir, List.of(ROUTER), config -> { });
    site = it.enrol(ROUTER);
  }

  @AfterAll
  static void stop() {
    if (it != null) {
      it.closeAssertingNoSecrets();
    }
  }

  private static String databaseName() {
    return PgConnectOptions.fromUri(it.databaseUrl).getDatabase();
  }

  /** Runs {@code sql} on the server's administration database. */
  private static void admin(String sql) throws SQLException {
    PgConnectOptions s = TestDatabase.server();
    try (Connection c = DriverManager.getConnection("jdbc:postgresql://" + s.getHost() + ":" + s.getPort() + "/"
        + s.getDatabase(), s.getUser(), s.getPassword()); Statement st = c.createStatement()) {
      st.execute(sql);
    }
  }

  /** Terminates every session on {@code from} and renames it, retrying while the pool reconnects in between. */
  private static void rename(String from, String to) throws Exception {
    SQLException last = null;
    for (int i = 0; i < 20; i++) {
      admin("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '" + from + "'");
      try {
        admin("ALTER DATABASE " + from + " RENAME TO " + to);
        return;
      } catch (SQLException e) {
        last = e;
        Thread.sleep(50);
      }
    }
    throw last;
  }

  @Test
  @DisplayName("while the database is gone, API calls are 503 database_unavailable and readiness fails; once it is "
      + "back, the same calls succeed and a rotation lands on the router")
  void databaseGoneAndBack() throws Exception {
    String name = databaseName();
    String token = it.token(ALL_SCOPES);
    String before = it.routerPassword(ROUTER);
    rename(name, name + "_off");
    try {
      JsonObject e = it.assertError(it.call(HttpMethod.GET, credentials(site), token), 503, "database_unavailable",
          "listCredentials");
      assertThat(e.getString("type")).isEqualTo("api_error");
      assertThat(e.getString("message")).doesNotContain(name).doesNotContain("postgres");
      it.assertError(it.call(HttpMethod.POST, credentials(site), token), 503, "database_unavailable",
          "rotateCredentials");
      it.assertError(it.call(HttpMethod.GET, sitePath(site), token), 503, "database_unavailable", "getSite");
      it.assertError(it.callJson(HttpMethod.PUT, sitePath(UUID.randomUUID().toString()), token,
          it.currentEnrolment(ROUTER).put("verify", false)), 503, "database_unavailable", "enrolSite");

      HttpResponse<Buffer> ready = it.call(HttpMethod.GET, "/health/ready", null);
      it.assertError(ready, 503, "database_unavailable", "getReadiness");
      HttpResponse<Buffer> live = it.call(HttpMethod.GET, "/health/live", null);
      assertThat(live.statusCode()).isEqualTo(200);
      it.assertMatchesContract(live, "getLiveness");
      // Nothing reached the router.
      assertThat(it.routerPassword(ROUTER)).isEqualTo(before);
    } finally {
      rename(name + "_off", name);
    }

    ItControlPlane.eventually("the service reads again", () ->
        it.call(HttpMethod.GET, credentials(site), token).statusCode() == 200);
    HttpResponse<Buffer> ready = it.call(HttpMethod.GET, "/health/ready", null);
    assertThat(ready.statusCode()).isEqualTo(200);
    it.assertMatchesContract(ready, "getReadiness");
    JsonObject rotated = it.rotate(site);
    assertThat(it.routerPassword(ROUTER)).isEqualTo(rotated.getString("password"));
    assertThat(it.logsIn(ROUTER, rotated.getString("password"))).isTrue();
  }

  @Test
  @DisplayName("a control plane whose database.url points at a port where nothing listens fails to start, and says "
      + "so without the database password")
  void startWithoutDatabase() throws Exception {
    int closedPort;
    try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      closedPort = s.getLocalPort();
    }
    String dbPassword = ItControlPlane.password("dbpw-");
    PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    Vertx vertx = Vertx.vertx();
    try {
      JsonObject config = ItControlPlane.await(ConfigLoader.load(vertx, null, Map.of()));
      config.put("dataDir", tempDir.resolve("nodb").toString());
      config.getJsonObject("http").put("host", "127.0.0.1").put("port", 0);
      config.getJsonObject("auth").getJsonObject("jwt").put("hs256Secret", ItControlPlane.SECRET);
      config.getJsonObject("database").put("url", "postgresql://cp:" + dbPassword + "@127.0.0.1:" + closedPort
          + "/cp");
      config.getJsonObject("crypto").put("keys", new JsonObject().put("it-1", ItControlPlane.sealingKey()))
          .put("activeKey", "it-1");
      config.getJsonObject("simulator").put("enabled", false);
      assertThatThrownBy(() -> ItControlPlane.await(ControlPlane.start(vertx, config, registry), 60))
          .satisfies(t -> assertThat(stackText(t)).doesNotContain(dbPassword));
    } finally {
      ItControlPlane.await(vertx.close());
    }
    ItControlPlane.assertNoneContains("log events", it.logLines(), List.of(dbPassword));
  }

  private static String stackText(Throwable t) {
    java.io.StringWriter w = new java.io.StringWriter();
    t.printStackTrace(new java.io.PrintWriter(w));
    return w.toString();
  }
}
