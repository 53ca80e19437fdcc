package controlplane.core.rotation;

import controlplane.core.bus.Failure;
import controlplane.core.bus.Fields;
import controlplane.core.crypto.Sealed;
import controlplane.core.persistence.AuditLog;
import controlplane.core.persistence.Db;
import controlplane.core.persistence.Site;
import controlplane.core.persistence.VersionState;
import io.vertx.core.Future;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.UUID;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Enrolment, reading and deletion of sites ({@code cp.site.*}). */
public final class SiteService {

  private static final Logger LOG = LoggerFactory.getLogger(SiteService.class);
  /** Host names and IP literals: no spaces, no URL syntax. */
  private static final Pattern HOST = Pattern.compile("[A-Za-z0-9._:\\-\\[\\]%]+");
  private static final int MAX_PASSWORD = 128;

  private final CredentialStore store;
  private final DeviceGateway device;

  SiteService(CredentialStore store, DeviceGateway device) {
    this.store = store;
    this.device = device;
  }

  private record Enrolment(UUID siteId, String orgId, String actor, String requestId, String username,
                           String ipAddress, int apiPort, String serverIp, boolean tls, boolean verify,
                           String password) {
  }

  /**
   * {@code cp.site.put}: unless {@code verify} is false, first proves that the router takes the given password
   * (probe); then inserts or updates the site and stores the password as its CURRENT version, the former current
   * becoming PREVIOUS. Refused with rotation_in_progress while a rotation of the site is not settled.
   */
  public Future<JsonObject> put(JsonObject body) {
    Enrolment e;
    try {
      e = parse(body);
    } catch (ReplyException ex) {
      return Future.failedFuture(ex);
    }
    Site candidate = new Site(e.siteId(), e.orgId(), e.username(), e.ipAddress(), e.apiPort(), e.serverIp(), e.tls(),
        Site.IN_SYNC, null, null);
    Future<Void> verified = e.verify() ? verify(candidate, e.password()) : Future.succeededFuture();
    UUID versionId = UUID.randomUUID();
    return verified.compose(v -> {
      Sealed sealed = store.sealer.seal(e.password(), e.siteId(), versionId);
      return store.pool.withTransaction(tx -> store.sites.lock(tx, e.siteId()).compose(locked -> {
        if (locked.isPresent() && !locked.get().site().orgId().equals(e.orgId())) {
          return Future.failedFuture(Failure.SITE_NOT_FOUND.exception("site not found"));
        }
        if (locked.isPresent() && locked.get().pushBusy()) {
          return Future.failedFuture(busy());
        }
        return store.sites.upsert(tx, e.siteId(), e.orgId(), e.username(), e.ipAddress(), e.apiPort(), e.serverIp(),
                e.tls())
            .compose(CredentialStore::required)
            .compose(site -> store.credentials.live(tx, site.id()).compose(live -> live.pending() != null
                ? Future.failedFuture(busy())
                : store.credentials.demoteCurrent(tx, site.id())
                    .compose(x -> store.credentials.insert(tx, versionId, site.id(), VersionState.CURRENT, sealed, 0))
                    .compose(x -> store.audit.append(tx, new AuditLog.Event(e.actor(), "site.put", e.orgId(),
                        site.id(), versionId, "ok", e.requestId(), e.verify() ? "verified" : "not verified")))
                    .map(site)));
      })).recover(t -> Future.failedFuture(Db.classify(t, "site enrolment")));
    }).map(site -> {
      LOG.info("site {} enrolled (edge {}), credential version {}", site.id(), site.serverIp(), versionId);
      return site.toJson();
    });
  }

