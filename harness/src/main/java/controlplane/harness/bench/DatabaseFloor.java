package controlplane.harness.bench;

import controlplane.core.CoreConfig;
import controlplane.core.crypto.KeyRing;
import controlplane.core.crypto.PasswordGenerator;
import controlplane.core.crypto.Sealer;
import controlplane.core.persistence.CredentialRepository;
import controlplane.core.persistence.Migrations;
import controlplane.core.persistence.RotationSlots;
import controlplane.core.persistence.SiteRepository;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.pgclient.PgBuilder;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.PoolOptions;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * The database floor: the two transactions of one rotation, with core's own repositories and statements, on a
 * database of its own in the same PostgreSQL server, through a vertx-pg-client pool of the service's size. Take the
 * slot ({@code cp_take_slot}: lock the site, insert the sealed PENDING version, audit, commit); then promote
 * ({@code cp_promote}: lock the site and the pending version, supersede previous, demote current, promote pending,
 * site in sync, audit, commit). The read a rotation also does (the live versions) is not in it.
 */
final class DatabaseFloor {

  private final Vertx vertx;
  private final String url;
  private final int poolSize;
  private final SiteRepository sites = new SiteRepository();
  private final CredentialRepository credentials = new CredentialRepository();
  private final RotationSlots slots = new RotationSlots();
  private final PasswordGenerator generator = new PasswordGenerator(32);
  private final Sealer sealer;
  private Pool pool;
  private Boolean cachePreparedStatements;

  /** Overrides the statement cache of core's connect options (null: as core configures it), for A/B runs. */
  DatabaseFloor cachePreparedStatements(Boolean cache) {
    this.cachePreparedStatements = cache;
    return this;
  }

  DatabaseFloor(Vertx vertx, String url, int poolSize) {
    this.vertx = vertx;
    this.url = url;
    this.poolSize = poolSize;
    byte[] key = new byte[32];
    new SecureRandom().nextBytes(key);
    this.sealer = new Sealer(KeyRing.of(Map.of("floor-1", Base64.getEncoder().encodeToString(key)), "floor-1"));
  }

  /** Migrates the floor's database and enrols {@code count} sites with a CURRENT version each. */
  Future<List<UUID>> prepare(int count) {
    CoreConfig.Database db = new CoreConfig.Database(url, poolSize);
    return vertx.executeBlocking(() -> Migrations.migrateBlocking(db)).compose(v -> {
      var connect = db.connectOptions();
      if (cachePreparedStatements != null) {
        connect.setCachePreparedStatements(cachePreparedStatements);
      }
      pool = PgBuilder.pool().with(new PoolOptions().setMaxSize(poolSize)).connectingTo(connect)
          .using(vertx).build();
      List<UUID> ids = new ArrayList<>(count);
      for (int i = 0; i < count; i++) {
        ids.add(UUID.randomUUID());
      }
      return new ClosedLoop<>(ids, count, poolSize, id -> pool.withTransaction(tx ->
          // One router per site (V6): the API user tells them apart; no router is ever dialled here.
          sites.upsert(tx, id, "floor-org", "api-" + id, "127.0.0.1", 8728, "edge-floor", false)
              .compose(s -> {
                UUID version = UUID.randomUUID();
                return credentials.installCurrent(tx, version, id, sealer.seal(generator.generate(), id, version));
              })).map(ClosedLoop.Outcome.OK)).run().map(ids);
    });
  }

  Future<JsonObject> run(List<UUID> siteIds, int total, int concurrency) {
    return new ClosedLoop<>(siteIds, total, concurrency, this::rotate).run();
  }

  private Future<ClosedLoop.Outcome> rotate(UUID siteId) {
    UUID versionId = UUID.randomUUID();
    var sealed = sealer.seal(generator.generate(), siteId, versionId);
    return slots.take(pool, siteId, "floor-org", versionId, sealed, 60, "floor", null).compose(taken -> {
      if (taken.isEmpty() || taken.get().busy()) {
        return Future.failedFuture(new IllegalStateException("site not lockable"));
      }
      return slots.promote(pool, siteId, versionId, "floor", null, null, null);
    }).compose(promoted -> promoted.isEmpty()
        ? Future.failedFuture(new IllegalStateException("not promoted"))
        : Future.succeededFuture(ClosedLoop.Outcome.OK));
  }

  Future<Void> close() {
    return pool == null ? Future.succeededFuture() : pool.close();
  }
}
