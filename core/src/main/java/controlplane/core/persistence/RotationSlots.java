package controlplane.core.persistence;

import controlplane.core.crypto.Sealed;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.Tuple;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
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

  /** One {@link #take} of a batch. */
  public record TakeCall(UUID siteId, String orgId, UUID versionId, Sealed sealed, String actor, String requestId) {
  }

  /**
   * One {@link #promote} of a batch; {@code job}, when not null, is the bulk-job site the rotation was run for, to end
   * in the same transaction ({@link #promoteEndingJobSites}).
   */
  public record PromoteCall(UUID siteId, UUID pendingId, String actor, String requestId, String idempotencyKey,
                            String detail, JobEnd job) {

    public PromoteCall(UUID siteId, UUID pendingId, String actor, String requestId, String idempotencyKey,
                       String detail) {
      this(siteId, pendingId, actor, requestId, idempotencyKey, detail, null);
    }
  }

  /**
   * The end of site {@code siteId} (the call's) of job {@code jobId}, claimed by {@code owner}: on promotion it ends as
   * succeeded, and, when {@code claimNext}, up to {@code claimLimit} more sites of the job are claimed for {@code
   * owner} under a lease of {@code leaseSeconds} ({@link JobRepository#finishMany}, the same rules).
   */
  public record JobEnd(UUID jobId, String owner, int leaseSeconds, int claimLimit, boolean claimNext) {
  }

  /**
   * A promotion's answer: the version when this statement promoted it (empty: it was no longer PENDING); the end of
   * the call's job site when this statement ended it, else null (no job, or not promoted here: end it on its own).
   */
  public record Promoted(Optional<CredentialVersion> version, JobRepository.Finished jobEnd) {
  }

  /**
   * Many {@link #take}s in one statement, one transaction and one durable commit ({@code cp_take_slots}): element i
   * of the answer is call i's. A site that already has a PENDING version is answered as busy, with nothing written,
   * instead of failing the whole batch. Any error undoes every call of the batch.
   */
  public Future<List<Optional<Taken>>> takeMany(SqlClient client, List<TakeCall> calls, int leaseSeconds) {
    int n = calls.size();
    UUID[] sites = new UUID[n];
    String[] orgs = new String[n];
    UUID[] versions = new UUID[n];
    Buffer[] sealed = new Buffer[n];
    String[] keyIds = new String[n];
    Buffer[] nonces = new Buffer[n];
    String[] actors = new String[n];
    String[] requestIds = new String[n];
    for (int i = 0; i < n; i++) {
      TakeCall c = calls.get(i);
      sites[i] = c.siteId();
      orgs[i] = c.orgId();
      versions[i] = c.versionId();
      sealed[i] = Buffer.buffer(c.sealed().ciphertext());
      keyIds[i] = c.sealed().keyId();
      nonces[i] = Buffer.buffer(c.sealed().nonce());
      actors[i] = c.actor();
      requestIds[i] = c.requestId();
    }
    return client.preparedQuery(SqlQueries.TAKE_SLOTS)
        .execute(Tuple.from(new Object[] {sites, orgs, versions, sealed, keyIds, nonces, (double) leaseSeconds,
            actors, requestIds, owner}))
        .map(rows -> {
          List<Optional<Taken>> out = new ArrayList<>(Collections.nCopies(n, Optional.empty()));
          for (Row r : rows) {
            out.set(r.getInteger("idx") - 1, Optional.of(taken(r)));
          }
          return out;
        });
  }

  /**
   * Many {@link #promote}s in one statement and one transaction ({@code cp_promote_many}), not flushed before it
   * returns: element i of the answer is call i's. Any error undoes every call of the batch.
   */
  public Future<List<Optional<CredentialVersion>>> promoteMany(SqlClient client, List<PromoteCall> calls) {
    int n = calls.size();
    return client.preparedQuery(SqlQueries.PROMOTE_MANY).execute(Tuple.from(promoteArrays(calls)))
        .map(rows -> {
          List<Optional<CredentialVersion>> out = new ArrayList<>(Collections.nCopies(n, Optional.empty()));
          for (Row r : rows) {
            out.set(r.getInteger("idx") - 1, Optional.of(CredentialRepository.map(r)));
          }
          return out;
        });
  }

  /**
   * {@link #promoteMany} that also ends the job sites of the calls with a {@link JobEnd} whose version it promotes,
   * and claims their jobs' next sites, in the same statement and transaction ({@code cp_promote_job_sites}, V17; not
   * flushed, like the promotions). The owner, lease and claim limit are the first job call's (one process's). A
   * job's new claims go to its first call whose site ended. Any error undoes every call of the batch.
   */
  public Future<List<Promoted>> promoteEndingJobSites(SqlClient client, List<PromoteCall> calls) {
    UUID[] jobs = new UUID[calls.size()];
    JobEnd first = null;
    Set<UUID> claiming = new LinkedHashSet<>();
    Set<UUID> noClaims = new HashSet<>();
    for (int i = 0; i < calls.size(); i++) {
      JobEnd job = calls.get(i).job();
      if (job != null) {
        jobs[i] = job.jobId();
        first = first == null ? job : first;
        (job.claimNext() ? claiming : noClaims).add(job.jobId());
      }
    }
    if (first == null) {
      return promoteMany(client, calls).map(versions -> versions.stream().map(v -> new Promoted(v, null)).toList());
    }
    claiming.removeAll(noClaims);
    return client.preparedQuery(SqlQueries.PROMOTE_JOB_SITES)
        .execute(Tuple.from(params(promoteArrays(calls), jobs, first.owner(), (double) first.leaseSeconds(),
            first.claimLimit(), claiming.toArray(UUID[]::new))))
        .map(rows -> promotedWithJobEnds(calls, rows));
  }

  /** cp_promote_many's six arrays (sites, pending versions, actors, request ids, keys, details): element i is call i's. */
  private static Object[] promoteArrays(List<PromoteCall> calls) {
    int n = calls.size();
    UUID[] sites = new UUID[n];
    UUID[] pendings = new UUID[n];
    String[] actors = new String[n];
    String[] requestIds = new String[n];
    String[] keys = new String[n];
    String[] details = new String[n];
    for (int i = 0; i < n; i++) {
      PromoteCall c = calls.get(i);
      sites[i] = c.siteId();
      pendings[i] = c.pendingId();
      actors[i] = c.actor();
      requestIds[i] = c.requestId();
      keys[i] = c.idempotencyKey();
      details[i] = c.detail();
    }
    return new Object[] {sites, pendings, actors, requestIds, keys, details};
  }

  private static Object[] params(Object[] first, Object... more) {
    Object[] all = Arrays.copyOf(first, first.length + more.length);
    System.arraycopy(more, 0, all, first.length, more.length);
    return all;
  }

  private static List<Promoted> promotedWithJobEnds(List<PromoteCall> calls, RowSet<Row> rows) {
    int n = calls.size();
    List<Optional<CredentialVersion>> versions = new ArrayList<>(Collections.nCopies(n, Optional.empty()));
    Set<JobSite> ended = new HashSet<>();
    Map<UUID, List<JobRepository.Claimed>> claims = new HashMap<>();
    for (Row r : rows) {
      switch (r.getString("kind")) {
        case "promoted" -> versions.set(r.getInteger("idx") - 1, Optional.of(CredentialRepository.map(r)));
        case "ended" -> ended.add(new JobSite(r.getUUID("job_id"), r.getUUID("site_id")));
        default -> claims.computeIfAbsent(r.getUUID("job_id"), id -> new ArrayList<>()).add(JobRepository.claimed(r));
      }
    }
    List<Promoted> out = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      PromoteCall c = calls.get(i);
      if (c.job() == null || versions.get(i).isEmpty()) {
        out.add(new Promoted(versions.get(i), null));
        continue;
      }
      boolean counted = ended.contains(new JobSite(c.job().jobId(), c.siteId()));
      List<JobRepository.Claimed> next = counted ? claims.remove(c.job().jobId()) : null;
      out.add(new Promoted(versions.get(i), new JobRepository.Finished(counted, next == null ? List.of() : next)));
    }
    return out;
  }

  private record JobSite(UUID jobId, UUID siteId) {
  }

  private static Optional<Taken> taken(RowSet<Row> rows) {
    if (rows.size() == 0) {
      return Optional.empty();
    }
    return Optional.of(taken(rows.iterator().next()));
  }

  /** 'busy' (a re-push holds the site) and 'pending' (a batch found a PENDING version) took nothing. */
  private static Taken taken(Row r) {
    String outcome = r.getString("outcome");
    return new Taken(SiteRepository.map(r), "busy".equals(outcome) || "pending".equals(outcome),
        stored(r, "current_"), stored(r, "previous_"));
  }

  private static StoredPassword stored(Row r, String prefix) {
    UUID id = r.getUUID(prefix + "id");
    return id == null ? null : new StoredPassword(id, new Sealed(r.getString(prefix + "key_id"),
        r.getBuffer(prefix + "nonce").getBytes(), r.getBuffer(prefix + "sealed").getBytes()));
  }
}
