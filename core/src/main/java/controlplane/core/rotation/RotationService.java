package controlplane.core.rotation;

import controlplane.core.CoreConfig;
import controlplane.core.bus.ApplyReply;
import controlplane.core.bus.CredentialReply;
import controlplane.core.bus.DeviceOutcome;
import controlplane.core.bus.Failure;
import controlplane.core.bus.RotateRequest;
import controlplane.core.bus.RotationHook;
import controlplane.core.bus.RotationStep;
import controlplane.core.bus.SiteRequest;
import controlplane.core.crypto.PasswordGenerator;
import controlplane.core.crypto.Sealed;
import controlplane.core.persistence.AuditLog;
import controlplane.core.persistence.CredentialRepository;
import controlplane.core.persistence.CredentialVersion;
import controlplane.core.persistence.Db;
import controlplane.core.persistence.JobRepository;
import controlplane.core.persistence.RotationSlots;
import controlplane.core.persistence.Site;
import controlplane.core.persistence.StatementBatcher;
import controlplane.core.persistence.VersionState;
import io.micrometer.core.instrument.Timer;
import io.vertx.core.Future;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.sqlclient.SqlClient;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Rotation of a site's password (ARCHITECTURE.md, "Flow of one rotation", steps 2 to 5), reading the current
 * credential, and re-pushing it.
 *
 * <p>A rotation: take the site's slot by inserting the PENDING version (sealed, with a lease) and commit; ask the
 * device to apply it; then commit the outcome. Applied: promote. Not applied: the pending version FAILED. Unknown
 * (or no answer in time): the pending version stays, its lease expired, for the {@link Reconciler}.
 */
public final class RotationService {

  private static final Logger LOG = LoggerFactory.getLogger(RotationService.class);

  private final CredentialStore store;
  private final DeviceGateway device;
  private final PasswordGenerator generator;
  private final CoreMetrics metrics;
  private final RotationHook hook;
  private final int leaseSeconds;
  /** Slots taken without an Idempotency-Key, batched under load. */
  private final StatementBatcher<RotationSlots.TakeCall, Optional<RotationSlots.Taken>> slots;

  RotationService(CredentialStore store, DeviceGateway device, CoreConfig.Rotation config, CoreMetrics metrics,
                  RotationHook hook) {
    this.store = store;
    this.device = device;
    this.generator = new PasswordGenerator(config.passwordLength());
    this.metrics = metrics;
    this.hook = hook;
    this.leaseSeconds = config.effectiveLeaseSeconds();
    this.slots = new StatementBatcher<RotationSlots.TakeCall, Optional<RotationSlots.Taken>>(
        c -> store.slots.take(store.pool, c.siteId(), c.orgId(), c.versionId(), c.sealed(), leaseSeconds, c.actor(),
            c.requestId()),
        calls -> store.slots.takeMany(store.pool, calls, leaseSeconds)).observedBy(metrics.statementCalls("take_slot"));
  }

  /**
   * Who asked, for the audit trail: a rotation's or a re-push's; and for a bulk job's rotation, its site's end
   * (null: none).
   */
  private record Request(UUID siteId, String orgId, String actor, String idempotencyKey, String requestId,
                         RotationSlots.JobEnd job) {

    Request(UUID siteId, String orgId, String actor, String idempotencyKey, String requestId) {
      this(siteId, orgId, actor, idempotencyKey, requestId, null);
    }
  }

  /**
   * A rotation's answer, and whether it is one given before for the same Idempotency-Key; the end of its job site
   * when its promotion made it (else null).
   */
  private record Rotated(CredentialReply credential, boolean replayed, JobRepository.Finished jobEnd) {
  }

  /** {@code cp.credentials.rotate}: the new credential object. */
  public Future<CredentialReply> rotate(RotateRequest r) {
    return rotateMeasured(r, null).map(Rotated::credential);
  }

  /**
   * A bulk job's rotation of its claimed site: as {@link #rotate(RotateRequest)}, and the promotion also ends the
   * site and claims the job's next ones, in its own transaction. Succeeds when the rotation was applied, with that
   * end, or null when the promotion did not make it (the version was settled meanwhile by someone else): then the
   * caller ends the site on its own.
   */
  public Future<JobRepository.Finished> rotate(RotateRequest r, RotationSlots.JobEnd job) {
    return rotateMeasured(r, job).map(Rotated::jobEnd);
  }

