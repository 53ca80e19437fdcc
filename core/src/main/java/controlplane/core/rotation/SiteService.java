package controlplane.core.rotation;

import controlplane.core.bus.DeletedReply;
import controlplane.core.bus.EnrolRequest;
import controlplane.core.bus.Failure;
import controlplane.core.bus.ProbeReply;
import controlplane.core.bus.RateLimit;
import controlplane.core.bus.RotateRequest;
import controlplane.core.bus.SiteReply;
import controlplane.core.bus.SiteRequest;
import controlplane.core.crypto.Sealed;
import controlplane.core.network.IpLiterals;
import controlplane.core.persistence.AuditLog;
import controlplane.core.persistence.Db;
import controlplane.core.persistence.PolicyRepository;
import controlplane.core.persistence.Site;
import controlplane.core.persistence.SiteRepository;
import controlplane.core.persistence.Timestamps;
import io.vertx.core.Future;
import io.vertx.core.eventbus.ReplyException;
import java.util.List;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Enrolment, reading and deletion of sites ({@code cp.site.*}); deleted sites are {@link DeletedSiteService}'s. */
public final class SiteService {

  private static final Logger LOG = LoggerFactory.getLogger(SiteService.class);

  private final CredentialStore store;
  private final DeviceGateway device;
  private final TargetGuard targets;
  private final EnrolmentRateLimiter rateLimiter;
  private final RotationService rotations;
  private final PolicyRepository policies = new PolicyRepository();

  SiteService(CredentialStore store, DeviceGateway device, TargetGuard targets, EnrolmentRateLimiter rateLimiter,
              RotationService rotations) {
    this.store = store;
    this.device = device;
    this.targets = targets;
    this.rateLimiter = rateLimiter;
    this.rotations = rotations;
  }

  /**
   * {@code cp.site.put}. Before any router is contacted: the organisation's enrolment rate (rate_limited), the
   * router's address, resolved once (target_not_allowed; the address is what is stored and dialled from then on),
   * the site id not another organisation's (site_not_found) and the router no other site's (router_already_enrolled).
   * Then, unless {@code verify} is false, proves that the router takes the given password (probe; an API-SSL
   * router's certificate is pinned); then inserts or updates the site and stores the password as its CURRENT
   * version, the former current becoming PREVIOUS. Unproved ({@code verify: false}), the site is {@code unverified}
   * until a re-check logs in. Refused with rotation_in_progress while a rotation of the site is not settled.
   */
  public Future<SiteReply> put(EnrolRequest e) {
    long wait = rateLimiter.take(e.orgId());
    if (wait > 0) {
      return Future.failedFuture(RateLimit.exceeded("too many enrolments for this organisation", wait));
    }
    return targets.address(e.ipAddress())
        .compose(address -> admissible(e, address).map(address))
        .compose(address -> {
          Site candidate = new Site(e.siteId(), e.orgId(), e.username(), address, e.apiPort(), e.serverIp(), e.tls(),
              Site.IN_SYNC, null, null, e.tlsFingerprint(), serverName(e));
          return (e.verify() ? verify(candidate, e.password()) : Future.succeededFuture(e.tlsFingerprint()))
              .compose(pin -> store(e, candidate, pin))
              .compose(site -> e.verify() && e.rotateOnEnrol() ? takeOwnership(e, site) : Future.succeededFuture(site))
              .compose(this::withSchedule);
        });
  }

  /**
   * Enrolment takes ownership (issue 12 point 10): people have seen the bootstrap password, so a verified enrolment
   * rotates it at once, exactly like {@code POST .../credentials}, and answers only once the router holds a password
   * nobody has seen. When that rotation fails, the site stays enrolled with the bootstrap password (the scheduler or
   * a client rotates it later) and the enrolment answers the rotation's failure.
   */
  private Future<SiteReply> takeOwnership(EnrolRequest e, SiteReply enrolled) {
    return rotations.rotate(new RotateRequest(e.siteId(), e.orgId(), e.actor(), null, e.requestId()))
        .compose(rotated -> Db.classified(store.sites.find(store.pool, e.siteId()), "site read"))
        .map(site -> site.map(Site::toReply).orElse(enrolled));
  }

