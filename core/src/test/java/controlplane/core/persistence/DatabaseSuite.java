package controlplane.core.persistence;

import controlplane.core.CoreConfig;
import controlplane.core.testing.Jdbc;
import controlplane.core.testing.TestDatabase;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import io.vertx.pgclient.PgBuilder;
import io.vertx.sqlclient.Pool;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;

/** A suite of repository tests: a fresh, migrated database of its own, a JDBC helper, and a pool per test. */
@ExtendWith(VertxExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class DatabaseSuite {

  String url;
  Jdbc jdbc;
  Pool pool;

  @BeforeAll
  void database() {
    url = TestDatabase.freshDatabase();
    Migrations.migrateBlocking(new CoreConfig.Database(url, 2));
    jdbc = new Jdbc(url);
  }

  @BeforeEach
  void pool(Vertx vertx) {
    pool = PgBuilder.pool().connectingTo(new CoreConfig.Database(url, 4).connectOptions()).using(vertx).build();
  }

  @AfterEach
  void closePool() {
    await(pool.close());
  }

  static String key() {
    byte[] k = new byte[32];
    new SecureRandom().nextBytes(k);
    return Base64.getEncoder().encodeToString(k);
  }

  static <T> T await(Future<T> f) {
    try {
      return f.toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    } catch (ExecutionException e) {
      throw e.getCause() instanceof RuntimeException r ? r : new IllegalStateException(e.getCause());
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }
}
