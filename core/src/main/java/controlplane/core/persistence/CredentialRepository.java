package controlplane.core.persistence;

import controlplane.core.crypto.Sealed;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.Tuple;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * Credential versions. Every method takes the client to run on: the pool, or the connection of a transaction. A
 * change of a version's state is a call of its function in {@code R__credential_states.sql}, the state machine's one
 * home; what is here besides reads are the lease and back-off of a PENDING version.
 */
public final class CredentialRepository {

  /** The unique index that is the rotation slot of a site: at most one PENDING version. */
  public static final String ONE_PENDING_INDEX = "credential_versions_one_pending";
  /** The unique index that keeps at most one CURRENT version per site. */
  public static final String ONE_CURRENT_INDEX = "credential_versions_one_current";

  /** The CURRENT, PENDING and PREVIOUS versions of one site; each may be null. */
  public record Live(CredentialVersion current, CredentialVersion pending, CredentialVersion previous) {
  }

  /**
   * Enrolment: a version holding {@code sealed}, which the router takes, becomes CURRENT; the former current becomes
   * PREVIOUS. Inside the caller's transaction, which holds the site's lock.
   */
  public Future<Void> installCurrent(SqlClient tx, UUID id, UUID siteId, Sealed sealed) {
    return tx.preparedQuery(SqlQueries.INSTALL_CURRENT)
        .execute(Tuple.of(siteId, id, Buffer.buffer(sealed.ciphertext()), sealed.keyId(), Buffer.buffer(sealed.nonce())))
        .mapEmpty();
  }

  public Future<Optional<CredentialVersion>> find(SqlClient client, UUID id) {
    return client.preparedQuery(SqlQueries.SELECT_VERSION).execute(Tuple.of(id))
        .map(rows -> rows.size() == 0 ? Optional.empty() : Optional.of(map(rows.iterator().next())));
  }

  public Future<Live> live(SqlClient client, UUID siteId) {
    return client.preparedQuery(SqlQueries.SELECT_LIVE_VERSIONS).execute(Tuple.of(siteId)).map(rows -> {
      CredentialVersion current = null;
      CredentialVersion pending = null;
      CredentialVersion previous = null;
      for (Row r : rows) {
        CredentialVersion v = map(r);
        switch (v.state()) {
          case CURRENT -> current = v;
          case PENDING -> pending = v;
          case PREVIOUS -> previous = v;
          default -> {
          }
        }
      }
      return new Live(current, pending, previous);
    });
  }

  /**
   * The PREVIOUS version becomes CURRENT again and the CURRENT one (if any) PREVIOUS, invalidated.
   */
  public Future<Void> swapCurrentAndPrevious(SqlClient tx, UUID currentId, UUID previousId) {
    return tx.preparedQuery(SqlQueries.SWAP_CURRENT_PREVIOUS).execute(Tuple.of(currentId, previousId)).mapEmpty();
  }

  /** Marks a pending version FAILED; false when it was no longer pending. {@code error} never holds a password. */
  public Future<Boolean> fail(SqlClient client, UUID id, String error) {
    return client.preparedQuery(SqlQueries.FAIL_PENDING).execute(Tuple.of(id, error))
        .map(rows -> rows.iterator().next().getBoolean(0));
  }

  /** Leaves a version PENDING with its lease expired now, so that the reconciler takes it on its next run. */
  public Future<Boolean> expireLease(SqlClient client, UUID id, String error) {
    return client.preparedQuery(SqlQueries.EXPIRE_LEASE).execute(Tuple.of(id, error)).map(r -> r.rowCount() > 0);
  }

  /**
   * Leaves the version pending until {@code seconds} from now; counts one more attempt when {@code countAttempt}.
   */
  public Future<Boolean> backOff(SqlClient client, UUID id, String error, long seconds, boolean countAttempt) {
    return client.preparedQuery(SqlQueries.BACK_OFF)
        .execute(Tuple.of(id, error, (double) seconds, countAttempt ? 1 : 0))
        .map(r -> r.rowCount() > 0);
  }

  /** Claims up to {@code limit} pending versions whose lease expired, renewing it by {@code leaseSeconds}. */
  public Future<List<CredentialVersion>> claimExpired(SqlClient client, int leaseSeconds, int limit) {
    return client.preparedQuery(SqlQueries.CLAIM_EXPIRED).execute(Tuple.of((double) leaseSeconds, limit))
        .map(rows -> {
          List<CredentialVersion> out = new ArrayList<>();
          rows.forEach(r -> out.add(map(r)));
          return out;
        });
  }