  /** The site object with its schedule: when its password last became current, when it is due next. */
  private Future<SiteReply> withSchedule(SiteReply site) {
    return Db.classified(policies.schedule(store.pool, UUID.fromString(site.siteId())), "site read")
        .map(s -> site.withSchedule(Timestamps.format(s.lastRotatedAt()), Timestamps.format(s.nextRotationAt())));
  }

  /**
   * Neither another organisation's site id nor a router enrolled under another site id: checked without a lock, so
   * that nobody's router is contacted for nothing; the insert still relies on the unique index for a race.
   */
  private Future<Void> admissible(EnrolRequest e, String address) {
    return Db.classified(store.sites.find(store.pool, e.siteId()).compose(existing -> {
      if (existing.isPresent() && !existing.get().orgId().equals(e.orgId())) {
        return Future.failedFuture(Failure.SITE_NOT_FOUND.exception("site not found"));
      }
      return store.sites.enrolledWith(store.pool, e.serverIp(), address, e.apiPort(), e.username())
          .compose(holder -> holder.isPresent() && !holder.get().equals(e.siteId())
              ? Future.failedFuture(alreadyEnrolled()) : Future.<Void>succeededFuture());
    }), "site enrolment");
  }

  private Future<SiteReply> store(EnrolRequest e, Site candidate, String pin) {
    UUID versionId = UUID.randomUUID();
    Sealed sealed = store.sealer.seal(e.password(), e.siteId(), versionId);
    return store.pool.withTransaction(tx -> store.sites.lock(tx, e.siteId()).compose(locked -> {
      if (locked.isPresent() && !locked.get().site().orgId().equals(e.orgId())) {
        return Future.failedFuture(Failure.SITE_NOT_FOUND.exception("site not found"));
      }
      if (locked.isPresent() && locked.get().pushBusy()) {
        return Future.failedFuture(busy());
      }
      return store.sites.upsert(tx, e.siteId(), e.orgId(), e.username(), candidate.ipAddress(), e.apiPort(),
              e.serverIp(), e.tls(), e.tls() ? pin : null, e.verify() ? Site.IN_SYNC : Site.UNVERIFIED,
              candidate.tlsServerName())
          .compose(CredentialStore::required)
          .compose(site -> store.credentials.live(tx, site.id()).compose(live -> live.pending() != null
              ? Future.failedFuture(busy())
              : store.credentials.installCurrent(tx, versionId, site.id(), sealed)
                  .compose(x -> reconcileAccount(tx, e, site.id()))
                  .compose(x -> policies.replan(tx, e.orgId(), site.id()))
                  .compose(x -> store.audit.append(tx, new AuditLog.Event(e.actor(), "site.put", e.orgId(),
                      site.id(), versionId, "ok", e.requestId(), e.verify() ? "verified" : "not verified")))
                  .map(site)));
    })).recover(t -> Future.failedFuture(Db.isUniqueViolation(t, SiteRepository.ONE_ENROLMENT_INDEX)
        ? alreadyEnrolled() : Db.classify(t, "site enrolment")))
        .map(site -> {
          LOG.info("site {} enrolled (edge {}), credential version {}", site.id(), site.serverIp(), versionId);
          return site.toReply();
        });
  }

  /**
   * Stores the enrolment's reconcile account, sealed like a credential version (its own id is the sealing context),
   * or removes the site's one when the enrolment names none: an enrolment states the site as a whole.
   */
  private Future<Void> reconcileAccount(io.vertx.sqlclient.SqlClient tx, EnrolRequest e, UUID siteId) {
    if (e.reconcileUsername() == null) {
      return policies.setReconcileAccount(tx, siteId, null, null, null);
    }
    UUID id = UUID.randomUUID();
    return policies.setReconcileAccount(tx, siteId, id, e.reconcileUsername(),
        store.sealer.seal(e.reconcilePassword(), siteId, id));
  }

  /**
   * {@code cp.site.put} as consumed: refused with site_deleted while the id is a deleted site of the caller's
   * organisation (recover or purge it first), otherwise {@link #put}. A site deleted between this look and put's
   * transaction is not revived there either: put answers site_not_found.
   */
  public Future<SiteReply> enrol(EnrolRequest e) {
    return Db.classified(store.sites.findDeleted(store.pool, e.siteId()), "site enrolment").compose(deleted ->
        deleted.isPresent() && deleted.get().site().orgId().equals(e.orgId())
            ? Future.failedFuture(Failure.SITE_DELETED.exception(
                "this site id is a deleted site; recover or purge it first"))
            : put(e));
  }

