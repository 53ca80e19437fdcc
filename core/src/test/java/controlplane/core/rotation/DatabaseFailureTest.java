package controlplane.core.rotation;

import static org.assertj.core.api.Assertions.assertThat;

import controlplane.core.bus.Addresses;
import controlplane.core.bus.Failure;
import controlplane.core.bus.RotationStep;
import controlplane.core.persistence.Db;
import controlplane.core.testing.TestDatabase;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.pgclient.PgException;
import java.net.ConnectException;
import java.sql.DriverManager;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(VertxExtension.class)
class DatabaseFailureTest {

  @Test
  @DisplayName("connection errors classify as database_unavailable, others as internal_error, without SQL text")
  void classification() {
    assertThat(Failure.of(Db.classify(new ConnectException("Connection refused"), "x")))
        .isEqualTo(Failure.DATABASE_UNAVAILABLE);
    assertThat(Failure.of(Db.classify(new PgException("terminating connection", "FATAL", "57P01", null), "x")))
        .isEqualTo(Failure.DATABASE_UNAVAILABLE);
    ReplyException syntax = Db.classify(new PgException("syntax error at or near SELECT", "ERROR", "42601", null),
        "rotation");
    assertThat(Failure.of(syntax)).isEqualTo(Failure.INTERNAL_ERROR);
    assertThat(syntax.getMessage()).doesNotContain("SELECT").contains("rotation");
    ReplyException passThrough = Failure.SITE_NOT_FOUND.exception("site not found");
    assertThat(Db.classify(passThrough, "x")).isSameAs(passThrough);
  }

  @Test
  @DisplayName("when the database goes away, health and requests answer database_unavailable")
  void databaseGone(Vertx vertx) throws Exception {
    String url = TestDatabase.freshDatabase();
    CoreFixture core = new CoreFixture(vertx, url, 2_000).start();
    String site = core.enrol("Gone-Test-Enrolled");
    assertThat(core.ok(Addresses.PERSISTENCE_HEALTH, new JsonObject()).getBoolean("database")).isTrue();

    PgConnectOptions s = TestDatabase.server();
    try (var c = DriverManager.getConnection("jdbc:postgresql://" + s.getHost() + ":" + s.getPort() + "/"
        + s.getDatabase(), s.getUser(), s.getPassword()); var st = c.createStatement()) {
      st.execute("DROP DATABASE " + PgConnectOptions.fromUri(url).getDatabase() + " WITH (FORCE)");
    }
    assertThat(core.failure(Addresses.PERSISTENCE_HEALTH, new JsonObject())).isEqualTo(Failure.DATABASE_UNAVAILABLE);
    assertThat(core.failure(Addresses.ROTATE, CoreFixture.siteRef(site))).isEqualTo(Failure.DATABASE_UNAVAILABLE);
    assertThat(core.failure(Addresses.CREDENTIALS_GET, CoreFixture.siteRef(site)))
        .isEqualTo(Failure.DATABASE_UNAVAILABLE);
  }

  @Test
  @DisplayName("the database lost after the router took the new password: 504 device_outcome_unknown, never 503;"
      + " the reconciler stores what the router has once the database is back")
  void databaseLostAfterTheRouterChanged(Vertx vertx) throws Exception {
    String url = TestDatabase.freshDatabase();
    String dbName = PgConnectOptions.fromUri(url).getDatabase();
    CoreFixture core = new CoreFixture(vertx, url, 2_000).start();
    String site = core.enrol("Lost-After-Apply");
    core.onStep = step -> step != RotationStep.DEVICE_APPLIED ? Future.succeededFuture()
        : vertx.executeBlocking(() -> {
          admin("ALTER DATABASE " + dbName + " ALLOW_CONNECTIONS false",
              "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '" + dbName + "'");
          return null;
        });
    assertThat(core.failure(Addresses.ROTATE, CoreFixture.siteRef(site))).isEqualTo(Failure.DEVICE_OUTCOME_UNKNOWN);
    core.onStep = null;
    admin("ALTER DATABASE " + dbName + " ALLOW_CONNECTIONS true");

    core.expireLeases();
    core.reconcile();
    assertThat(core.count("PENDING", site)).isZero();
    assertThat(core.storedCurrent(site)).isEqualTo(core.routers.password(site));
  }

  private static void admin(String... statements) throws Exception {
    PgConnectOptions s = TestDatabase.server();
    try (var c = DriverManager.getConnection("jdbc:postgresql://" + s.getHost() + ":" + s.getPort() + "/"
        + s.getDatabase(), s.getUser(), s.getPassword()); var st = c.createStatement()) {
      for (String sql : statements) {
        st.execute(sql);
      }
    }
  }
}