  private Future<Rotated> rotateMeasured(RotateRequest r, RotationSlots.JobEnd job) {
    Timer.Sample sample = metrics.start();
    return rotate(new Request(r.siteId(), r.orgId(), r.actor(), r.idempotencyKey(), r.requestId(), job))
        .andThen(ar -> metrics.rotation(sample, ar.succeeded()
            ? (ar.result().replayed() ? RotationOutcome.REPLAYED : RotationOutcome.APPLIED)
            : RotationOutcome.of(Failure.of(ar.cause()))));
  }

  /**
   * What the site's slot gave: the site as locked and the passwords it held then; or the version to answer again
   * when the key was seen.
   */
  private record Slot(Site site, RotationSlots.Taken taken, CredentialVersion replay) {
  }

  private Future<Rotated> rotate(Request req) {
    String password = generator.generate();
    UUID versionId = UUID.randomUUID();
    Sealed sealed = store.sealer.seal(password, req.siteId(), versionId);
    return takeSlot(req, versionId, sealed).compose(slot -> slot.replay() != null
        ? Future.succeededFuture(new Rotated(
            CredentialStore.credential(slot.site(), slot.replay(), store.open(slot.replay())), true, null))
        : rotate(slot.site(), slot.taken(), req, versionId, password));
  }

  private Future<Rotated> rotate(Site site, RotationSlots.Taken taken, Request req, UUID versionId,
                                    String password) {
    return hook.reached(RotationStep.PENDING_COMMITTED, site.id(), versionId)
        .compose(v -> {
          List<String> logins = new ArrayList<>(3);
          addIfPresent(logins, open(site, taken.current()));
          logins.add(password);
          addIfPresent(logins, open(site, taken.previous()));
          LOG.debug("rotation of site {}: version {} pending, asking edge {}", site.id(), versionId, site.serverIp());
          return device.apply(site, password, logins)
              .transform(ar -> ar.succeeded()
                  ? onReply(site, req, versionId, password, ar.result())
                  : onNoReply(site, req, versionId, ar.cause()));
        });
  }

  /**
   * Step 2: insert the PENDING version in the site's slot and commit, before the router is touched. The site as
   * locked (another organisation's is not found). Without an Idempotency-Key it is one statement
   * ({@link controlplane.core.persistence.RotationSlots#take}); with one, the key is first looked up under the
   * site's lock, which the finalise that records it also takes: two requests with one key can never both rotate.
   */
  private Future<Slot> takeSlot(Request req, UUID versionId, Sealed sealed) {
    Future<Slot> slot = req.idempotencyKey() == null
        ? insertPending(store.pool, req, versionId, sealed)
        : store.pool.withTransaction(tx -> store.sites.lock(tx, req.siteId()).compose(locked -> {
          if (locked.isEmpty() || !locked.get().site().orgId().equals(req.orgId())) {
            return Future.failedFuture(siteNotFound());
          }
          Site site = locked.get().site();
          return replayOf(tx, req, site).compose(replay -> replay.isPresent()
              ? Future.succeededFuture(new Slot(site, null, replay.get()))
              : insertPending(tx, req, versionId, sealed));
        }));
    return slot.recover(t -> Future.failedFuture(Db.isUniqueViolation(t, CredentialRepository.ONE_PENDING_INDEX)
        ? inProgress() : Db.classify(t, "rotation")));
  }

  private Future<Slot> insertPending(SqlClient client, Request req, UUID versionId, Sealed sealed) {
    Future<Optional<RotationSlots.Taken>> take = client == store.pool
        ? slots.submit(new RotationSlots.TakeCall(req.siteId(), req.orgId(), versionId, sealed, req.actor(),
            req.requestId()))
        : store.slots.take(client, req.siteId(), req.orgId(), versionId, sealed, leaseSeconds, req.actor(),
            req.requestId());
    return take.compose(taken -> {
          if (taken.isEmpty()) {
            return Future.failedFuture(siteNotFound());
          }
          return taken.get().busy() ? Future.failedFuture(inProgress())
              : Future.succeededFuture(new Slot(taken.get().site(), taken.get(), null));
        });
  }

  private String open(Site site, RotationSlots.StoredPassword stored) {
    return stored == null ? null : store.sealer.open(stored.sealed(), site.id(), stored.versionId());
  }

  private static ReplyException siteNotFound() {
    return Failure.SITE_NOT_FOUND.exception("site not found");
  }

