package controlplane.core.rotation;

import controlplane.core.CoreConfig;
import controlplane.core.bus.ApplyReply;
import controlplane.core.bus.DeviceOutcome;
import controlplane.core.bus.Failure;
import controlplane.core.bus.ProbeReply;
import controlplane.core.crypto.PasswordGenerator;
import controlplane.core.crypto.Sealed;
import controlplane.core.fleet.EdgeLimiter;
import controlplane.core.persistence.AuditLog;
import controlplane.core.persistence.CredentialRepository;
import controlplane.core.persistence.CredentialVersion;
import controlplane.core.persistence.Db;
import controlplane.core.persistence.PolicyRepository;
import controlplane.core.persistence.PolicyRepository.Claimed;
import controlplane.core.persistence.PolicyRepository.ReconcileAccount;
import controlplane.core.persistence.Site;
import controlplane.core.policy.RotationPolicy;
import io.vertx.core.Future;
import io.vertx.sqlclient.SqlClient;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Drift detection (issue 12 points 3 and 4). Every {@code drift_check_period_seconds} of the policy in force (else
 * {@code drift.checkPeriodSeconds}; 0 and no policy period: never) each in-sync site's CURRENT password is checked by
 * a plain login that changes nothing, through the one {@link EdgeLimiter}; due checks are claimed like due
 * rotations (index range scan, SKIP LOCKED, a lease), and first planned at a random time inside the period so that
 * they spread out. A password that no longer logs in ({@code credential.drift_detected}):
 * <ol>
 *   <li>the site's other known passwords (previous, failed, superseded, newest first) are tried; one that logs in
 *       is adopted as CURRENT, nothing pushed ({@code credential.repaired}, outcome {@code adopted});</li>
 *   <li>else, when the site has a reconcile account, it sets a fresh password on the API user, PENDING first and
 *       promoted once verified, exactly like a rotation ({@code credential.repaired}, outcome {@code repaired}; an
 *       unknown outcome is the reconciler's, like a rotation's);</li>
 *   <li>else the site is {@code out_of_sync} (the reconciler's re-checks take over).</li>
 * </ol>
 * A site that is not in sync, or has a rotation in flight, is not checked (the reconciler owns it); its next check
 * is planned all the same.
 */
public final class DriftChecker {

  private static final Logger LOG = LoggerFactory.getLogger(DriftChecker.class);
  /** The actor of drift checks and repairs in the audit trail. */
  public static final String ACTOR = "drift";
  public static final String DETECTED = "credential.drift_detected";
  public static final String REPAIRED = "credential.repaired";
  private static final int CANDIDATES = 5;
  private static final int MAX_BATCHES = 10;

  private final CredentialStore store;
  private final PolicyRepository policies;
  private final DeviceGateway device;
  private final EdgeLimiter limiter;
  private final FleetMetrics metrics;
  private final PasswordGenerator generator;
  private final long globalSeconds;
  private final int batchSize;
  private final int leaseSeconds;
  private final long claimSeconds;
  private Future<Integer> inFlight;

  DriftChecker(CredentialStore store, PolicyRepository policies, DeviceGateway device, EdgeLimiter limiter,
               CoreConfig config, FleetMetrics metrics) {
    this.store = store;
    this.policies = policies;
    this.device = device;
    this.limiter = limiter;
    this.metrics = metrics;
    this.generator = new PasswordGenerator(config.rotation().passwordLength());
    this.globalSeconds = config.drift().checkPeriodSeconds();
    this.batchSize = config.scheduler().batchSize();
    this.leaseSeconds = config.rotation().effectiveLeaseSeconds();
    CoreConfig.Scheduler s = config.scheduler();
    long rounds = (s.batchSize() + s.maxInFlightPerEdge() - 1) / s.maxInFlightPerEdge();
    // A check may take two probes and a repair, each one device operation.
    this.claimSeconds = (rounds + 1) * 3 * ((config.rotation().deviceTimeoutMs() + 999) / 1000) + leaseSeconds;
  }

  /** One pass unless one is running (then 0); the number of sites claimed. Call on core's context. */
  public Future<Integer> runOnce() {
    return inFlight != null ? Future.succeededFuture(0) : pass();
  }

  /** A full pass after the running one, if any. */
  public Future<Integer> runNow() {
    return inFlight == null ? pass() : inFlight.transform(ar -> runNow());
  }

  private Future<Integer> pass() {
    Future<Integer> pass = batches(0, 0).andThen(ar -> {
      inFlight = null;
      if (ar.failed()) {
        LOG.warn("drift pass failed: {}", ar.cause().toString());
      }
    });
    inFlight = pass.isComplete() ? null : pass;
    return pass;
  }

  private Future<Integer> batches(int round, int done) {
    if (round >= MAX_BATCHES) {
      return Future.succeededFuture(done);
    }
    return policies.claimDueDriftChecks(store.pool, batchSize, claimSeconds).compose(claimed -> {
      List<Future<Void>> work = new ArrayList<>(claimed.size());
      for (Claimed c : claimed) {
        work.add(check(c).recover(t -> {
          LOG.warn("drift check of site {} failed: {}", c.site().id(), t.toString());
          return Future.succeededFuture();
        }));
      }
      return Future.join(work).transform(ar -> claimed.size() < batchSize
          ? Future.succeededFuture(done + claimed.size())
          : batches(round + 1, done + claimed.size()));
    });
  }

  private Future<Void> check(Claimed c) {
    Site site = c.site();
    long period = RotationPolicy.driftPeriod(c.driftSeconds(), globalSeconds);
    Future<String> result = period <= 0 || !Site.IN_SYNC.equals(site.status())
        ? Future.succeededFuture(null)
        : limiter.run(site.serverIp(), () -> checkSite(site));
    return result.transform(ar -> {
      if (ar.succeeded() && ar.result() != null) {
        metrics.drift(ar.result());
      }
      return policies.setNextDriftCheck(store.pool, site.id(),
          period <= 0 ? null : Scheduler.at(Instant.now().plusSeconds(period)));
    });
  }

  /** The result of the check: a {@link FleetMetrics} drift result, or null when nothing was checked. */
  private Future<String> checkSite(Site site) {
    return store.credentials.live(store.pool, site.id()).compose(live -> {
      if (live.pending() != null || live.current() == null) {
        return Future.succeededFuture((String) null);
      }
      return device.probe(site, List.of(store.open(live.current()))).transform(ar -> {
        if (ar.failed()) {
          return Future.succeededFuture(FleetMetrics.UNREACHABLE);
        }
        ProbeReply reply = ar.result();
        if (reply.loginIndex() == 0) {
          return Future.succeededFuture(FleetMetrics.OK);
        }
        if (!reply.reachable()
            || (reply.failure() != null && reply.failure() != Failure.DEVICE_REJECTED_CREDENTIALS)) {
          return Future.succeededFuture(FleetMetrics.UNREACHABLE);
        }
        return drifted(site, live);
      });
    });
  }

  private Future<String> drifted(Site site, CredentialRepository.Live live) {
    LOG.warn("drift: the current password of site {} no longer logs in", site.id());
    return audit(store.pool, site, DETECTED, live.current().id(), "detected",
        "the current password no longer logs in")
        .compose(v -> store.credentials.resyncCandidates(store.pool, site.id(), CANDIDATES, Reconciler.UNSETTLED))
        .compose(all -> {
          List<CredentialVersion> candidates = all.stream().filter(v -> v.state() != live.current().state()).toList();
          if (candidates.isEmpty()) {
            return repairOrGiveUp(site);
          }
          List<String> logins = new ArrayList<>(candidates.size());
          candidates.forEach(v -> logins.add(store.open(v)));
          return device.probe(site, logins).transform(ar -> {
            if (ar.failed() || !ar.result().reachable()) {
              return Future.succeededFuture(FleetMetrics.UNREACHABLE);
            }
            int index = ar.result().loginIndex();
            if (index < 0 || index >= candidates.size()) {
              return repairOrGiveUp(site);
            }
            return adopt(site, candidates.get(index)).compose(adopted -> adopted
                ? Future.succeededFuture(FleetMetrics.ADOPTED) : Future.succeededFuture((String) null));
          });
        });
  }

  /** Makes {@code found}, which the router accepts, CURRENT; nothing is pushed. */
  private Future<Boolean> adopt(Site site, CredentialVersion found) {
    String detail = "the router accepts the " + found.state().name().toLowerCase() + " version; adopted";
    return store.inSiteTransaction(site.id(), tx -> store.credentials.live(tx, site.id()).compose(live -> {
      if (live.pending() != null) {
        return Future.succeededFuture(false);
      }
      Future<Boolean> change = switch (found.state()) {
        case PREVIOUS -> store.credentials.swapCurrentAndPrevious(tx,
            live.current() == null ? null : live.current().id(), found.id()).map(true);
        case FAILED, SUPERSEDED -> store.credentials.adoptVersion(tx, found.id(), site.id());
        default -> Future.succeededFuture(false);
      };
      return change.compose(changed -> !changed ? Future.succeededFuture(false)
          : audit(tx, site, REPAIRED, found.id(), "adopted", detail).map(true));
    })).onSuccess(adopted -> {
      if (adopted) {
        LOG.warn("drift: site {} accepts its {} version {}; it is current again", site.id(),
            found.state().name().toLowerCase(), found.id());
      }
    });
  }

  private Future<String> repairOrGiveUp(Site site) {
    return policies.reconcileAccount(store.pool, site.id()).compose(account -> account.isEmpty()
        ? outOfSync(site, "no known password logs in and the site has no reconcile account")
        : repair(site, account.get()));
  }

  /** The reconcile account sets a fresh password: PENDING first (the rotation slot), promoted once verified. */
  private Future<String> repair(Site site, ReconcileAccount account) {
    String password = generator.generate();
    UUID versionId = UUID.randomUUID();
    Sealed sealed = store.sealer.seal(password, site.id(), versionId);
    return store.slots.take(store.pool, site.id(), site.orgId(), versionId, sealed, leaseSeconds, ACTOR, null)
        .recover(t -> Db.isUniqueViolation(t, CredentialRepository.ONE_PENDING_INDEX)
            ? Future.succeededFuture(java.util.Optional.empty()) : Future.failedFuture(t))
        .compose(taken -> {
          if (taken.isEmpty() || taken.get().busy()) {
            return Future.succeededFuture((String) null); // a rotation or a re-push holds the site: next time
          }
          String reconcilePassword = store.sealer.open(account.sealed(), site.id(), account.id());
          LOG.warn("drift: repairing site {} with its reconcile account; version {} pending", site.id(), versionId);
          return device.repair(site, account.username(), reconcilePassword, password)
              .transform(ar -> repaired(site, versionId, ar.succeeded() ? ar.result() : null));
        });
  }

  private Future<String> repaired(Site site, UUID versionId, ApplyReply reply) {
    if (reply != null && reply.outcome() == DeviceOutcome.APPLIED) {
      return store.promote(site, versionId, ACTOR, null, null, "repaired by the reconcile account")
          .compose(promoted -> audit(store.pool, site, REPAIRED, versionId, "repaired",
              "the reconcile account set a new password, verified by a fresh login"))
          .map(v -> {
            LOG.warn("drift: site {} repaired; version {} is current", site.id(), versionId);
            metrics.repair(FleetMetrics.REPAIRED);
            return FleetMetrics.REPAIRED;
          });
    }
    metrics.repair(FleetMetrics.FAILED);
    if (reply != null && reply.outcome() == DeviceOutcome.NOT_APPLIED) {
      String detail = "repair not applied: " + (reply.failure() == null ? "refused" : reply.failure().id())
          + (reply.message() == null ? "" : ": " + reply.message());
      return store.inSiteTransaction(site.id(), tx -> store.credentials.fail(tx, versionId, detail)
          .compose(x -> store.sites.setStatus(tx, site.id(), Site.OUT_OF_SYNC))
          .compose(x -> audit(tx, site, REPAIRED, versionId, "failed", detail)))
          .map(v -> {
            LOG.error("drift: site {}: {}; marked out_of_sync", site.id(), detail);
            return FleetMetrics.OUT_OF_SYNC;
          });
    }
    // Unknown, or no answer in time: the router may hold the new password; the reconciler settles it by logging in.
    String detail = "repair outcome unknown" + (reply == null || reply.message() == null ? "" : ": " + reply.message());
    return store.credentials.expireLease(store.pool, versionId, detail)
        .compose(x -> audit(store.pool, site, REPAIRED, versionId, "unknown", detail))
        .map(v -> FleetMetrics.UNREACHABLE);
  }

  private Future<String> outOfSync(Site site, String detail) {
    return store.inSiteTransaction(site.id(), tx -> store.sites.setStatus(tx, site.id(), Site.OUT_OF_SYNC)
        .compose(x -> audit(tx, site, DETECTED, null, "out_of_sync", detail)))
        .map(v -> {
          LOG.error("drift: site {}: {}; marked out_of_sync", site.id(), detail);
          return FleetMetrics.OUT_OF_SYNC;
        });
  }

  private Future<Void> audit(SqlClient client, Site site, String action, UUID versionId, String outcome,
                             String detail) {
    return store.audit.append(client, new AuditLog.Event(ACTOR, action, site.orgId(), site.id(), versionId, outcome,
        null, detail));
  }
}
