package controlplane.core.rotation;

import controlplane.core.CoreConfig;
import controlplane.core.bus.Failure;
import controlplane.core.bus.RotateRequest;
import controlplane.core.fleet.EdgeLimiter;
import controlplane.core.persistence.AuditLog;
import controlplane.core.persistence.PolicyRepository;
import controlplane.core.persistence.PolicyRepository.Claimed;
import controlplane.core.persistence.Site;
import controlplane.core.policy.RotationPolicy;
import io.vertx.core.Future;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.random.RandomGenerator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The scheduler (issue 12 point 2): every {@code scheduler.intervalMs} each process claims the sites whose
 * {@code next_rotation_at} has come (an index range scan with FOR UPDATE SKIP LOCKED that pushes the time forward as a
 * lease, so processes share the work without a leader) and, through the one {@link EdgeLimiter}:
 * <ul>
 *   <li>a site to plan (its policy or enrolment changed): computes its next rotation (next period or cron occurrence
 *       plus a random jitter inside the window; none without a policy) and its next drift check (a random time
 *       inside the drift period, so checks spread out); nothing is rotated;</li>
 *   <li>a due site in sync: rotates it with {@link RotationService} exactly like {@code POST .../credentials}; then
 *       plans the next one. A failure is retried after min(backoffBaseMs * 2^attempt, backoffMaxMs); after
 *       {@code scheduler.maxAttempts} failures the site is marked {@code out_of_sync} (the reconciler's re-checks
 *       bring it back) and waits for its next occurrence;</li>
 *   <li>a due site not in sync: left to the reconciler; its next occurrence is planned.</li>
 * </ul>
 */
public final class Scheduler {

  private static final Logger LOG = LoggerFactory.getLogger(Scheduler.class);
  /** The actor of scheduled rotations in the audit trail. */
  public static final String ACTOR = "scheduler";
  /** Batches claimed per pass at most: plans are cheap, so a pass goes on while batches come back full. */
  private static final int MAX_BATCHES = 10;
  /** A due rotation is overdue once due for longer than its window and this. */
  static final long OVERDUE_AFTER_SECONDS = 3600;

  private final CredentialStore store;
  private final PolicyRepository policies;
  private final RotationService rotations;
  private final EdgeLimiter limiter;
  private final CoreConfig.Scheduler config;
  private final long driftSeconds;
  private final FleetMetrics metrics;
  private final RandomGenerator random;
  private final long leaseSeconds;
  private Future<Integer> inFlight;

  Scheduler(CredentialStore store, PolicyRepository policies, RotationService rotations, EdgeLimiter limiter,
            CoreConfig config, FleetMetrics metrics, RandomGenerator random) {
    this.store = store;
    this.policies = policies;
    this.rotations = rotations;
    this.limiter = limiter;
    this.config = config.scheduler();
    this.driftSeconds = config.drift().checkPeriodSeconds();
    this.metrics = metrics;
    this.random = random;
    // Held long enough for a whole batch to queue behind the per-edge cap, one device operation per slot at a time.
    long rounds = (this.config.batchSize() + this.config.maxInFlightPerEdge() - 1) / this.config.maxInFlightPerEdge();
    this.leaseSeconds = (rounds + 1) * ((config.rotation().deviceTimeoutMs() + 999) / 1000)
        + config.rotation().effectiveLeaseSeconds();
  }

  /** One pass, unless one is running (then 0). Completes with the number of sites handled. Call on core's context. */
  public Future<Integer> runOnce() {
    return inFlight != null ? Future.succeededFuture(0) : pass();
  }

  /** A full pass after the running one, if any. */
  public Future<Integer> runNow() {
    return inFlight == null ? pass() : inFlight.transform(ar -> runNow());
  }

  private Future<Integer> pass() {
    Future<Integer> pass = batches(0, 0)
        .compose(n -> refreshGauges().map(n))
        .andThen(ar -> {
          inFlight = null;
          if (ar.failed()) {
            LOG.warn("scheduler pass failed: {}", ar.cause().toString());
          }
        });
    inFlight = pass.isComplete() ? null : pass;
    return pass;
  }

  private Future<Integer> batches(int round, int done) {
    if (round >= MAX_BATCHES) {
      return Future.succeededFuture(done);
    }
    return policies.claimDueRotations(store.pool, config.batchSize(), leaseSeconds).compose(claimed -> {
      List<Future<Void>> work = new ArrayList<>(claimed.size());
      for (Claimed c : claimed) {
        work.add(handle(c).recover(t -> {
          LOG.warn("scheduler: site {} not handled: {}", c.site().id(), t.toString());
          return Future.succeededFuture();
        }));
      }
      return Future.join(work).transform(ar -> claimed.size() < config.batchSize()
          ? Future.succeededFuture(done + claimed.size())
          : batches(round + 1, done + claimed.size()));
    });
  }