  /** Proves with a probe that the router takes {@code password}. */
  private Future<Void> verify(Site site, String password) {
    return device.probe(site, List.of(password)).transform(ar -> {
      if (ar.failed()) {
        Failure f = DeviceGateway.isTimeout(ar.cause()) ? Failure.DEVICE_TIMEOUT : Failure.DEVICE_UNREACHABLE;
        String why = DeviceGateway.isNoHandlers(ar.cause()) ? "no device-push consumer for edge " + site.serverIp()
            : f == Failure.DEVICE_TIMEOUT ? "no answer from the device in time" : "the probe failed";
        return Future.failedFuture(f.exception("cannot verify the password: " + why));
      }
      JsonObject reply = ar.result();
      if (reply.getBoolean(Fields.REACHABLE, false) && reply.getInteger(Fields.LOGIN_INDEX, -1) == 0) {
        return Future.succeededFuture();
      }
      // The device classifies why no login worked (refused, timed out, unreachable); trust that over "reachable".
      Failure f = RotationService.deviceFailure(reply.getString(Fields.FAILURE),
          reply.getBoolean(Fields.REACHABLE, false) ? Failure.DEVICE_REJECTED_CREDENTIALS : Failure.DEVICE_UNREACHABLE);
      String message = reply.getString(Fields.MESSAGE);
      return Future.failedFuture(f.exception("cannot verify the password: " + f.id()
          + (message == null || message.isBlank() ? "" : ": " + message)));
    });
  }

  /** {@code cp.site.get}: the site object. */
  public Future<JsonObject> get(JsonObject body) {
    try {
      UUID siteId = Requests.siteId(body);
      String orgId = Requests.orgId(body);
      return Db.classified(store.sites.find(store.pool, siteId, orgId), "site read")
          .compose(CredentialStore::required)
          .map(Site::toJson);
    } catch (ReplyException e) {
      return Future.failedFuture(e);
    }
  }

  /** {@code cp.site.delete}: deletes the site with every credential version; the audit trail stays. */
  public Future<JsonObject> delete(JsonObject body) {
    try {
      UUID siteId = Requests.siteId(body);
      String orgId = Requests.orgId(body);
      String actor = Requests.actor(body);
      String requestId = Requests.optional(body, Fields.REQUEST_ID);
      return Db.classified(store.pool.withTransaction(tx -> store.sites.delete(tx, siteId, orgId).compose(deleted ->
          !deleted ? Future.failedFuture(Failure.SITE_NOT_FOUND.exception("site not found"))
              : store.audit.append(tx, new AuditLog.Event(actor, "site.delete", orgId, siteId, null, "ok",
                  requestId, null)))), "site deletion")
          .map(v -> {
            LOG.info("site {} deleted", siteId);
            return new JsonObject().put(Fields.DELETED, true);
          });
    } catch (ReplyException e) {
      return Future.failedFuture(e);
    }
  }

  private static Enrolment parse(JsonObject body) {
    UUID siteId = Requests.siteId(body);
    String orgId = Requests.orgId(body);
    String username = Requests.text(body, Fields.USERNAME, true);
    String ip = host(body, Fields.IP_ADDRESS);
    String serverIp = host(body, Fields.SERVER_IP);
    Object port = body.getValue(Fields.API_PORT);
    if (!(port instanceof Number n) || n.doubleValue() != n.intValue() || n.intValue() < 1 || n.intValue() > 65535) {
      throw Failure.INVALID_REQUEST.exception(Fields.API_PORT + " must be an integer from 1 to 65535");
    }
    Object password = body.getValue(Fields.PASSWORD);
    if (!(password instanceof String p) || p.isEmpty()) {
      throw Failure.INVALID_REQUEST.exception(Fields.PASSWORD + " is required");
    }
    if (p.length() > MAX_PASSWORD || p.chars().anyMatch(c -> c < 0x20 || c == 0x7f)) {
      throw Failure.INVALID_REQUEST.exception(Fields.PASSWORD + " must be at most " + MAX_PASSWORD
          + " printable characters");
    }
    return new Enrolment(siteId, orgId, Requests.actor(body), Requests.optional(body, Fields.REQUEST_ID), username,
        ip, n.intValue(), serverIp, bool(body, Fields.TLS, false), bool(body, Fields.VERIFY, true), p);
  }

  private static String host(JsonObject body, String field) {
    String h = Requests.text(body, field, true);
    if (!HOST.matcher(h).matches()) {
      throw Failure.INVALID_REQUEST.exception(field + " must be a host name or an IP address");
    }
    return h;
  }

  private static boolean bool(JsonObject body, String field, boolean def) {
    Object v = body.getValue(field);
    if (v == null) {
      return def;
    }
    if (!(v instanceof Boolean b)) {
      throw Failure.INVALID_REQUEST.exception(field + " must be true or false");
    }
    return b;
  }

  private static ReplyException busy() {
    return Failure.ROTATION_IN_PROGRESS.exception(
        "a rotation of this site is not settled yet; try again when it is");
  }
}
