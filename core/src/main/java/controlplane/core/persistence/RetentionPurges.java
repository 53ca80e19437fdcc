package controlplane.core.persistence;

import io.vertx.core.Future;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.Tuple;

/**
 * The housekeeper's statements: the lock that lets one process at a time run a batch, and one batch of each kind of
 * purge. Each purge runs in the caller's transaction, which took the lock first, and answers how many rows it removed.
 */
public final class RetentionPurges {

  /** The advisory lock key of housekeeping ("cp-hk" in ASCII); any process sharing the database uses the same. */
  public static final long LOCK_KEY = 0x63702d686bL;

  /** True when this transaction holds the housekeeping lock now; false when another transaction holds it. */
  public Future<Boolean> tryLock(SqlClient tx) {
    return tx.preparedQuery(SqlQueries.TRY_HOUSEKEEPING_LOCK).execute(Tuple.of(LOCK_KEY))
        .map(rows -> rows.iterator().next().getBoolean(0));
  }

  /**
   * SUPERSEDED and FAILED versions older than {@code olderThanSeconds}, except the {@code keep} newest of each site
   * and those an idempotency record still answers.
   */
  public Future<Integer> versions(SqlClient tx, double olderThanSeconds, int keep, int limit) {
    return tx.preparedQuery(SqlQueries.PURGE_VERSIONS).execute(Tuple.of(olderThanSeconds, keep, limit))
        .map(r -> r.rowCount());
  }

  /** Idempotency records older than 24 hours. */
  public Future<Integer> idempotency(SqlClient tx, int limit) {
    return tx.preparedQuery(SqlQueries.PURGE_IDEMPOTENCY).execute(Tuple.of(limit)).map(r -> r.rowCount());
  }

  /** Audit events of the whole months before the month that holds now() - {@code olderThanSeconds}. */
  public Future<Integer> audit(SqlClient tx, double olderThanSeconds, int limit) {
    return tx.preparedQuery(SqlQueries.SET_AUDIT_CUTOFF).execute(Tuple.of(olderThanSeconds))
        .compose(v -> tx.preparedQuery(SqlQueries.PURGE_AUDIT).execute(Tuple.of(limit)))
        .map(r -> r.rowCount());
  }

  /** Site lists of completed and cancelled bulk jobs that finished more than {@code olderThanSeconds} ago. */
  public Future<Integer> jobSites(SqlClient tx, double olderThanSeconds, int limit) {
    return tx.preparedQuery(SqlQueries.PURGE_JOB_SITES).execute(Tuple.of(olderThanSeconds, limit))
        .map(r -> r.rowCount());
  }

  /** Completed and cancelled bulk jobs that finished more than {@code olderThanSeconds} ago, their sites gone. */
  public Future<Integer> jobs(SqlClient tx, double olderThanSeconds, int limit) {
    return tx.preparedQuery(SqlQueries.PURGE_JOBS).execute(Tuple.of(olderThanSeconds, limit)).map(r -> r.rowCount());
  }

  /** Sites deleted more than {@code olderThanSeconds} ago, with their versions; a {@code site.purge} event each. */
  public Future<Integer> deletedSites(SqlClient tx, double olderThanSeconds, int limit) {
    return tx.preparedQuery(SqlQueries.PURGE_DELETED_SITES).execute(Tuple.of(olderThanSeconds, limit))
        .map(r -> r.size());
  }
}