  /** A version taken over from a dead process, and the lease it had before ({@link #restoreLease}). */
  public record Orphan(CredentialVersion version, java.time.OffsetDateTime heldUntil) {
  }

  /**
   * Takes over up to {@code limit} PENDING versions whose lease still runs but whose owner has not heartbeaten for
   * {@code deadAfterSeconds}; each is held for at least {@code holdSeconds} and has no owner any more.
   */
  public Future<List<Orphan>> claimOrphaned(SqlClient client, double deadAfterSeconds, int holdSeconds, int limit) {
    return client.preparedQuery(SqlQueries.CLAIM_ORPHANED)
        .execute(Tuple.of(deadAfterSeconds, (double) holdSeconds, limit))
        .map(rows -> {
          List<Orphan> out = new ArrayList<>();
          rows.forEach(r -> out.add(new Orphan(map(r), r.getOffsetDateTime("held_until"))));
          return out;
        });
  }

  /** Gives a taken-over version back the lease {@code heldUntil} it had (unless its lease is shorter now). */
  public Future<Void> restoreLease(SqlClient client, UUID id, java.time.OffsetDateTime heldUntil) {
    return client.preparedQuery(SqlQueries.RESTORE_LEASE).execute(Tuple.of(id, heldUntil)).mapEmpty();
  }

  /**
   * Up to {@code limit} passwords an out_of_sync site's router may hold, most likely first; failed versions whose
   * last error is {@code unsettledError} (outcome never known) before other failed ones.
   */
  public Future<List<CredentialVersion>> resyncCandidates(SqlClient client, UUID siteId, int limit,
                                                          String unsettledError) {
    return client.preparedQuery(SqlQueries.SELECT_RESYNC_CANDIDATES).execute(Tuple.of(siteId, limit, unsettledError))
        .map(rows -> {
          List<CredentialVersion> out = new ArrayList<>();
          rows.forEach(r -> out.add(map(r)));
          return out;
        });
  }

  /**
   * Makes a FAILED or SUPERSEDED version, which the router turned out to hold, CURRENT, inside the caller's
   * transaction: CURRENT to PREVIOUS (invalidated), then that one CURRENT. False, with nothing changed, when it is no
   * longer FAILED or SUPERSEDED.
   */
  public Future<Boolean> adoptVersion(SqlClient tx, UUID versionId, UUID siteId) {
    return tx.preparedQuery(SqlQueries.ADOPT_VERSION).execute(Tuple.of(siteId, versionId))
        .map(rows -> rows.iterator().next().getBoolean(0));
  }

  public Future<Long> countPending(SqlClient client) {
    return client.query(SqlQueries.COUNT_PENDING).execute().map(r -> r.iterator().next().getLong(0));
  }

  /** Up to {@code limit} versions sealed with a key other than {@code keyId}. */
  public Future<List<CredentialVersion>> notSealedWith(SqlClient client, String keyId, int limit) {
    return client.preparedQuery(SqlQueries.SELECT_VERSIONS_NOT_UNDER_KEY).execute(Tuple.of(keyId, limit))
        .map(rows -> {
          List<CredentialVersion> out = new ArrayList<>();
          rows.forEach(r -> out.add(map(r)));
          return out;
        });
  }

  /** Replaces the sealed value of {@code version} unless it changed since it was read; true when replaced. */
  public Future<Boolean> reseal(SqlClient client, CredentialVersion version, Sealed resealed) {
    Sealed old = version.sealed();
    return client.preparedQuery(SqlQueries.RESEAL_VERSION)
        .execute(Tuple.of(version.id(), Buffer.buffer(resealed.ciphertext()), resealed.keyId(),
            Buffer.buffer(resealed.nonce()), old.keyId(), Buffer.buffer(old.nonce())))
        .map(r -> r.rowCount() > 0);
  }

  static CredentialVersion map(Row r) {
    Sealed sealed = new Sealed(r.getString("key_id"), r.getBuffer("nonce").getBytes(),
        r.getBuffer("sealed_password").getBytes());
    return new CredentialVersion(r.getUUID("id"), r.getUUID("site_id"), VersionState.valueOf(r.getString("state")),
        sealed, r.getOffsetDateTime("created_at"), r.getOffsetDateTime("updated_at"),
        r.getOffsetDateTime("invalidated_at"), r.getOffsetDateTime("lease_expires_at"), r.getInteger("attempts"),
        r.getString("last_error"));
  }
}
