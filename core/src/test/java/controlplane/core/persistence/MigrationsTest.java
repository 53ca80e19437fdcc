package controlplane.core.persistence;

import static org.assertj.core.api.Assertions.assertThat;

import controlplane.core.CoreConfig;
import controlplane.core.testing.TestDatabase;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(VertxExtension.class)
class MigrationsTest {

  @Test
  @DisplayName("migrations apply to an empty database, and a second run applies nothing")
  void migrationsApply(Vertx vertx, VertxTestContext ctx) {
    CoreConfig.Database db = new CoreConfig.Database(TestDatabase.freshDatabase(), 2);
    Migrations.migrate(vertx, db)
        .compose(first -> Migrations.migrate(vertx, db).map(second -> new int[] {first, second}))
        .onComplete(ctx.succeeding(counts -> ctx.verify(() -> {
          assertThat(counts[0]).isGreaterThanOrEqualTo(1);
          assertThat(counts[1]).isZero();
          assertThat(TestDatabase.dumpAllTables(db.url())).contains("== sites", "== credential_versions",
              "== audit_events", "== idempotency_records");
          ctx.completeNow();
        })));
  }
}
