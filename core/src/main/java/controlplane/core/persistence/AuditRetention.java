package controlplane.core.persistence;

import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.util.Iterator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes {@code retention.auditDays} into {@code audit_retention} (V13) at start: the retention the audit trigger
 * enforces whatever cutoff a session names. A change, up or down, is allowed; the table's trigger records it as an
 * {@code audit.retention_changed} event with the old and new values (actor {@value #ACTOR}).
 */
public final class AuditRetention {

  private static final Logger LOG = LoggerFactory.getLogger(AuditRetention.class);
  static final String ACTOR = "housekeeper";

  private AuditRetention() {
  }

  /** Sets the database's audit retention to {@code days}; nothing when it already is. */
  public static Future<Void> apply(Pool pool, double days) {
    return pool.withTransaction(tx -> tx.preparedQuery(SqlQueries.SET_RETENTION_ACTOR).execute(Tuple.of(ACTOR))
        .compose(v -> tx.query(SqlQueries.LOCK_AUDIT_RETENTION).execute())
        .compose(rows -> {
          Iterator<Row> it = rows.iterator();
          if (!it.hasNext()) {
            return Future.succeededFuture(Double.NaN);
          }
          double stored = it.next().getDouble("days");
          return stored == days ? Future.succeededFuture(stored)
              : tx.preparedQuery(SqlQueries.UPDATE_AUDIT_RETENTION).execute(Tuple.of(days)).map(stored);
        })).map(stored -> {
          if (stored.isNaN()) {
            // Only possible with the table's trigger dropped; the audit trigger then lets no row go.
            LOG.warn("audit_retention has no row: no audit event can be purged (see migration V13)");
          } else if (days < stored) {
            LOG.warn("audit retention lowered from {} to {} days (retention.auditDays); recorded as the audit event"
                + " audit.retention_changed", stored, days);
          } else if (days > stored) {
            LOG.info("audit retention raised from {} to {} days (retention.auditDays)", stored, days);
          }
          return null;
        });
  }
}
