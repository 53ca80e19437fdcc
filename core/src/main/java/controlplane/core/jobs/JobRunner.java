package controlplane.core.jobs;

import controlplane.core.CoreConfig;
import controlplane.core.bus.Failure;
import controlplane.core.bus.RotateRequest;
import controlplane.core.fleet.EdgeLimiter;
import controlplane.core.persistence.JobRepository;
import controlplane.core.persistence.JobRepository.Claimed;
import controlplane.core.persistence.RotationSlots;
import controlplane.core.persistence.StatementBatcher;
import controlplane.core.rotation.CoreMetrics;
import controlplane.core.rotation.RotationService;
import io.vertx.core.AsyncResult;
import io.vertx.core.Future;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Works on bulk rotation jobs in this process. Every {@code scheduler.intervalMs} (and whenever a job is created or
 * a site of it ends) it claims sites of unfinished jobs in PostgreSQL under a lease, which it renews at each poll
 * while the site is held; a process that dies leaves its sites to be claimed again once their lease has run out.
 * Each claimed site is rotated as an ordinary rotation ({@link RotationService#rotate}) through the process's one
 * {@link EdgeLimiter}; the job's {@code max_in_flight} is held by the claim, across processes. A process whose
 * claimed sites of a job wait for their edge ({@code scheduler.maxInFlightPerEdge} of them or more) claims no more of
 * that job until they start: the job's free places are left to processes that can start them.
 *
 * <p>Outcomes: applied is {@code succeeded}; {@code device_outcome_unknown} is {@code unknown} (the reconciler
 * settles the site); any other failure is {@code failed}, except the passing ones (the site's rotation slot is
 * taken, the database is unavailable): the site goes back to the queue with a back-off ({@code scheduler.backoff*})
 * and fails only after {@code scheduler.maxAttempts} claims.
 *
 * <p>Not thread-safe: every call comes from the core verticle's context.
 */
public final class JobRunner {

  private static final Logger LOG = LoggerFactory.getLogger(JobRunner.class);

  private final JobRepository jobs;
  private final RotationService rotations;
  private final EdgeLimiter edges;
  private final JobMetrics metrics;
  private final CoreConfig.Scheduler config;
  private final int leaseSeconds;
  /** This process's name in {@code claimed_by}: a new one at every start, so a restarted process owns nothing. */
  private final String owner = "core-" + UUID.randomUUID();
  /** Jobs with a claim in flight here; one claim per job at a time. */
  private final Set<UUID> claiming = new HashSet<>();
  /** Jobs asked to claim again while a claim of theirs was in flight. */
  private final Set<UUID> claimAgain = new HashSet<>();
  private boolean polling;
  /**
   * The sites this process is rotating: the only ones whose leases it renews. By identity: each run adds and removes
   * its own claim (a record's hash would walk all six fields, strings too).
   */
  private final Set<Claimed> held = Collections.newSetFromMap(new IdentityHashMap<>());
  /** Per job, its held sites that wait in the edge limiter, not started yet. */
  private final Map<UUID, Integer> waiting = new HashMap<>();
  /**
   * The ends of claimed sites, batched under load: one transaction and one job-row lock for many, which also claims
   * the sites that run next.
   */
  private final StatementBatcher<JobRepository.Finish, JobRepository.Finished> finishes;

  /** {@code rotationLeaseSeconds}: a rotation's own lease; a site's claim lasts longer than a poll and a rotation. */
  public JobRunner(JobRepository jobs, RotationService rotations, EdgeLimiter edges, JobMetrics metrics,
                   CoreConfig.Scheduler config, int rotationLeaseSeconds) {
    this.jobs = jobs;
    this.rotations = rotations;
    this.edges = edges;
    this.metrics = metrics;
    this.config = config;
    this.leaseSeconds = (int) Math.max(60, Math.max(2L * rotationLeaseSeconds, 3 * (config.intervalMs() / 1000 + 1)));
    this.finishes = new StatementBatcher<JobRepository.Finish, JobRepository.Finished>(
        f -> jobs.finishMany(List.of(f), owner, leaseSeconds, config.batchSize()).map(all -> all.get(0)),
        calls -> jobs.finishMany(calls, owner, leaseSeconds, config.batchSize()))
        .observedBy(CoreMetrics.statementCalls(metrics.registry(), "job_finish"));
    LOG.info("bulk jobs: this process claims sites as {} (rotation_job_sites.claimed_by)", owner);
  }

  /**
   * One poll: renews this process's leases, completes jobs left with nothing to do, claims work of up to
   * {@code scheduler.batchSize} jobs, refreshes the gauges. A poll still in progress makes this one a no-op.
   */
  public Future<Void> poll() {
    if (polling) {
      return Future.succeededFuture();
    }
    polling = true;
    return jobs.renewLeases(owner, leaseSeconds, held)
        .compose(renewed -> jobs.completeDone())
        .compose(completed -> jobs.jobsWithWork(config.batchSize()))
        .compose(ids -> {
          ids.forEach(this::claim);
          return refreshGauges();
        })
        .onFailure(t -> LOG.warn("bulk jobs: poll failed ({}), next one in {} ms", t.toString(), config.intervalMs()))
        .transform(ar -> {
          polling = false;
          return Future.<Void>succeededFuture();
        });
  }

  /** Claims what this process may run of job {@code jobId} now, and starts it. */
  void claim(UUID jobId) {
    if (backedUp(jobId)) {
      return;
    }
    if (!claiming.add(jobId)) {
      claimAgain.add(jobId);
      return;
    }
    jobs.claim(jobId, owner, leaseSeconds, config.batchSize()).onComplete(ar -> {
      claiming.remove(jobId);
      if (ar.succeeded()) {
        List<Claimed> claimed = ar.result();
        claimed.forEach(this::run);
      } else {
        LOG.warn("bulk job {}: claim failed ({}), retried at the next poll", jobId, ar.cause().toString());
      }
      if (claimAgain.remove(jobId)) {
        claim(jobId);
      }
    });
  }

  /**
   * Rotates a claimed site and ends it. An applied rotation's promotion ends it (RotationService#rotate with a job
   * end); any other outcome ends it on its own. The end claims the sites to run next in its own transaction; when it
   * could not (the site was requeued, its claim was lost, or the end failed), the job is claimed from again.
   */
  private void run(Claimed site) {
    held.add(site);
    waiting.merge(site.jobId(), 1, Integer::sum);
    edges.run(site.serverIp(), () -> {
          waiting.computeIfPresent(site.jobId(), (id, n) -> n == 1 ? null : n - 1);
          return rotations.rotate(new RotateRequest(site.siteId(), site.orgId(), site.actor(), null,
              "job-" + site.jobId()), new RotationSlots.JobEnd(site.jobId(), owner, leaseSeconds, config.batchSize(),
              !backedUp(site.jobId())));
        })
        .transform(ar -> settle(site, ar))
        .onComplete(ar -> {
          held.remove(site);
          if (ar.failed()) {
            LOG.warn("bulk job {}: the outcome of site {} was not stored ({}); it is claimed again when its lease"
                + " runs out", site.jobId(), site.siteId(), ar.cause().toString());
          }
          if (ar.succeeded() && ar.result() != null && ar.result().counted()) {
            ar.result().next().forEach(this::run);
          } else {
            claim(site.jobId());
          }
        });
  }

  /** The site's end, or null when it went back to the queue. */
  private Future<JobRepository.Finished> settle(Claimed site, AsyncResult<JobRepository.Finished> rotation) {
    if (rotation.succeeded()) {
      return rotation.result() != null
          ? Future.succeededFuture(ended(site, JobStates.SUCCEEDED, rotation.result()))
          : finish(site, JobStates.SUCCEEDED, null);
    }
    Failure failure = Failure.of(rotation.cause());
    return switch (failure) {
      case ROTATION_IN_PROGRESS, DATABASE_UNAVAILABLE -> site.attempts() < config.maxAttempts()
          ? requeue(site, failure)
          : finish(site, JobStates.FAILED, failure.id());
      case DEVICE_OUTCOME_UNKNOWN -> finish(site, JobStates.UNKNOWN, failure.id());
      default -> finish(site, JobStates.FAILED, failure.id());
    };
  }

  private Future<JobRepository.Finished> requeue(Claimed site, Failure failure) {
    return jobs.requeue(site, owner, backOffSeconds(site.attempts()), failure.id()).map(v -> null);
  }

  private Future<JobRepository.Finished> finish(Claimed site, String outcome, String error) {
    return finishes.submit(new JobRepository.Finish(site, outcome, error, !backedUp(site.jobId())))
        .map(ended -> ended(site, outcome, ended));
  }

  private JobRepository.Finished ended(Claimed site, String outcome, JobRepository.Finished ended) {
    if (ended.counted()) {
      metrics.site(outcome);
    } else {
      LOG.warn("bulk job {}: site {} was claimed by another process meanwhile; its outcome {} is not counted here",
          site.jobId(), site.siteId(), outcome);
    }
    return ended;
  }

  /**
   * Whether this process's sites of the job queue for their edges: {@code maxInFlightPerEdge} or more waiting, so that
   * a job on few edges is shared by the processes instead of held by the first to claim it.
   */
  private boolean backedUp(UUID jobId) {
    return waiting.getOrDefault(jobId, 0) >= config.maxInFlightPerEdge();
  }

  /** min(backoffBaseMs * 2^(attempts - 1), backoffMaxMs), in seconds. */
  double backOffSeconds(int attempts) {
    double ms = config.backoffBaseMs() * Math.pow(2, Math.min(Math.max(attempts - 1, 0), 30));
    return Math.min(ms, config.backoffMaxMs()) / 1000.0;
  }

  private Future<Void> refreshGauges() {
    return jobs.countByState().compose(byState -> {
      metrics.jobs(byState);
      return jobs.remainingSites();
    }).map(remaining -> {
      metrics.remaining(remaining);
      return null;
    });
  }
}