  private Future<Rotated> onReply(Site site, Request req, UUID versionId, String password, ApplyReply reply) {
    if (reply.outcome() == DeviceOutcome.APPLIED) {
      return hook.reached(RotationStep.DEVICE_APPLIED, site.id(), versionId)
          .compose(v -> finalise(site, req, versionId, password))
          .compose(rotated -> pinFirstSeen(site, reply.tlsFingerprint()).map(rotated));
    }
    if (reply.outcome() == DeviceOutcome.NOT_APPLIED) {
      Failure failure = deviceFailure(reply.failure(), Failure.DEVICE_UNREACHABLE);
      String detail = failure.id() + detailSuffix(reply.message());
      LOG.warn("rotation of site {}: version {} not applied ({})", site.id(), versionId, failure.id());
      // The router refused every password we know: we can no longer manage it. out_of_sync, so that the
      // reconciler's re-checks bring it back if the refusals were passing.
      boolean refusedAll = failure == Failure.DEVICE_REJECTED_CREDENTIALS && reply.loginIndex() < 0;
      return markFailed(site, req, versionId, detail, refusedAll)
          .compose(v -> Future.failedFuture(failure.exception("the router did not take the new password: " + detail)));
    }
    return leaveForReconciler(site, req, versionId, "device outcome unknown" + detailSuffix(reply.message()), 0);
  }

  private Future<Rotated> onNoReply(Site site, Request req, UUID versionId, Throwable cause) {
    if (DeviceGateway.isNoHandlers(cause)) {
      // Nobody consumed the message, so the router was never asked: the version fails, nothing stays pending.
      String detail = "no process serves edge " + site.serverIp();
      LOG.warn("rotation of site {}: {}", site.id(), detail);
      return markFailed(site, req, versionId, Failure.EDGE_UNAVAILABLE.id() + ": " + detail)
          .compose(v -> Future.failedFuture(Failure.EDGE_UNAVAILABLE.exception(detail)));
    }
    if (DeviceGateway.isTimeout(cause)) {
      // The device may still be at work: it never starts the change past its budget, but one sent just before may
      // still be landing. The reconciler looks once a fresh lease has run out, not at once.
      return leaveForReconciler(site, req, versionId, "no answer from the device in time", leaseSeconds);
    }
    return leaveForReconciler(site, req, versionId, "device operation failed", 0);
  }

  /**
   * An API-SSL site without a pin (enrolled without verify and without tls_fingerprint) is pinned to the certificate
   * its first applied rotation saw: from then on every connection must present it. A failure here fails nothing:
   * the site stays unpinned and the next successful login pins it.
   */
  private Future<Void> pinFirstSeen(Site site, String seen) {
    if (!site.tls() || site.tlsFingerprint() != null || seen == null) {
      return Future.succeededFuture();
    }
    return store.sites.pinUnpinned(store.pool, site.id(), seen).transform(ar -> {
      if (ar.failed()) {
        LOG.warn("rotation of site {}: its certificate sha256 {} not pinned ({}); the next login pins it", site.id(),
            seen, ar.cause().toString());
      } else if (ar.result()) {
        LOG.info("site {}: certificate sha256 {} pinned at its first rotation", site.id(), seen);
      }
      return Future.succeededFuture();
    });
  }

  private Future<Rotated> finalise(Site site, Request req, UUID versionId, String password) {
    return outcomeUnknownOnFailure(
        store.promote(site, versionId, req.actor(), req.requestId(), req.idempotencyKey(), null, req.job()), site,
        versionId)
        .compose(promoted -> {
          if (promoted.version().isPresent()) {
            // One INFO line per rotation that landed (with the access log's); failures log their own.
            LOG.info("rotation of site {}: version {} is current (edge {})", site.id(), versionId, site.serverIp());
            return hook.reached(RotationStep.FINALISED, site.id(), versionId)
                .map(v -> new Rotated(CredentialStore.credential(site, promoted.version().get(), password), false,
                    promoted.jobEnd()));
          }
          // Settled meanwhile by someone else (the reconciler, or an enrolment): answer with what is stored now.
          return outcomeUnknownOnFailure(store.credentials.find(store.pool, versionId), site, versionId).compose(v -> {
            if (v.isPresent() && v.get().state() == VersionState.CURRENT) {
              return Future.succeededFuture(new Rotated(CredentialStore.credential(site, v.get(), password), false,
                  null));
            }
            return Future.failedFuture(Failure.DEVICE_OUTCOME_UNKNOWN.exception(
                "the rotation was settled concurrently; read the current credential"));
          });
        });
  }

