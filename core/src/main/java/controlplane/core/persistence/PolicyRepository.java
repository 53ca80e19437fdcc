package controlplane.core.persistence;

import controlplane.core.crypto.Sealed;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.Tuple;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * Rotation policies, the scheduler's and the drift checks' bookkeeping on sites, and reconcile accounts (V11). Every
 * method takes the client to run on: the pool, or the connection of a transaction.
 */
public final class PolicyRepository {

  /**
   * A policy as stored: an organisation's default ({@code siteId} null) or a site's override. Exactly one of
   * {@code periodSeconds} and {@code schedule} is set; {@code driftSeconds} null means the global default.
   */
  public record StoredPolicy(String orgId, UUID siteId, Long periodSeconds, String schedule, long windowSeconds,
                             Long driftSeconds, OffsetDateTime createdAt, OffsetDateTime updatedAt) {
  }

  /**
   * A site claimed by the scheduler or the drift checks, with its bookkeeping and the policy in force (all four
   * policy fields null when there is none).
   */
  public record Claimed(Site site, boolean replan, int attempts, OffsetDateTime rotationDueAt,
                        OffsetDateTime nextDriftCheckAt, Long periodSeconds, String schedule, Long windowSeconds,
                        Long driftSeconds) {

    public boolean hasPolicy() {
      return periodSeconds != null || schedule != null;
    }
  }

  /** What the site object shows of the schedule; either may be null. */
  public record Schedule(OffsetDateTime lastRotatedAt, OffsetDateTime nextRotationAt) {
  }

  /** A site's reconcile account: its user name and sealed password ({@code id} is the sealing context). */
  public record ReconcileAccount(UUID id, String username, Sealed sealed) {
    @Override
    public String toString() {
      return "ReconcileAccount[" + username + "]";
    }
  }

  /** Sites due for rotation, and overdue ones. */
  public record DueCounts(long due, long overdue) {
  }

  public Future<Optional<StoredPolicy>> find(SqlClient client, String orgId, UUID siteId) {
    return (siteId == null
        ? client.preparedQuery(PolicyQueries.SELECT_ORG_POLICY).execute(Tuple.of(orgId))
        : client.preparedQuery(PolicyQueries.SELECT_SITE_POLICY).execute(Tuple.of(siteId, orgId)))
        .map(PolicyRepository::firstPolicy);
  }

  public Future<StoredPolicy> upsert(SqlClient client, String orgId, UUID siteId, Long periodSeconds,
                                     String schedule, long windowSeconds, Long driftSeconds) {
    Tuple t = Tuple.of(orgId, periodSeconds, schedule, windowSeconds, driftSeconds);
    return (siteId == null
        ? client.preparedQuery(PolicyQueries.UPSERT_ORG_POLICY).execute(t)
        : client.preparedQuery(PolicyQueries.UPSERT_SITE_POLICY).execute(t.addUUID(siteId)))
        .map(rows -> firstPolicy(rows).orElseThrow());
  }

  /** True when there was one. */
  public Future<Boolean> delete(SqlClient client, String orgId, UUID siteId) {
    return (siteId == null
        ? client.preparedQuery(PolicyQueries.DELETE_ORG_POLICY).execute(Tuple.of(orgId))
        : client.preparedQuery(PolicyQueries.DELETE_SITE_POLICY).execute(Tuple.of(siteId, orgId)))
        .map(r -> r.rowCount() > 0);
  }

  /** The sites under the organisation's default ({@code siteId} null) or the one site are planned again. */
  public Future<Integer> replan(SqlClient client, String orgId, UUID siteId) {
    return (siteId == null
        ? client.preparedQuery(PolicyQueries.REPLAN_ORG).execute(Tuple.of(orgId))
        : client.preparedQuery(PolicyQueries.REPLAN_SITE).execute(Tuple.of(siteId)))
        .map(r -> r.rowCount());
  }

  /** Claims up to {@code limit} sites whose rotation (or retry, or replan) is due, for {@code leaseSeconds}. */
  public Future<List<Claimed>> claimDueRotations(SqlClient client, int limit, long leaseSeconds) {
    return client.preparedQuery(PolicyQueries.CLAIM_DUE_ROTATIONS).execute(Tuple.of(limit, (double) leaseSeconds))
        .map(PolicyRepository::claimed);
  }

  /** Claims up to {@code limit} sites whose drift check is due, for {@code leaseSeconds}. */
  public Future<List<Claimed>> claimDueDriftChecks(SqlClient client, int limit, long leaseSeconds) {
    return client.preparedQuery(PolicyQueries.CLAIM_DUE_DRIFT_CHECKS).execute(Tuple.of(limit, (double) leaseSeconds))
        .map(PolicyRepository::claimed);
  }

  public Future<Void> setPlan(SqlClient client, UUID siteId, OffsetDateTime nextRotation,
                              OffsetDateTime nextDriftCheck) {
    return client.preparedQuery(PolicyQueries.SET_PLAN).execute(Tuple.of(siteId, nextRotation, nextDriftCheck))
        .mapEmpty();
  }

  public Future<Void> setNextRotation(SqlClient client, UUID siteId, OffsetDateTime next) {
    return client.preparedQuery(PolicyQueries.SET_NEXT_ROTATION).execute(Tuple.of(siteId, next)).mapEmpty();
  }

  /** Counts one more failed attempt and sets the retry; the attempts counted so far. */
  public Future<Integer> setRetry(SqlClient client, UUID siteId, OffsetDateTime retryAt) {
    return client.preparedQuery(PolicyQueries.SET_RETRY).execute(Tuple.of(siteId, retryAt))
        .map(rows -> rows.size() == 0 ? 0 : rows.iterator().next().getInteger(0));
  }

