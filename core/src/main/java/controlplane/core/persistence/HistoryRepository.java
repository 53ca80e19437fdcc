package controlplane.core.persistence;

import io.vertx.core.Future;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.Tuple;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/** A site's credential history and audit trail, read for the API. Never reads a sealed value. */
public final class HistoryRepository {

  /** A version without its password. */
  public record VersionRow(UUID id, VersionState state, OffsetDateTime createdAt, OffsetDateTime updatedAt,
                           String lastError) {
  }

  /** One row of audit_events. */
  public record AuditRow(long id, OffsetDateTime at, String actor, String action, String outcome, UUID versionId,
                         String requestId, String detail) {
  }

  /** Up to {@code limit} versions of the site, newest first. */
  public Future<List<VersionRow>> versions(SqlClient client, UUID siteId, int limit) {
    return client.preparedQuery(HistoryQueries.SELECT_HISTORY).execute(Tuple.of(siteId, limit)).map(rows -> {
      List<VersionRow> out = new ArrayList<>();
      for (Row r : rows) {
        out.add(new VersionRow(r.getUUID("id"), VersionState.valueOf(r.getString("state")),
            r.getOffsetDateTime("created_at"), r.getOffsetDateTime("updated_at"), r.getString("last_error")));
      }
      return out;
    });
  }

  /** Up to {@code limit} audit events of the site after event {@code afterId} (null: from the newest), newest first. */
  public Future<List<AuditRow>> auditPage(SqlClient client, UUID siteId, Long afterId, int limit) {
    return client.preparedQuery(HistoryQueries.SELECT_AUDIT_PAGE).execute(Tuple.of(siteId, afterId, limit))
        .map(rows -> {
          List<AuditRow> out = new ArrayList<>();
          for (Row r : rows) {
            out.add(new AuditRow(r.getLong("id"), r.getOffsetDateTime("at"), r.getString("actor"),
                r.getString("action"), r.getString("outcome"), r.getUUID("version_id"), r.getString("request_id"),
                r.getString("detail")));
          }
          return out;
        });
  }
}
