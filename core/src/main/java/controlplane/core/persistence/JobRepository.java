package controlplane.core.persistence;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import io.vertx.sqlclient.Tuple;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

/**
 * Bulk rotation jobs in PostgreSQL (V10). Every statement is in {@link JobQueries}; each method is one transaction
 * (or one statement), so any number of processes share the jobs: claims are {@code FOR UPDATE SKIP LOCKED} under a
 * lease, outcomes are counted under the job's row lock.
 */
public final class JobRepository {

  /** A job row. */
  public record Job(UUID id, String orgId, String actor, int maxInFlight, String state, int total, int succeeded,
                    int failed, int unknown, OffsetDateTime createdAt, OffsetDateTime updatedAt,
                    OffsetDateTime finishedAt) {
  }

  /** A job as created, or as an earlier request with the same Idempotency-Key created it. */
  public record Created(Job job, boolean replayed) {
  }

  /** What to snapshot: the organisation's live sites matching every non-null criterion. */
  public record Selection(List<UUID> siteIds, String serverIp, String status) {
  }

  /** A site this process has claimed: rotate it, then {@link #finish} or {@link #requeue} it. */
  public record Claimed(UUID jobId, String orgId, String actor, UUID siteId, String serverIp, int attempts) {
  }

  private final Pool pool;

  public JobRepository(Pool pool) {
    this.pool = pool;
  }

  /**
   * Creates job {@code id} with the snapshot of its sites; when {@code idempotencyKey} was already used by
   * {@code orgId}, answers that job instead (replayed) and creates nothing.
   */
  public Future<Created> create(UUID id, String orgId, String actor, JsonObject selector, Selection selection,
                                int maxInFlight, String idempotencyKey, String requestId) {
    return pool.withTransaction(tx -> tx.preparedQuery(JobQueries.INSERT_JOB)
        .execute(Tuple.of(id, orgId, actor, selector, maxInFlight, idempotencyKey).addValue(requestId))
        .compose(inserted -> {
          if (inserted.rowCount() == 0) {
            return tx.preparedQuery(JobQueries.SELECT_JOB_BY_KEY).execute(Tuple.of(orgId, idempotencyKey))
                .map(rows -> new Created(job(rows.iterator().next()), true));
          }
          UUID[] ids = selection.siteIds() == null ? null : selection.siteIds().toArray(UUID[]::new);
          return tx.preparedQuery(JobQueries.INSERT_JOB_SITES)
              .execute(Tuple.of(id, orgId).addValue(ids).addValue(selection.serverIp()).addValue(selection.status()))
              .compose(sites -> tx.preparedQuery(JobQueries.SET_TOTAL).execute(Tuple.of(id, sites.rowCount())))
              .map(rows -> new Created(job(rows.iterator().next()), false));
        }));
  }

  /** Job {@code id} of {@code orgId}; empty for another organisation's. */
  public Future<Optional<Job>> find(UUID id, String orgId) {
    return pool.preparedQuery(JobQueries.SELECT_JOB).execute(Tuple.of(id, orgId)).map(JobRepository::first);
  }

  /** Up to {@code limit} jobs of {@code orgId}, newest first, after job {@code after} (null: from the newest). */
  public Future<List<Job>> list(String orgId, UUID after, int limit) {
    return pool.preparedQuery(JobQueries.LIST_JOBS).execute(Tuple.of(orgId, after, limit)).map(rows -> {
      List<Job> out = new ArrayList<>(rows.size());
      rows.forEach(r -> out.add(job(r)));
      return out;
    });
  }

  /** Cancels an unfinished job; empty when it has ended already (or is not the organisation's). */
  public Future<Optional<Job>> cancel(UUID id, String orgId) {
    return pool.preparedQuery(JobQueries.CANCEL_JOB).execute(Tuple.of(id, orgId)).map(JobRepository::first);
  }

