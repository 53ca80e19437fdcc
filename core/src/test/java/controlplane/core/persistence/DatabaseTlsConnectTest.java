package controlplane.core.persistence;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import controlplane.core.CoreConfig;
import controlplane.core.testing.TestDatabase;
import io.vertx.core.Vertx;
import io.vertx.pgclient.PgBuilder;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.PoolOptions;
import io.vertx.sqlclient.Row;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * {@code sslmode} of {@code database.url} is obeyed by both connections of core, against the tests' PostgreSQL, which
 * has no TLS (io.zonky's embedded server, or a local one with {@code ssl = off}; skipped otherwise): what may fall back
 * to plain connects, what requires TLS fails, and says so.
 */
class DatabaseTlsConnectTest {

  private static Vertx vertx;
  private static String url;

  @BeforeAll
  static void start() throws Exception {
    vertx = Vertx.vertx();
    url = TestDatabase.freshDatabase();
    String ssl = query(new CoreConfig.Database(url, 1), "SHOW ssl").getString(0);
    assumeTrue("off".equals(ssl), "the tests' PostgreSQL has TLS on");
  }

  @AfterAll
  static void stop() throws Exception {
    vertx.close().await(1, TimeUnit.MINUTES);
  }

  private static Row query(CoreConfig.Database db, String sql) throws Exception {
    Pool pool = PgBuilder.pool().with(new PoolOptions().setMaxSize(1)).connectingTo(db.connectOptions()).using(vertx)
        .build();
    try {
      return pool.query(sql).execute().await(1, TimeUnit.MINUTES).iterator().next();
    } finally {
      pool.close().await(1, TimeUnit.MINUTES);
    }
  }

  @Test
  @DisplayName("sslmode=disable and sslmode=prefer connect in plain text: the migrations (JDBC) and the pool")
  void plainWhereAllowed() throws Exception {
    for (String mode : new String[] {"disable", "prefer", "allow"}) {
      CoreConfig.Database db = new CoreConfig.Database(url + "?sslmode=" + mode, 1);
      Migrations.migrateBlocking(db);
      Row row = query(db, "SELECT ssl FROM pg_stat_ssl WHERE pid = pg_backend_pid()");
      assertThat(row.getBoolean(0)).as(mode).isFalse();
    }
  }

  @Test
  @DisplayName("sslmode=require fails on both connections, saying that the server has no TLS")
  void requireRefused() {
    CoreConfig.Database db = new CoreConfig.Database(url + "?sslmode=require", 1);
    assertThatThrownBy(() -> Migrations.migrateBlocking(db))
        .rootCause().hasMessageContaining("does not support SSL");
    assertThatThrownBy(() -> query(db, "SELECT 1"))
        .hasMessageContaining("SSL");
  }
}
