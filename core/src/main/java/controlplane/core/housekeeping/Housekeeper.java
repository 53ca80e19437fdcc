package controlplane.core.housekeeping;

import controlplane.core.CoreConfig;
import controlplane.core.persistence.RetentionPurges;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.SqlClient;
import java.util.Collections;
import java.util.EnumMap;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps the tables bounded (docs/OPERATIONS.md, "Retention and housekeeping"). A pass removes, kind after kind
 * ({@link PurgeKind}), batches of at most {@code retention.batchSize} rows, each batch its own short transaction with a
 * pause of {@code retention.batchPauseMs} after it, until a batch comes back short. Each batch first tries the
 * housekeeping advisory lock: when another process holds it (it is running a batch), this pass ends and leaves the
 * work to that one. So however many processes run, no two batches run at once.
 */
public final class Housekeeper {

  private static final Logger LOG = LoggerFactory.getLogger(Housekeeper.class);

  /** What one pass removed, by kind; {@code busy} when it ended because another process was housekeeping. */
  public record Pass(Map<PurgeKind, Long> removed, boolean busy) {
    public Pass {
      Map<PurgeKind, Long> copy = new EnumMap<>(PurgeKind.class);
      copy.putAll(removed);
      removed = Collections.unmodifiableMap(copy);
    }

    public long removed(PurgeKind kind) {
      return removed.getOrDefault(kind, 0L);
    }
  }

  private static final Pass NOTHING = new Pass(Map.of(), false);

  private final Vertx vertx;
  private final Pool pool;
  private final CoreConfig.Retention retention;
  private final HousekeepingMetrics metrics;
  private final RetentionPurges purges = new RetentionPurges();
  private Future<Pass> inFlight;

  public Housekeeper(Vertx vertx, Pool pool, CoreConfig.Retention retention, HousekeepingMetrics metrics) {
    this.vertx = vertx;
    this.pool = pool;
    this.retention = retention;
    this.metrics = metrics;
  }

  /** A pass, unless one is running (then nothing). Call on the owning verticle's context: the timers use it. */
  public Future<Pass> runOnce() {
    return inFlight != null ? Future.succeededFuture(NOTHING) : pass();
  }

  /** A pass that starts after the one running now, if any. Call on the owning verticle's context. */
  public Future<Pass> runNow() {
    return inFlight == null ? pass() : inFlight.transform(ar -> runNow());
  }

  private Future<Pass> pass() {
    Map<PurgeKind, Long> removed = new EnumMap<>(PurgeKind.class);
    Future<Boolean> chain = Future.succeededFuture(true);
    for (PurgeKind kind : PurgeKind.values()) {
      chain = chain.compose(goOn -> goOn ? batches(kind, removed) : Future.succeededFuture(false));
    }
    Future<Pass> pass = chain.map(finished -> new Pass(removed, !finished)).andThen(ar -> {
      inFlight = null;
      if (ar.failed()) {
        LOG.warn("housekeeping pass failed (removed so far: {}): {}", counts(removed), ar.cause().toString());
      } else if (!removed.isEmpty()) {
        LOG.info("housekeeping removed {}{}", counts(removed), ar.result().busy() ? "; another process goes on" : "");
      } else if (ar.result().busy()) {
        LOG.debug("housekeeping: another process holds the housekeeping lock");
      }
    });
    inFlight = pass.isComplete() ? null : pass;
    return pass;
  }

  /** {@code versions=12 audit=3}, by counter tag. */
  private static String counts(Map<PurgeKind, Long> removed) {
    StringBuilder s = new StringBuilder();
    removed.forEach((kind, n) -> s.append(s.length() == 0 ? "" : " ").append(kind.tag()).append('=').append(n));
    return s.length() == 0 ? "nothing" : s.toString();
  }

  /** Batches of {@code kind} until one comes back short; false when another process held the lock. */
  private Future<Boolean> batches(PurgeKind kind, Map<PurgeKind, Long> removed) {
    int limit = retention.batchSize();
    return pool.withTransaction(tx -> purges.tryLock(tx)
            .compose(locked -> locked ? purge(tx, kind, limit) : Future.succeededFuture(-1)))
        .compose(n -> {
          if (n < 0) {
            return Future.succeededFuture(false);
          }
          if (n > 0) {
            removed.merge(kind, (long) n, Long::sum);
            metrics.removed(kind, n);
          }
          return n < limit ? Future.succeededFuture(true) : pause().compose(v -> batches(kind, removed));
        });
  }

  private Future<Integer> purge(SqlClient tx, PurgeKind kind, int limit) {
    return switch (kind) {
      case DELETED_SITES -> purges.deletedSites(tx, retention.deletedSiteSeconds(), limit);
      case VERSIONS -> purges.versions(tx, retention.versionSeconds(), retention.keepVersions(), limit);
      case IDEMPOTENCY -> purges.idempotency(tx, limit);
      case AUDIT -> purges.audit(tx, retention.auditSeconds(), limit);
      case JOB_SITES -> purges.jobSites(tx, retention.jobSeconds(), limit);
      case JOBS -> purges.jobs(tx, retention.jobSeconds(), limit);
    };
  }

  private Future<Void> pause() {
    if (retention.batchPauseMs() <= 0) {
      return Future.succeededFuture();
    }
    Promise<Void> paused = Promise.promise();
    vertx.setTimer(retention.batchPauseMs(), id -> paused.complete());
    return paused.future();
  }
}