  /** Up to {@code limit} unfinished jobs with a site that may be claimed now, oldest first. */
  public Future<List<UUID>> jobsWithWork(int limit) {
    return pool.preparedQuery(JobQueries.JOBS_WITH_WORK).execute(Tuple.of(limit)).map(rows -> {
      List<UUID> out = new ArrayList<>(rows.size());
      rows.forEach(r -> out.add(r.getUUID("id")));
      return out;
    });
  }

  /**
   * Claims for {@code owner} up to {@code limit} sites of unfinished job {@code jobId}, never more than the job's
   * {@code max_in_flight} running at once across processes; none when another process is claiming it or ending
   * sites of it right now. The first claim starts the job (queued to running).
   */
  public Future<List<Claimed>> claim(UUID jobId, String owner, int leaseSeconds, int limit) {
    return pool.withTransaction(tx -> tx.preparedQuery(JobQueries.LOCK_JOB_FOR_CLAIM).execute(Tuple.of(jobId))
        .compose(locked -> locked.size() == 0 ? Future.succeededFuture(List.<Claimed>of())
            : tx.preparedQuery(JobQueries.CLAIM_SITES).execute(Tuple.of(jobId, owner, leaseSeconds, limit))
                .map(JobRepository::claimed)));
  }

  /**
   * The end of one claimed site: {@code outcome} is {@code succeeded}, {@code failed} or {@code unknown}; {@code
   * claimNext} false when the caller wants no more sites of the job now (its own work on the job is backed up).
   */
  public record Finish(Claimed site, String outcome, String error, boolean claimNext) {

    public Finish(Claimed site, String outcome, String error) {
      this(site, outcome, error, true);
    }
  }

  /**
   * What ending a site did: whether it was counted (false when the claim was lost: its lease ran out and another
   * process took the site, and nothing was counted), and the sites of its job claimed for this process in the same
   * transaction, to run next.
   */
  public record Finished(boolean counted, List<Claimed> next) {
  }

  /**
   * Ends claimed sites and counts them in their jobs, which complete when no site is left, in one statement and one
   * transaction ({@code cp_finish_job_sites}, V16; its commit is not flushed, docs/RELIABILITY.md "Bulk jobs"): the
   * jobs locked in the order of their ids, every site ended, every job's counts. Then, still under the jobs' locks,
   * up to {@code claimLimit} more sites of each job are claimed for {@code owner} (none for 0, nor for a job one of
   * whose calls says {@code claimNext} false): the places the ended sites left free are filled without a claim
   * transaction of their own. Element i of the answer is call i's; a job's new claims go to its first call.
   */
  public Future<List<Finished>> finishMany(List<Finish> calls, String owner, int leaseSeconds, int claimLimit) {
    int n = calls.size();
    UUID[] jobIds = new UUID[n];
    UUID[] siteIds = new UUID[n];
    String[] outcomes = new String[n];
    String[] errors = new String[n];
    for (int i = 0; i < n; i++) {
      Finish f = calls.get(i);
      jobIds[i] = f.site().jobId();
      siteIds[i] = f.site().siteId();
      outcomes[i] = f.outcome();
      errors[i] = f.error();
    }
    Set<UUID> noClaims = new HashSet<>();
    calls.stream().filter(f -> !f.claimNext()).forEach(f -> noClaims.add(f.site().jobId()));
    UUID[] claimingJobs = Arrays.stream(jobIds).distinct().filter(id -> !noClaims.contains(id)).toArray(UUID[]::new);
    return pool.preparedQuery(JobQueries.FINISH_SITES)
        .execute(Tuple.of(jobIds, siteIds, outcomes, errors, owner, leaseSeconds, claimLimit, claimingJobs))
        .map(rows -> {
          Set<JobSite> finished = new HashSet<>();
          List<Claimed> claims = new ArrayList<>();
          for (Row r : rows) {
            if (r.getBoolean("ended")) {
              finished.add(new JobSite(r.getUUID("job_id"), r.getUUID("site_id")));
            } else {
              claims.add(claimed(r));
            }
          }
          boolean[] counted = new boolean[n];
          for (int i = 0; i < n; i++) {
            counted[i] = finished.contains(new JobSite(jobIds[i], siteIds[i]));
          }
          return answers(calls, counted, claims);
        });
  }

