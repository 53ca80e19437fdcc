package controlplane.core.rotation;

import controlplane.core.CoreConfig;
import controlplane.core.bus.Failure;
import controlplane.core.bus.ProbeReply;
import controlplane.core.persistence.AuditLog;
import controlplane.core.persistence.CredentialRepository;
import controlplane.core.persistence.CredentialVersion;
import controlplane.core.persistence.Site;
import controlplane.core.persistence.VersionState;
import io.vertx.core.Future;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Settles every PENDING version whose lease has expired (a rotation whose outcome is unknown, or one cut short by a
 * crash), by asking the device which known password logs in. It never pushes a password and never guesses.
 *
 * <ul>
 *   <li>pending logs in: the router has it; promote it exactly like a successful rotation.</li>
 *   <li>current logs in: the router never took it; the pending version FAILED (never pushed again).</li>
 *   <li>previous logs in: the router went back to the previous password (restored from a backup, say). The pending
 *       version FAILED, and previous and current swap: CURRENT is again the password the router accepts, and the
 *       other one is kept as PREVIOUS. Nothing is pushed and no password is lost.</li>
 *   <li>none logs in, router reachable: the site is marked {@code out_of_sync} (audit event and gauge) for an
 *       operator to re-enrol with {@code cp.site.put}; the pending version FAILED so that it is never pushed; its
 *       sealed value stays in its row, like current and previous.</li>
 *   <li>no answer (unreachable, timeout, no device consumer): retried later with an exponential back-off.</li>
 * </ul>
 *
 * <p>Each pass also looks again, with a back-off, at the out_of_sync sites: when one of the site's known passwords
 * (current, previous, the newest failed ones) logs in again, for instance after a router refused every login for a
 * while, that version becomes CURRENT and the site is in sync again. Nothing is pushed.
 */
public final class Reconciler {

  private static final Logger LOG = LoggerFactory.getLogger(Reconciler.class);
  private static final int BATCH = 32;
  private static final int MAX_BATCHES = 64;
  /** Upper bound of the back-off between two attempts on an unreachable router. */
  static final long BACKOFF_CAP_SECONDS = 900;

  /** Values of the {@code result} tag of {@code cp_reconciler_settled_total}. */
  public static final String PROMOTED = "promoted";
  public static final String KEPT_CURRENT = "kept_current";
  public static final String RESTORED_PREVIOUS = "restored_previous";
  public static final String OUT_OF_SYNC = "out_of_sync";
  public static final String RETRY = "retry";
  public static final String SKIPPED = "skipped";
  public static final String RESYNCED = "resynced";

  /** Out-of-sync sites looked at per pass, and how many of their known passwords are tried. */
  private static final int RESYNC_BATCH = 32;
  private static final int RESYNC_CANDIDATES = 5;
  /** last_error of a pending version failed because no known password logged in: its outcome was never known. */
  static final String UNSETTLED = "no known password logs in; site out of sync";

  private final CredentialStore store;
  private final DeviceGateway device;
  private final CoreMetrics metrics;
  private final int leaseSeconds;
  /** How long a claimed version is held: longer than the probe that settles it can take. */
  private final int claimSeconds;
  private final long retrySeconds;
  private Future<Integer> inFlight;

  /** A PENDING version's owner process is dead when its heartbeat is older than this (V12). */
  private final double ownerDeadAfterSeconds;

  Reconciler(CredentialStore store, DeviceGateway device, CoreConfig.Rotation config,
             CoreConfig.Reconciler reconciler, CoreMetrics metrics) {
    long intervalMs = reconciler.intervalMs();
    this.ownerDeadAfterSeconds = reconciler.ownerDeadAfterMs() / 1000.0;
    this.retrySeconds = Math.max(1, (intervalMs + 999) / 1000);
    this.store = store;
    this.device = device;
    this.metrics = metrics;
    this.leaseSeconds = config.leaseSeconds();
    this.claimSeconds = config.effectiveLeaseSeconds();
  }

  /**
   * One pass: claims and settles every pending version whose lease has expired, then refreshes the gauges. Completes
   * with the number of versions handled (a retry counts). When a pass is already running this is a no-op (0): the
   * periodic timer uses it. Call on the owning verticle's context.
   */
  public Future<Integer> runOnce() {
    return inFlight != null ? Future.succeededFuture(0) : pass();
  }

  /** A full pass that starts after the one running now, if any, has ended. Call on the owning verticle's context. */
  public Future<Integer> runNow() {
    return inFlight == null ? pass() : inFlight.transform(ar -> runNow());
  }

