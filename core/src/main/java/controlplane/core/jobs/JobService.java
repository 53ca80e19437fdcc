package controlplane.core.jobs;

import controlplane.core.bus.Failure;
import controlplane.core.bus.JobCreateRequest;
import controlplane.core.bus.JobReply;
import controlplane.core.bus.JobRequest;
import controlplane.core.bus.JobsReply;
import controlplane.core.bus.JobsRequest;
import controlplane.core.persistence.Db;
import controlplane.core.persistence.JobRepository;
import controlplane.core.persistence.JobRepository.Job;
import controlplane.core.persistence.Timestamps;
import io.vertx.core.Future;
import java.util.List;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The job addresses of {@code docs/EVENT-BUS.md}: create (the selector is evaluated once, into the job's own list of
 * sites: live sites of the caller's organisation only), read, list and cancel. Another organisation's job is
 * {@code job_not_found}. The work itself is the {@link JobRunner}'s.
 */
public final class JobService {

  private static final Logger LOG = LoggerFactory.getLogger(JobService.class);

  private final JobRepository jobs;
  private final JobRunner runner;

  public JobService(JobRepository jobs, JobRunner runner) {
    this.jobs = jobs;
    this.runner = runner;
  }

  public JobRunner runner() {
    return runner;
  }

  /** {@code cp.jobs.create}: the new job (or the one the same Idempotency-Key started), its work started at once. */
  public Future<JobReply> create(JobCreateRequest r) {
    UUID id = UUID.randomUUID();
    JobRepository.Selection selection = new JobRepository.Selection(r.selector().siteIds(), r.selector().serverIp(),
        r.selector().status());
    return Db.classified(jobs.create(id, r.orgId(), r.actor(), r.selector().toJson(), selection, r.maxInFlight(),
        r.idempotencyKey(), r.requestId()), "job creation").map(created -> {
          Job job = created.job();
          if (!created.replayed() && job.total() > 0) {
            LOG.info("bulk job {} of {} created by {}: {} sites, at most {} at once", job.id(), job.orgId(),
                r.actor(), job.total(), job.maxInFlight());
            runner.claim(job.id());
          }
          return reply(job);
        });
  }

  /** {@code cp.jobs.get}. */
  public Future<JobReply> get(JobRequest r) {
    return Db.classified(jobs.find(r.jobId(), r.orgId()), "job read")
        .compose(job -> job.isPresent() ? Future.succeededFuture(reply(job.get())) : notFound());
  }

  /** {@code cp.jobs.list}: newest first; {@code next_after} when the page is full. */
  public Future<JobsReply> list(JobsRequest r) {
    return Db.classified(jobs.list(r.orgId(), r.after(), r.limit()), "job listing").map(page -> {
      List<JobReply> replies = page.stream().map(JobService::reply).toList();
      String next = page.size() == r.limit() ? page.get(page.size() - 1).id().toString() : null;
      return new JobsReply(replies, next);
    });
  }

  /**
   * {@code cp.jobs.cancel}: no more sites are claimed; those running finish and are counted. A job that has ended
   * already is answered as it is.
   */
  public Future<JobReply> cancel(JobRequest r) {
    return Db.classified(jobs.cancel(r.jobId(), r.orgId()), "job cancellation").compose(cancelled -> {
      if (cancelled.isPresent()) {
        LOG.info("bulk job {} cancelled by {}", r.jobId(), r.actor());
        return Future.succeededFuture(reply(cancelled.get()));
      }
      return get(r);
    });
  }

  private static <T> Future<T> notFound() {
    return Future.failedFuture(Failure.JOB_NOT_FOUND.exception("job not found"));
  }

  static JobReply reply(Job job) {
    return new JobReply(job.id().toString(), job.state(), job.total(), job.succeeded(), job.failed(), job.unknown(),
        Timestamps.format(job.createdAt()), Timestamps.format(job.updatedAt()), Timestamps.format(job.finishedAt()));
  }
}
