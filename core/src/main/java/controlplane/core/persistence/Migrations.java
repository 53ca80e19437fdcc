package controlplane.core.persistence;

import controlplane.core.CoreConfig;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.pgclient.PgConnectOptions;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.MigrationInfo;
import org.flywaydb.core.api.output.MigrateResult;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Applies the Flyway migrations of {@code db/migration}, on a worker thread, never on an event loop. */
public final class Migrations {

  private static final Logger LOG = LoggerFactory.getLogger(Migrations.class);

  private Migrations() {
  }

  /** Migrates the database of {@code database}; completes with the number of migrations applied now. */
  public static Future<Integer> migrate(Vertx vertx, CoreConfig.Database database) {
    return vertx.executeBlocking(() -> migrateBlocking(database));
  }

  /** The blocking migration, for callers already on a worker thread. */
  public static int migrateBlocking(CoreConfig.Database database) {
    PgConnectOptions o = database.connectOptions();
    Flyway flyway = Flyway.configure(Migrations.class.getClassLoader())
        .dataSource(database.jdbcUrl(), o.getUser(), o.getPassword())
        .locations("classpath:db/migration")
        .load();
    MigrateResult result = flyway.migrate();
    // The result names a target version only when it applied something: ask for the current one.
    MigrationInfo current = flyway.info().current();
    LOG.info("database schema at version {} ({} migrations applied now)",
        current == null ? "none" : current.getVersion(), result.migrationsExecuted);
    return result.migrationsExecuted;
  }
}