  /**
   * After the router may have taken the new password, no failure is a plain database error: the outcome is not
   * known to the caller, the PENDING version is still there, and the reconciler settles it by logging in. So every
   * failure here answers device_outcome_unknown (504), never database_unavailable (503).
   */
  private <T> Future<T> outcomeUnknownOnFailure(Future<T> step, Site site, UUID versionId) {
    return step.recover(t -> {
      Failure cause = Failure.of(Db.classify(t, "rotation"));
      LOG.warn("rotation of site {}: version {} applied on the router but not stored ({}); left to the reconciler",
          site.id(), versionId, cause.id());
      return Future.failedFuture(Failure.DEVICE_OUTCOME_UNKNOWN.exception("the router took the new password but it"
          + " could not be stored yet (" + cause.id() + "); it will be settled automatically"));
    });
  }

  private Future<Void> markFailed(Site site, Request req, UUID versionId, String detail) {
    return markFailed(site, req, versionId, detail, false);
  }

  private Future<Void> markFailed(Site site, Request req, UUID versionId, String detail, boolean outOfSync) {
    return Db.classified(store.inSiteTransaction(site.id(), tx -> store.credentials.fail(tx, versionId, detail)
        .compose(v -> outOfSync ? store.sites.setStatus(tx, site.id(), Site.OUT_OF_SYNC).mapEmpty()
            : Future.<Void>succeededFuture())
        .compose(v -> store.audit.append(tx, event(req, site, "credential.rotate", versionId,
            outOfSync ? "out_of_sync" : "not_applied", detail)))),
        "rotation");
  }

  /**
   * The version a key seen in the last 24 h produced, to answer again; empty for no key or a new one. A key used
   * for another site or action fails.
   */
  private Future<Optional<CredentialVersion>> replayOf(SqlClient tx, Request req, Site site) {
    if (req.idempotencyKey() == null) {
      return Future.succeededFuture(Optional.empty());
    }
    return store.idempotency.find(tx, req.orgId(), req.idempotencyKey()).compose(entry -> {
      if (entry.isEmpty()) {
        return Future.succeededFuture(Optional.empty());
      }
      if (!entry.get().siteId().equals(site.id()) || !CredentialStore.ACTION_ROTATE.equals(entry.get().action())) {
        return Future.failedFuture(Failure.IDEMPOTENCY_KEY_REUSED.exception(
            "this Idempotency-Key was already used for another request"));
      }
      return store.credentials.find(tx, entry.get().credentialVersionId());
    });
  }

  /** Step 5, unknown outcome: keep the pending version and hand it to the reconciler now. */
  private <T> Future<T> leaveForReconciler(Site site, Request req, UUID versionId, String detail,
                                                long afterSeconds) {
    LOG.warn("rotation of site {}: version {} outcome unknown ({}), left to the reconciler", site.id(), versionId,
        detail);
    // Whether or not this bookkeeping commits, the outcome is unknown: the pending version's lease runs out anyway.
    return store.inSiteTransaction(site.id(), tx -> (afterSeconds <= 0
            ? store.credentials.expireLease(tx, versionId, detail)
            : store.credentials.backOff(tx, versionId, detail, afterSeconds, false))
            .compose(v -> store.audit.append(tx, event(req, site, "credential.rotate", versionId, "unknown", detail))))
        .transform(ar -> {
          if (ar.failed()) {
            Db.classify(ar.cause(), "rotation");
          }
          return Future.failedFuture(Failure.DEVICE_OUTCOME_UNKNOWN.exception(
              "the outcome on the router is not known yet (" + detail + "); it will be settled automatically"));
        });
  }

  /** {@code cp.credentials.get}: the current credential object. */
  public Future<CredentialReply> current(SiteRequest r) {
    return Db.classified(store.sites.find(store.pool, r.siteId(), r.orgId()), "credential read")
        .compose(CredentialStore::required)
        .compose(site -> Db.classified(store.credentials.live(store.pool, r.siteId()), "credential read")
            .compose(live -> live.current() == null
                ? Future.failedFuture(Failure.SITE_NOT_FOUND.exception("the site has no credential"))
                : Future.succeededFuture(
                    CredentialStore.credential(site, live.current(), store.open(live.current())))));
  }

