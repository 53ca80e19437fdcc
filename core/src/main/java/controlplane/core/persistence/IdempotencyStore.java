package controlplane.core.persistence;

import io.vertx.core.Future;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.Tuple;
import java.util.Optional;
import java.util.UUID;

/**
 * Idempotency keys of one organisation, valid for 24 hours. A rotation records its key in {@code cp_promote}
 * (R__credential_states.sql).
 */
public final class IdempotencyStore {

  /** What a key was first used for. */
  public record Entry(UUID siteId, String action, UUID credentialVersionId) {
  }

  /** The live (less than 24 h old) entry of {@code key} for {@code orgId}. */
  public Future<Optional<Entry>> find(SqlClient client, String orgId, String key) {
    return client.preparedQuery(SqlQueries.SELECT_IDEMPOTENCY).execute(Tuple.of(orgId, key)).map(rows -> {
      if (rows.size() == 0) {
        return Optional.empty();
      }
      Row r = rows.iterator().next();
      return Optional.of(new Entry(r.getUUID("site_id"), r.getString("action"), r.getUUID("credential_version_id")));
    });
  }
}
