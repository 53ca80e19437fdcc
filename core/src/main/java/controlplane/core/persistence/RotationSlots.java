package controlplane.core.persistence;

import controlplane.core.crypto.Sealed;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.Tuple;
import java.util.Optional;
import java.util.UUID;

/**
 * The two transactions of a rotation, each one statement calling a function of R__credential_states.sql (first
 * created by V3): taking a site's slot (the PENDING version, committed before the router is touched) and promoting it. Run on the pool, each commits on
 * its own; run on a transaction's connection, it joins that transaction.
 */
public final class RotationSlots {

  /** The process that pushes the PENDING versions taken here (V12); null for none known. */
  private final UUID owner;

  /** Slots taken without an owner: only their lease says when the reconciler may look at them. */
  public RotationSlots() {
    this(null);
  }

  /**
   * Slots taken by the process {@code owner} (its {@link ProcessRegistry} id), recorded on each PENDING version:
   * once that process stops heartbeating, a live one takes the version over without waiting for its lease.
   */
  public RotationSlots(UUID owner) {
    this.owner = owner;
  }

  /**
   * What taking the slot gave: the site as locked; whether a re-push holds it (then nothing was written); when the
   * slot was taken, the site's sealed current and previous passwords as of its lock (null where there is none).
   */
  public record Taken(Site site, boolean busy, StoredPassword current, StoredPassword previous) {
  }

  /** A stored password, still sealed, with the version it belongs to (its sealing is bound to it). */
  public record StoredPassword(UUID versionId, Sealed sealed) {
  }

  /**
   * Locks the site; unless a re-push holds it, inserts the sealed PENDING version with a lease of
   * {@code leaseSeconds} and its audit event (by {@code actor}; null: unknown), and reads the current and previous
   * passwords. Empty when the site does not exist or is another organisation's. A PENDING version already there
   * fails with a unique violation of {@link CredentialRepository#ONE_PENDING_INDEX}.
   */
  public Future<Optional<Taken>> take(SqlClient client, UUID siteId, String orgId, UUID versionId, Sealed sealed,
                                      int leaseSeconds, String actor, String requestId) {
    return client.preparedQuery(SqlQueries.TAKE_SLOT)
        .execute(Tuple.from(new Object[] {siteId, orgId, versionId, Buffer.buffer(sealed.ciphertext()),
            sealed.keyId(), Buffer.buffer(sealed.nonce()), (double) leaseSeconds, actor, requestId, owner}))
        .map(RotationSlots::taken);
  }

  /**
   * Locks the site, then the pending version; supersedes PREVIOUS, demotes CURRENT (invalidated), promotes the
   * pending version; records {@code idempotencyKey} when given; sets the site in sync; appends the audit event
   * ({@code detail} may be null). Empty, with nothing changed, when the version is no longer PENDING.
   */
  public Future<Optional<CredentialVersion>> promote(SqlClient client, UUID siteId, UUID pendingId, String actor,
                                                     String requestId, String idempotencyKey, String detail) {
    return client.preparedQuery(SqlQueries.PROMOTE)
        .execute(Tuple.of(siteId, pendingId, actor, requestId, idempotencyKey, detail))
        .map(rows -> rows.size() == 0 ? Optional.empty()
            : Optional.of(CredentialRepository.map(rows.iterator().next())));
  }

  private static Optional<Taken> taken(RowSet<Row> rows) {
    if (rows.size() == 0) {
      return Optional.empty();
    }
    Row r = rows.iterator().next();
    return Optional.of(new Taken(SiteRepository.map(r), "busy".equals(r.getString("outcome")),
        stored(r, "current_"), stored(r, "previous_")));
  }

  private static StoredPassword stored(Row r, String prefix) {
    UUID id = r.getUUID(prefix + "id");
    return id == null ? null : new StoredPassword(id, new Sealed(r.getString(prefix + "key_id"),
        r.getBuffer(prefix + "nonce").getBytes(), r.getBuffer(prefix + "sealed").getBytes()));
  }
}