  private Future<Integer> pass() {
    Future<Integer> pass = takeovers(0, 0)
        .compose(taken -> batches(0, taken))
        .compose(n -> resyncBatch().map(m -> n + m))
        .compose(n -> refreshGauges().map(n))
        .andThen(ar -> {
          inFlight = null;
          if (ar.failed()) {
            LOG.warn("reconciler pass failed: {}", ar.cause().toString());
          } else if (ar.result() > 0) {
            LOG.info("reconciler settled {} pending versions", ar.result());
          }
        });
    // A pass that completed at once has already cleared inFlight.
    inFlight = pass.isComplete() ? null : pass;
    return pass;
  }

  private Future<Integer> batches(int round, int done) {
    if (round >= MAX_BATCHES) {
      return Future.succeededFuture(done);
    }
    // The claim renews each lease, so a version handled here is not claimed again in this pass.
    return store.credentials.claimExpired(store.pool, claimSeconds, BATCH).compose(claimed -> {
      if (claimed.isEmpty()) {
        return Future.succeededFuture(done);
      }
      Future<Void> chain = Future.succeededFuture();
      for (CredentialVersion v : claimed) {
        chain = chain.compose(x -> settle(v).recover(t -> {
          LOG.warn("reconciler: version {} of site {} not settled: {}", v.id(), v.siteId(), t.toString());
          return Future.succeededFuture();
        }));
      }
      return chain.compose(x -> batches(round + 1, done + claimed.size()));
    });
  }

  /**
   * Takes over the PENDING versions of dead processes (docs/RELIABILITY.md, "Takeover of a dead process's
   * rotations"): whose lease still runs, but whose owner stopped heartbeating. The push of such a version may still be
   * under way only when the device role runs in another process than the dead core; so a takeover settles a version
   * only when the router already accepts the PENDING password (nothing can then change it to anything else: the push
   * sets exactly that password). Otherwise the version gets its lease back and is settled, fully, when it expires.
   */
  private Future<Integer> takeovers(int round, int done) {
    if (round >= MAX_BATCHES) {
      return Future.succeededFuture(done);
    }
    return store.credentials.claimOrphaned(store.pool, ownerDeadAfterSeconds, claimSeconds, BATCH).compose(claimed -> {
      if (claimed.isEmpty()) {
        return Future.succeededFuture(done);
      }
      Future<Void> chain = Future.succeededFuture();
      for (CredentialRepository.Orphan orphan : claimed) {
        chain = chain.compose(x -> takeOver(orphan).recover(t -> {
          LOG.warn("reconciler: takeover of version {} of site {} failed: {}", orphan.version().id(),
              orphan.version().siteId(), t.toString());
          return giveBack(orphan);
        }));
      }
      return chain.compose(x -> takeovers(round + 1, done + claimed.size()));
    });
  }

  private Future<Void> takeOver(CredentialRepository.Orphan orphan) {
    CredentialVersion claimed = orphan.version();
    metrics.takeover();
    LOG.warn("reconciler: the process that rotated site {} (version {}) is dead; taking the version over",
        claimed.siteId(), claimed.id());
    return store.sites.find(store.pool, claimed.siteId()).compose(site -> {
      if (site.isEmpty()) {
        return Future.succeededFuture();
      }
      return store.credentials.live(store.pool, claimed.siteId()).compose(live -> {
        if (live.pending() == null || !live.pending().id().equals(claimed.id())) {
          return Future.succeededFuture();
        }
        // Only the pending password is tried: whether the router has it is all a takeover may act on.
        return device.probe(site.get(), List.of(store.open(live.pending()))).transform(ar -> {
          if (ar.succeeded() && ar.result().reachable() && ar.result().anyLoggedIn()
              && ar.result().loginIndex() == 0) {
            return promote(site.get(), live.pending());
          }
          LOG.info("reconciler: site {} does not accept the taken-over version {} (yet); settled when its lease"
              + " expires", claimed.siteId(), claimed.id());
          return giveBack(orphan);
        });
      });
    });
  }

  /** Back to the lease the version had before its takeover: it is settled, fully, when that expires. */
  private Future<Void> giveBack(CredentialRepository.Orphan orphan) {
    return store.credentials.restoreLease(store.pool, orphan.version().id(), orphan.heldUntil()).recover(t -> {
      LOG.warn("reconciler: lease of version {} not given back ({}); it expires later", orphan.version().id(),
          t.toString());
      return Future.succeededFuture();
    });
  }

  /** Re-checks the out_of_sync sites that are due; the number brought back in sync. */
  private Future<Integer> resyncBatch() {
    return store.sites.claimOutOfSync(store.pool, leaseSeconds, BACKOFF_CAP_SECONDS, RESYNC_BATCH).compose(sites -> {
      Future<Integer> chain = Future.succeededFuture(0);
      for (Site site : sites) {
        chain = chain.compose(n -> resync(site).map(back -> back ? n + 1 : n).recover(t -> {
          LOG.warn("reconciler: re-check of out_of_sync site {} failed: {}", site.id(), t.toString());
          return Future.succeededFuture(n);
        }));
      }
      return chain;
    });
  }