  /**
   * {@code cp.credentials.resend}: apply the current password again (logging in with current, then previous). Holds
   * the site like a rotation does, so that a rotation and a re-push never race on one router.
   */
  public Future<CredentialReply> resend(SiteRequest r) {
    Request req = new Request(r.siteId(), r.orgId(), r.actor(), null, r.requestId());
    Future<Site> held = store.pool.withTransaction(tx -> store.sites.lock(tx, req.siteId()).compose(locked -> {
      if (locked.isEmpty() || !locked.get().site().orgId().equals(req.orgId())) {
        return Future.failedFuture(Failure.SITE_NOT_FOUND.exception("site not found"));
      }
      if (locked.get().pushBusy()) {
        return Future.failedFuture(inProgress());
      }
      return store.credentials.live(tx, req.siteId()).compose(live -> live.pending() != null
          ? Future.failedFuture(inProgress())
          : store.sites.takePushLease(tx, req.siteId(), leaseSeconds).map(locked.get().site()));
    })).recover(t -> Future.failedFuture(Db.classify(t, "resend")));
    // The lease is released before the answer goes out, so that a client may resend again at once; unless the
    // outcome is unknown: then the device may still be at work, and the site stays held for a fresh lease, as after a
    // rotation's timeout.
    return held.compose(site -> resend(site, req).transform(ar -> {
      boolean unknown = ar.failed() && Failure.of(ar.cause()) == Failure.DEVICE_OUTCOME_UNKNOWN;
      Future<Void> lease = unknown
          ? store.sites.takePushLease(store.pool, site.id(), leaseSeconds).mapEmpty()
          : store.sites.releasePushLease(store.pool, site.id());
      return lease.onFailure(t -> LOG.warn("site {}: push lease not {}, it expires by itself", site.id(),
              unknown ? "renewed" : "released"))
          .otherwiseEmpty()
          .transform(x -> ar.succeeded() ? Future.succeededFuture(ar.result()) : Future.failedFuture(ar.cause()));
    }));
  }

  private Future<CredentialReply> resend(Site site, Request req) {
    return Db.classified(store.credentials.live(store.pool, site.id()), "resend").compose(live -> {
      if (live.current() == null) {
        return Future.failedFuture(Failure.SITE_NOT_FOUND.exception("the site has no credential"));
      }
      String current = store.open(live.current());
      List<String> logins = new ArrayList<>(2);
      logins.add(current);
      addIfPresent(logins, store.open(live.previous()));
      return device.apply(site, current, logins).transform(ar -> {
        DeviceOutcome outcome = ar.succeeded() ? ar.result().outcome() : null;
        Failure failure;
        String detail;
        if (outcome == DeviceOutcome.APPLIED) {
          failure = null;
          detail = null;
        } else if (outcome == DeviceOutcome.NOT_APPLIED) {
          failure = deviceFailure(ar.result().failure(), Failure.DEVICE_UNREACHABLE);
          detail = failure.id() + detailSuffix(ar.result().message());
        } else if (ar.failed() && DeviceGateway.isNoHandlers(ar.cause())) {
          failure = Failure.EDGE_UNAVAILABLE;
          detail = "no process serves edge " + site.serverIp();
        } else {
          failure = Failure.DEVICE_OUTCOME_UNKNOWN;
          detail = "outcome unknown";
        }
        // The router was asked: a failure to record it is not a plain database error (see outcomeUnknownOnFailure).
        Future<Void> audited = store.audit.append(store.pool, event(req, site, "credential.resend",
            live.current().id(), failure == null ? "applied" : failure.id(), detail))
            .recover(t -> Future.failedFuture(Failure.DEVICE_OUTCOME_UNKNOWN.exception(
                "the router was asked, but the outcome could not be recorded ("
                    + Failure.of(Db.classify(t, "resend")).id() + ")")));
        return audited.compose(v -> failure == null
            ? Future.succeededFuture(CredentialStore.credential(site, live.current(), current))
            : Future.failedFuture(failure.exception("the current password was not re-applied: " + detail)));
      });
    });
  }

  /**
   * The device's classification of a failed operation, when it is one a device (or the {@link DeviceGateway}, for
   * an address it refused to dial) may give; else {@code fallback}.
   */
  static Failure deviceFailure(Failure given, Failure fallback) {
    Failure f = given == null ? fallback : given;
    return switch (f) {
      case DEVICE_UNREACHABLE, DEVICE_REJECTED_CREDENTIALS, DEVICE_CERTIFICATE_MISMATCH, DEVICE_TIMEOUT,
          TARGET_NOT_ALLOWED -> f;
      default -> fallback;
    };
  }

  private static ReplyException inProgress() {
    return Failure.ROTATION_IN_PROGRESS.exception("a credential operation is already in progress for this site");
  }

  private static String detailSuffix(String message) {
    return message == null || message.isBlank() ? "" : ": " + message;
  }

  private static void addIfPresent(List<String> list, String value) {
    if (value != null && !list.contains(value)) {
      list.add(value);
    }
  }

  private static AuditLog.Event event(Request req, Site site, String action, UUID versionId, String outcome,
                                      String detail) {
    return new AuditLog.Event(req.actor(), action, site.orgId(), site.id(), versionId, outcome, req.requestId(),
        Objects.toString(detail, null));
  }
}
