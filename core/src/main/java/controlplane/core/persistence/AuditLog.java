package controlplane.core.persistence;

import io.vertx.core.Future;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.Tuple;
import java.util.UUID;

/** The append-only audit trail. Details are written by core and never carry a password. */
public final class AuditLog {

  /** The actor of everything the reconciler does. */
  public static final String RECONCILER = "reconciler";

  /** One audit event; nullable fields may be null. */
  public record Event(String actor, String action, String orgId, UUID siteId, UUID versionId, String outcome,
                      String requestId, String detail) {
  }

  public Future<Void> append(SqlClient client, Event e) {
    return client.preparedQuery(SqlQueries.INSERT_AUDIT)
        .execute(Tuple.from(new Object[] {e.actor() == null ? "unknown" : e.actor(), e.action(), e.orgId(),
            e.siteId(), e.versionId(), e.outcome(), e.requestId(), e.detail()}))
        .mapEmpty();
  }
}