  private Future<Void> handle(Claimed c) {
    Instant now = Instant.now();
    RotationPolicy policy = policy(c);
    if (c.replan() || policy == null) {
      long drift = RotationPolicy.driftPeriod(c.driftSeconds(), driftSeconds);
      OffsetDateTime nextDrift = drift <= 0 ? null : at(now.plusMillis(random.nextLong(drift * 1000 + 1)));
      return policies.setPlan(store.pool, c.site().id(), policy == null ? null : at(policy.nextRotation(now, random)),
          nextDrift);
    }
    if (!Site.IN_SYNC.equals(c.site().status())) {
      metrics.scheduled(FleetMetrics.SKIPPED);
      return policies.setNextRotation(store.pool, c.site().id(), at(policy.nextRotation(now, random)));
    }
    Site site = c.site();
    return limiter.run(site.serverIp(), () -> rotations.rotate(new RotateRequest(site.id(), site.orgId(), ACTOR,
            null, null)))
        .transform(ar -> ar.succeeded()
            ? rotated(c, policy)
            : failed(c, policy, Failure.of(ar.cause()), ar.cause().getMessage()));
  }

  private Future<Void> rotated(Claimed c, RotationPolicy policy) {
    metrics.scheduled(FleetMetrics.ROTATED);
    return policies.setNextRotation(store.pool, c.site().id(), at(policy.nextRotation(Instant.now(), random)));
  }

  private Future<Void> failed(Claimed c, RotationPolicy policy, Failure failure, String message) {
    Site site = c.site();
    if (failure == Failure.ROTATION_IN_PROGRESS) {
      // Someone else is rotating it (a client, a job): look again after the first back-off, no attempt counted.
      metrics.scheduled(FleetMetrics.SKIPPED);
      return policies.setLater(store.pool, site.id(), at(Instant.now().plusMillis(config.backoffBaseMs())));
    }
    int attempt = c.attempts() + 1;
    if (attempt >= config.maxAttempts()) {
      metrics.scheduled(FleetMetrics.OUT_OF_SYNC);
      String detail = "scheduled rotation failed " + attempt + " times, last: " + failure.id();
      LOG.error("scheduler: site {}: {}; marked out_of_sync", site.id(), detail);
      return store.inSiteTransaction(site.id(), tx -> store.sites.setStatus(tx, site.id(), Site.OUT_OF_SYNC)
          .compose(changed -> store.audit.append(tx, new AuditLog.Event(ACTOR, "credential.schedule", site.orgId(),
              site.id(), null, "out_of_sync", null, detail)))
          .compose(v -> policies.setNextRotation(tx, site.id(), at(policy.nextRotation(Instant.now(), random)))));
    }
    metrics.scheduled(FleetMetrics.RETRY);
    long delay = backOffMs(c.attempts(), config.backoffBaseMs(), config.backoffMaxMs());
    LOG.warn("scheduler: rotation of site {} failed ({}), attempt {} of {}; next in {} ms", site.id(), failure.id(),
        attempt, config.maxAttempts(), delay);
    return policies.setRetry(store.pool, site.id(), at(Instant.now().plusMillis(delay))).mapEmpty();
  }

  /** min(base * 2^attempts, max). */
  static long backOffMs(int attempts, long baseMs, long maxMs) {
    long delay = baseMs << Math.min(attempts, 30);
    return delay <= 0 || delay > maxMs ? maxMs : delay;
  }

  /** The policy in force, or null when there is none (or it no longer parses: then it is treated as none). */
  private static RotationPolicy policy(Claimed c) {
    if (!c.hasPolicy()) {
      return null;
    }
    try {
      return RotationPolicy.of(c.periodSeconds(), c.schedule(), c.windowSeconds(), c.driftSeconds());
    } catch (IllegalArgumentException e) {
      LOG.warn("site {}: the rotation policy in force is invalid ({}); treated as none", c.site().id(),
          e.getMessage());
      return null;
    }
  }

  /** Refreshes {@code cp_rotations_due} and {@code cp_rotations_overdue}. */
  Future<Void> refreshGauges() {
    return policies.countDue(store.pool, OVERDUE_AFTER_SECONDS).map(counts -> {
      metrics.due(counts.due(), counts.overdue());
      return null;
    });
  }

  static OffsetDateTime at(Instant t) {
    return t == null ? null : t.atOffset(ZoneOffset.UTC);
  }
}