  /**
   * Proves with a probe that the router takes {@code password}; the certificate an API-SSL router presented (the
   * site's stated pin, or any when none is stated) is the pin to store.
   */
  private Future<String> verify(Site site, String password) {
    return device.probe(site, List.of(password)).transform(ar -> {
      if (ar.failed()) {
        Failure f = DeviceGateway.isNoHandlers(ar.cause()) ? Failure.EDGE_UNAVAILABLE
            : DeviceGateway.isTimeout(ar.cause()) ? Failure.DEVICE_TIMEOUT : Failure.DEVICE_UNREACHABLE;
        String why = DeviceGateway.isNoHandlers(ar.cause()) ? "no process serves edge " + site.serverIp()
            : f == Failure.DEVICE_TIMEOUT ? "no answer from the device in time" : "the probe failed";
        return Future.failedFuture(f.exception("cannot verify the password: " + why));
      }
      ProbeReply reply = ar.result();
      if (reply.reachable() && reply.loginIndex() == 0) {
        return Future.succeededFuture(reply.tlsFingerprint());
      }
      // The device classifies why no login worked (refused, timed out, unreachable); trust that over "reachable".
      Failure f = RotationService.deviceFailure(reply.failure(),
          reply.reachable() ? Failure.DEVICE_REJECTED_CREDENTIALS : Failure.DEVICE_UNREACHABLE);
      String message = reply.message();
      return Future.failedFuture(f.exception("cannot verify the password: " + f.id()
          + (message == null || message.isBlank() ? "" : ": " + message)));
    });
  }

  /**
   * The host name an API-SSL router was enrolled by, kept as its TLS server name (SNI, and the name a CA-issued
   * certificate must carry), since only the address it resolved to is dialled; null for an IP address or plain API.
   */
  static String serverName(EnrolRequest e) {
    String host = e.ipAddress().strip();
    if (!e.tls() || IpLiterals.parse(host) != null) {
      return null;
    }
    String name = host.endsWith(".") ? host.substring(0, host.length() - 1) : host;
    return name.isEmpty() ? null : name.toLowerCase(java.util.Locale.ROOT);
  }

  /** {@code cp.site.get}: the site object. */
  public Future<SiteReply> get(SiteRequest r) {
    return Db.classified(store.sites.find(store.pool, r.siteId(), r.orgId()), "site read")
        .compose(CredentialStore::required)
        .map(Site::toReply)
        .compose(this::withSchedule);
  }

  /**
   * {@code cp.site.delete}: a soft deletion. The site disappears from every other address, its row and sealed
   * versions are kept until it is purged ({@link DeletedSiteService}). Refused with rotation_in_progress while a
   * rotation (a PENDING version) or a re-push (a live push lease) of the site is in flight.
   */
  public Future<DeletedReply> delete(SiteRequest r) {
    return Db.classified(store.pool.withTransaction(tx -> store.sites.lock(tx, r.siteId()).compose(locked -> {
      if (locked.isEmpty() || !locked.get().site().orgId().equals(r.orgId())) {
        return Future.failedFuture(Failure.SITE_NOT_FOUND.exception("site not found"));
      }
      if (locked.get().pushBusy()) {
        return Future.failedFuture(busy());
      }
      return store.credentials.live(tx, r.siteId()).compose(live -> live.pending() != null
          ? Future.failedFuture(busy())
          : store.sites.softDelete(tx, r.siteId())
              .compose(at -> store.audit.append(tx, new AuditLog.Event(r.actor(), "site.delete", r.orgId(),
                  r.siteId(), null, "ok", r.requestId(), "recoverable until purged"))));
    })), "site deletion")
        .map(v -> {
          LOG.info("site {} deleted (recoverable until purged)", r.siteId());
          return new DeletedReply(true);
        });
  }

  /** Says nothing of the site or organisation that holds the router. */
  private static ReplyException alreadyEnrolled() {
    return Failure.ROUTER_ALREADY_ENROLLED.exception("this router is already enrolled");
  }

  private static ReplyException busy() {
    return Failure.ROTATION_IN_PROGRESS.exception(
        "a rotation of this site is not settled yet; try again when it is");
  }
}