  private record JobSite(UUID jobId, UUID siteId) {
  }

  /** Each call's answer; the claims of a job go to its first call. */
  private static List<Finished> answers(List<Finish> calls, boolean[] counted, List<Claimed> claims) {
    Map<UUID, List<Claimed>> byJob = new HashMap<>();
    claims.forEach(c -> byJob.computeIfAbsent(c.jobId(), id -> new ArrayList<>()).add(c));
    List<Finished> out = new ArrayList<>(calls.size());
    for (int i = 0; i < calls.size(); i++) {
      List<Claimed> next = byJob.remove(calls.get(i).site().jobId());
      out.add(new Finished(counted[i], next == null ? List.of() : next));
    }
    return out;
  }

  private static List<Claimed> claimed(RowSet<Row> rows) {
    List<Claimed> out = new ArrayList<>(rows.size());
    rows.forEach(r -> out.add(claimed(r)));
    return out;
  }

  static Claimed claimed(Row r) {
    return new Claimed(r.getUUID("job_id"), r.getString("org_id"), r.getString("actor"), r.getUUID("site_id"),
        r.getString("server_ip"), r.getInteger("attempts"));
  }

  /** Puts a claimed site back in its job's queue, claimable again in {@code afterSeconds}. */
  public Future<Void> requeue(Claimed site, String owner, double afterSeconds, String why) {
    return pool.preparedQuery(JobQueries.REQUEUE_SITE)
        .execute(Tuple.of(site.jobId(), site.siteId(), afterSeconds, why, owner)).mapEmpty();
  }

  /** Renews the leases of the sites in {@code held} that {@code owner} still holds; how many. */
  public Future<Integer> renewLeases(String owner, int leaseSeconds, Collection<Claimed> held) {
    if (held.isEmpty()) {
      return Future.succeededFuture(0);
    }
    UUID[] jobIds = new UUID[held.size()];
    UUID[] siteIds = new UUID[held.size()];
    int i = 0;
    for (Claimed c : held) {
      jobIds[i] = c.jobId();
      siteIds[i++] = c.siteId();
    }
    return pool.preparedQuery(JobQueries.RENEW_LEASES).execute(Tuple.of(owner, leaseSeconds, jobIds, siteIds))
        .map(RowSet::rowCount);
  }

  /** Completes unfinished jobs with no site left to do; how many. */
  public Future<Integer> completeDone() {
    return pool.query(JobQueries.COMPLETE_DONE_JOBS).execute().map(RowSet::rowCount);
  }

  /** Jobs per state (states without a job absent). */
  public Future<Map<String, Long>> countByState() {
    return pool.query(JobQueries.COUNT_JOBS_BY_STATE).execute().map(rows -> {
      Map<String, Long> out = new HashMap<>();
      rows.forEach(r -> out.put(r.getString("state"), r.getLong("n")));
      return out;
    });
  }

  /** Sites still to do in unfinished jobs. */
  public Future<Long> remainingSites() {
    return pool.query(JobQueries.COUNT_REMAINING_SITES).execute().map(rows -> rows.iterator().next().getLong(0));
  }

  private static Optional<Job> first(RowSet<Row> rows) {
    return rows.size() == 0 ? Optional.empty() : Optional.of(job(rows.iterator().next()));
  }

  private static Job job(Row r) {
    return new Job(r.getUUID("id"), r.getString("org_id"), r.getString("actor"), r.getInteger("max_in_flight"),
        r.getString("state"), r.getInteger("total"), r.getInteger("succeeded"), r.getInteger("failed"),
        r.getInteger("unknown"), r.getOffsetDateTime("created_at"), r.getOffsetDateTime("updated_at"),
        r.getOffsetDateTime("finished_at"));
  }
}