  public Future<Void> setLater(SqlClient client, UUID siteId, OffsetDateTime at) {
    return client.preparedQuery(PolicyQueries.SET_LATER).execute(Tuple.of(siteId, at)).mapEmpty();
  }

  public Future<Void> setNextDriftCheck(SqlClient client, UUID siteId, OffsetDateTime next) {
    return client.preparedQuery(PolicyQueries.SET_NEXT_DRIFT_CHECK).execute(Tuple.of(siteId, next)).mapEmpty();
  }

  public Future<Schedule> schedule(SqlClient client, UUID siteId) {
    return client.preparedQuery(PolicyQueries.SELECT_SCHEDULE).execute(Tuple.of(siteId)).map(rows -> {
      if (rows.size() == 0) {
        return new Schedule(null, null);
      }
      Row r = rows.iterator().next();
      return new Schedule(r.getOffsetDateTime("last_rotated_at"), r.getOffsetDateTime("rotation_due_at"));
    });
  }

  /** {@code overdueAfterSeconds}: how long past its window a due rotation counts as overdue. */
  public Future<DueCounts> countDue(SqlClient client, long overdueAfterSeconds) {
    return client.preparedQuery(PolicyQueries.COUNT_DUE).execute(Tuple.of((double) overdueAfterSeconds)).map(rows -> {
      Row r = rows.iterator().next();
      return new DueCounts(r.getLong("due"), r.getLong("overdue"));
    });
  }

  /** Stores (or replaces) the site's reconcile account; {@code username} null removes it. */
  public Future<Void> setReconcileAccount(SqlClient client, UUID siteId, UUID id, String username, Sealed sealed) {
    if (username == null) {
      return client.preparedQuery(PolicyQueries.DELETE_RECONCILE_ACCOUNT).execute(Tuple.of(siteId)).mapEmpty();
    }
    return client.preparedQuery(PolicyQueries.UPSERT_RECONCILE_ACCOUNT)
        .execute(Tuple.of(siteId, id, username, Buffer.buffer(sealed.ciphertext()), sealed.keyId(),
            Buffer.buffer(sealed.nonce())))
        .mapEmpty();
  }

  public Future<Optional<ReconcileAccount>> reconcileAccount(SqlClient client, UUID siteId) {
    return client.preparedQuery(PolicyQueries.SELECT_RECONCILE_ACCOUNT).execute(Tuple.of(siteId)).map(rows -> {
      if (rows.size() == 0) {
        return Optional.empty();
      }
      Row r = rows.iterator().next();
      return Optional.of(new ReconcileAccount(r.getUUID("id"), r.getString("username"),
          new Sealed(r.getString("key_id"), r.getBuffer("nonce").getBytes(), r.getBuffer("sealed_password").getBytes())));
    });
  }

  /** A reconcile account as the reseal command reads it: with its site. */
  public record StoredAccount(UUID siteId, ReconcileAccount account) {
  }

  /** Up to {@code limit} reconcile accounts not sealed with {@code keyId}. */
  public Future<List<StoredAccount>> accountsNotSealedWith(SqlClient client, String keyId, int limit) {
    return client.preparedQuery(PolicyQueries.SELECT_RECONCILE_NOT_UNDER_KEY).execute(Tuple.of(keyId, limit))
        .map(rows -> {
          List<StoredAccount> out = new ArrayList<>(rows.size());
          for (Row r : rows) {
            out.add(new StoredAccount(r.getUUID("site_id"), new ReconcileAccount(r.getUUID("id"),
                r.getString("username"), new Sealed(r.getString("key_id"), r.getBuffer("nonce").getBytes(),
                r.getBuffer("sealed_password").getBytes()))));
          }
          return out;
        });
  }

  /** Re-seals one reconcile account unless it changed since it was read; whether it did. */
  public Future<Boolean> reseal(SqlClient client, StoredAccount stored, Sealed resealed) {
    Sealed old = stored.account().sealed();
    return client.preparedQuery(PolicyQueries.RESEAL_RECONCILE_ACCOUNT)
        .execute(Tuple.of(stored.siteId(), Buffer.buffer(resealed.ciphertext()), resealed.keyId(),
            Buffer.buffer(resealed.nonce()), old.keyId(), Buffer.buffer(old.nonce())))
        .map(r -> r.rowCount() > 0);
  }

  private static List<Claimed> claimed(RowSet<Row> rows) {
    List<Claimed> out = new ArrayList<>(rows.size());
    for (Row r : rows) {
      out.add(new Claimed(SiteRepository.map(r), r.getBoolean("replan"), r.getInteger("rotation_attempts"),
          r.getOffsetDateTime("rotation_due_at"), r.getOffsetDateTime("next_drift_check_at"),
          r.getLong("rotation_period_seconds"), r.getString("rotation_schedule"),
          r.getLong("rotation_window_seconds"), r.getLong("drift_check_period_seconds")));
    }
    return out;
  }

  private static Optional<StoredPolicy> firstPolicy(RowSet<Row> rows) {
    if (rows.size() == 0) {
      return Optional.empty();
    }
    Row r = rows.iterator().next();
    return Optional.of(new StoredPolicy(r.getString("org_id"), r.getUUID("site_id"),
        r.getLong("rotation_period_seconds"), r.getString("rotation_schedule"), r.getLong("rotation_window_seconds"),
        r.getLong("drift_check_period_seconds"), r.getOffsetDateTime("created_at"), r.getOffsetDateTime("updated_at")));
  }
}