  private Future<Boolean> resync(Site site) {
    return store.credentials.resyncCandidates(store.pool, site.id(), RESYNC_CANDIDATES, UNSETTLED).compose(candidates -> {
      if (candidates.isEmpty()) {
        return Future.succeededFuture(false);
      }
      List<String> logins = new ArrayList<>(candidates.size());
      candidates.forEach(v -> logins.add(store.open(v)));
      return device.probe(site, logins).transform(ar -> {
        if (ar.failed()) {
          return Future.succeededFuture(false);
        }
        int index = ar.result().loginIndex();
        if (!ar.result().anyLoggedIn() || index >= candidates.size()) {
          return Future.succeededFuture(false);
        }
        return adopt(site, candidates.get(index), ar.result().tlsFingerprint());
      });
    });
  }

  /**
   * Makes {@code found}, which the router accepts, the CURRENT version of an out_of_sync or unverified site. An
   * API-SSL site without a pin (enrolled without verify and without tls_fingerprint) is pinned to {@code seen}, the
   * certificate of this first successful login: from then on every connection must present it.
   */
  private Future<Boolean> adopt(Site site, CredentialVersion found, String seen) {
    boolean pin = site.tls() && site.tlsFingerprint() == null && seen != null;
    String detail = "re-check: the router accepts the " + found.state().name().toLowerCase() + " version"
        + (pin ? "; its certificate sha256 " + seen + " is pinned" : "");
    return store.inSiteTransaction(site.id(), tx -> store.credentials.live(tx, site.id()).compose(live -> {
      if (live.pending() != null) {
        return Future.succeededFuture(false); // a rotation or the pending path settles it
      }
      Future<Void> change = switch (found.state()) {
        case CURRENT -> Future.succeededFuture();
        case PREVIOUS -> store.credentials.swapCurrentAndPrevious(tx,
            live.current() == null ? null : live.current().id(), found.id());
        default -> store.credentials.adoptVersion(tx, found.id(), site.id()).compose(adopted -> adopted
            ? Future.succeededFuture() : Future.failedFuture(new IllegalStateException("version changed meanwhile")));
      };
      return change
          .compose(v -> pin ? store.sites.pinUnpinned(tx, site.id(), seen) : Future.succeededFuture(false))
          .compose(v -> store.sites.setStatus(tx, site.id(), Site.IN_SYNC))
          .compose(v -> audit(tx, site, found, "resynced", detail))
          .map(true);
    })).map(back -> {
      if (back) {
        LOG.warn("reconciler: out_of_sync site {} accepts its {} version {}; in sync again", site.id(),
            found.state().name().toLowerCase(), found.id());
        metrics.settled(RESYNCED);
      }
      return back;
    });
  }

  /** Refreshes {@code cp_credentials_pending} and {@code cp_sites_out_of_sync}. */
  public Future<Void> refreshGauges() {
    return store.credentials.countPending(store.pool).compose(pending -> {
      metrics.pending(pending);
      return store.sites.countOutOfSync(store.pool);
    }).map(outOfSync -> {
      metrics.outOfSync(outOfSync);
      return null;
    });
  }

  private Future<Void> settle(CredentialVersion claimed) {
    return store.sites.find(store.pool, claimed.siteId()).compose(site -> {
      if (site.isEmpty()) {
        return Future.succeededFuture();
      }
      return store.credentials.live(store.pool, claimed.siteId()).compose(live -> {
        if (live.pending() == null || !live.pending().id().equals(claimed.id())) {
          metrics.settled(SKIPPED);
          return Future.succeededFuture();
        }
        return probe(site.get(), live);
      });
    });
  }

  private Future<Void> probe(Site site, CredentialRepository.Live live) {
    CredentialVersion pending = live.pending();
    // The order of ARCHITECTURE.md: pending, current, previous. Index i of the reply is versions.get(i).
    List<CredentialVersion> versions = new ArrayList<>(3);
    List<String> logins = new ArrayList<>(3);
    for (CredentialVersion v : new CredentialVersion[] {pending, live.current(), live.previous()}) {
      if (v != null) {
        versions.add(v);
        logins.add(store.open(v));
      }
    }
    return device.probe(site, logins).transform(ar -> {
      if (ar.failed() && DeviceGateway.isNoHandlers(ar.cause())) {
        // No process serves the edge (not yet at start-up, or its edge process is down): the router was not tried,
        // so no attempt is counted; the site is settled when the edge is back.
        return retryLater(pending, "probe: edge_unavailable");
      }
      if (ar.failed()) {
        return backOff(pending, DeviceGateway.isTimeout(ar.cause()) ? "probe: no answer in time" : "probe failed");
      }
      ProbeReply reply = ar.result();
      if (!reply.reachable()) {
        return backOff(pending, "router unreachable: "
            + (reply.failure() == null ? Failure.DEVICE_UNREACHABLE : reply.failure()).id());
      }
      int index = reply.loginIndex();
      Failure failure = reply.failure();
      if (index < 0 && failure != null && failure != Failure.DEVICE_REJECTED_CREDENTIALS) {
        // Not a refusal of every password (a timeout mid-login, say): inconclusive, try again later.
        return backOff(pending, "probe inconclusive: " + failure.id());
      }
      if (index < 0 || index >= versions.size()) {
        return outOfSync(site, pending);
      }
      VersionState which = versions.get(index).state();
      return switch (which) {
        case PENDING -> promote(site, pending);
        case CURRENT -> keepCurrent(site, pending);
        default -> restorePrevious(site, pending, live);
      };
    });
  }

