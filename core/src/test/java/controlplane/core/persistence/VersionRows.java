package controlplane.core.persistence;

import controlplane.core.crypto.Sealed;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.Tuple;
import java.util.UUID;

/**
 * Test fixtures: a version row in any state, written directly, so that the schema's own rules (the partial unique
 * indexes, the lease check) can be tried. The service never writes a state but through R__credential_states.sql.
 */
final class VersionRows {

  private static final String INSERT = """
      INSERT INTO credential_versions (id, site_id, state, sealed_password, key_id, nonce, lease_expires_at)
      VALUES ($1, $2, $3, $4, $5, $6, CASE WHEN $3 = 'PENDING' THEN now() + make_interval(secs => $7) END)
      RETURNING\s""" + SqlQueries.VERSION_COLUMNS;

  private VersionRows() {
  }

  static Future<CredentialVersion> insert(SqlClient client, UUID id, UUID siteId, VersionState state, Sealed sealed,
                                          int leaseSeconds) {
    return client.preparedQuery(INSERT)
        .execute(Tuple.of(id, siteId, state.name(), Buffer.buffer(sealed.ciphertext()), sealed.keyId(),
            Buffer.buffer(sealed.nonce()), (double) leaseSeconds))
        .map(rows -> CredentialRepository.map(rows.iterator().next()));
  }
}