  private Future<Void> promote(Site site, CredentialVersion pending) {
    return store.promote(site, pending.id(), AuditLog.RECONCILER, null, null, "settled: the router has it")
        .map(promoted -> {
          LOG.info("reconciler: site {} has version {}; promoted", site.id(), pending.id());
          metrics.settled(promoted.isPresent() ? PROMOTED : SKIPPED);
          return null;
        });
  }

  private Future<Void> keepCurrent(Site site, CredentialVersion pending) {
    String detail = "settled: the router kept the current password";
    return store.inSiteTransaction(site.id(), tx -> store.credentials.fail(tx, pending.id(), detail)
        .compose(failed -> !failed ? Future.succeededFuture() : store.sites.setStatus(tx, site.id(), Site.IN_SYNC)
            .compose(v -> audit(tx, site, pending, "not_applied", detail))))
        .map(v -> {
          LOG.info("reconciler: site {} kept its current password; version {} failed", site.id(), pending.id());
          metrics.settled(KEPT_CURRENT);
          return null;
        });
  }

  private Future<Void> restorePrevious(Site site, CredentialVersion pending, CredentialRepository.Live live) {
    String detail = "settled: the router has the previous password; previous and current swapped";
    return store.inSiteTransaction(site.id(), tx -> store.credentials.fail(tx, pending.id(), detail)
        .compose(failed -> !failed ? Future.succeededFuture() : store.credentials.swapCurrentAndPrevious(tx,
            live.current() == null ? null : live.current().id(), live.previous().id())
            .compose(v -> store.sites.setStatus(tx, site.id(), Site.IN_SYNC))
            .compose(v -> audit(tx, site, pending, "restored_previous", detail))))
        .map(v -> {
          LOG.warn("reconciler: site {} has its previous password; it is current again", site.id());
          metrics.settled(RESTORED_PREVIOUS);
          return null;
        });
  }

  private Future<Void> outOfSync(Site site, CredentialVersion pending) {
    String detail = UNSETTLED;
    return store.inSiteTransaction(site.id(), tx -> store.credentials.fail(tx, pending.id(), detail)
        .compose(failed -> !failed ? Future.succeededFuture() : store.sites.setStatus(tx, site.id(), Site.OUT_OF_SYNC)
            .compose(v -> audit(tx, site, pending, "out_of_sync", detail))))
        .compose(v -> refreshGauges())
        .map(v -> {
          LOG.error("reconciler: no known password logs in to site {}; marked out_of_sync", site.id());
          metrics.settled(OUT_OF_SYNC);
          return null;
        });
  }

  private Future<Void> backOff(CredentialVersion pending, String detail) {
    long seconds = backOffSeconds(pending.attempts(), leaseSeconds);
    LOG.info("reconciler: version {} of site {} not settled ({}); next attempt in {} s", pending.id(),
        pending.siteId(), detail, seconds);
    return store.credentials.backOff(store.pool, pending.id(), detail, seconds, true).map(v -> {
      metrics.settled(RETRY);
      return null;
    });
  }

  private Future<Void> retryLater(CredentialVersion pending, String detail) {
    LOG.info("reconciler: version {} of site {} not settled ({}); next pass retries", pending.id(), pending.siteId(),
        detail);
    return store.credentials.backOff(store.pool, pending.id(), detail, retrySeconds, false).map(v -> {
      metrics.settled(RETRY);
      return null;
    });
  }

  /** min(base * 2^attempts, cap), base being the lease (at least one second). */
  static long backOffSeconds(int attempts, int leaseSeconds) {
    long base = Math.max(1, leaseSeconds);
    return Math.min(base << Math.min(attempts, 20), BACKOFF_CAP_SECONDS);
  }

  private Future<Void> audit(io.vertx.sqlclient.SqlClient tx, Site site, CredentialVersion pending, String outcome,
                             String detail) {
    return store.audit.append(tx, new AuditLog.Event(AuditLog.RECONCILER, "credential.reconcile", site.orgId(),
        site.id(), pending.id(), outcome, null, detail));
  }
}
