package controlplane.core.rotation;

import controlplane.core.CoreConfig;
import controlplane.core.bus.DeletedReply;
import controlplane.core.bus.DeletedSiteReply;
import controlplane.core.bus.DeletedSitesReply;
import controlplane.core.bus.DeletedSitesRequest;
import controlplane.core.bus.Failure;
import controlplane.core.bus.SiteReply;
import controlplane.core.bus.SiteRequest;
import controlplane.core.persistence.AuditLog;
import controlplane.core.persistence.Db;
import controlplane.core.persistence.DeletedSite;
import controlplane.core.persistence.SiteRepository;
import controlplane.core.persistence.Timestamps;
import io.vertx.core.Future;
import io.vertx.sqlclient.SqlClient;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The deleted sites of an organisation ({@code cp.site.deleted.list}, {@code cp.site.recover}, {@code cp.site.purge}):
 * listed with when the housekeeper purges them, made live again with their credential, or purged for good. Another
 * organisation's deleted site is not found.
 */
public final class DeletedSiteService {

  private static final Logger LOG = LoggerFactory.getLogger(DeletedSiteService.class);

  private final CredentialStore store;
  private final Duration keptFor;

  DeletedSiteService(CredentialStore store, CoreConfig.Retention retention) {
    this.store = store;
    this.keptFor = Duration.ofMillis(Math.round(retention.deletedSiteSeconds() * 1000));
  }

  /** {@code cp.site.deleted.list}: a page by site id; {@code next_after} when there is more. */
  public Future<DeletedSitesReply> list(DeletedSitesRequest r) {
    return Db.classified(store.sites.listDeleted(store.pool, r.orgId(), r.after(), r.limit() + 1),
        "deleted sites listing").map(rows -> {
          boolean more = rows.size() > r.limit();
          List<DeletedSite> page = more ? rows.subList(0, r.limit()) : rows;
          return new DeletedSitesReply(page.stream().map(this::reply).toList(),
              more ? page.get(page.size() - 1).site().id().toString() : null);
        });
  }

  /**
   * {@code cp.site.recover}: the site is live again with the versions it had; the site object. Refused with
   * router_already_enrolled when another site took its router meanwhile.
   */
  public Future<SiteReply> recover(SiteRequest r) {
    return store.pool.withTransaction(tx -> lockDeleted(tx, r)
        .compose(deleted -> store.sites.recover(tx, r.siteId()))
        .compose(CredentialStore::required)
        .compose(site -> audit(tx, r, "site.recover", null).map(site)))
        .recover(t -> Future.failedFuture(Db.isUniqueViolation(t, SiteRepository.ONE_ENROLMENT_INDEX)
            ? Failure.ROUTER_ALREADY_ENROLLED.exception("this site's router is enrolled under another site id")
            : Db.classify(t, "site recovery")))
        .map(site -> {
          LOG.info("deleted site {} recovered", site.id());
          return site.toReply();
        });
  }

  /** {@code cp.site.purge}: the site and its versions are gone for good; its audit events stay. */
  public Future<DeletedReply> purge(SiteRequest r) {
    return Db.classified(store.pool.withTransaction(tx -> lockDeleted(tx, r)
        .compose(deleted -> store.sites.purge(tx, r.siteId()))
        .compose(purged -> audit(tx, r, "site.purge", "on request"))), "site purge")
        .map(v -> {
          LOG.info("deleted site {} purged", r.siteId());
          return new DeletedReply(true);
        });
  }

  /**
   * Locks the deleted site {@code r} names, of the caller's organisation. Fails with site_exists when the id is a
   * live site of the caller's organisation, site_not_found otherwise.
   */
  private Future<DeletedSite> lockDeleted(SqlClient tx, SiteRequest r) {
    return store.sites.lockDeleted(tx, r.siteId()).compose(deleted -> {
      if (deleted.isPresent() && deleted.get().site().orgId().equals(r.orgId())) {
        return Future.succeededFuture(deleted.get());
      }
      return store.sites.find(tx, r.siteId(), r.orgId()).compose(live -> Future.failedFuture(live.isPresent()
          ? Failure.SITE_EXISTS.exception("this site is not deleted")
          : Failure.SITE_NOT_FOUND.exception("no deleted site with this id")));
    });
  }

  private Future<Void> audit(SqlClient tx, SiteRequest r, String action, String detail) {
    return store.audit.append(tx, new AuditLog.Event(r.actor(), action, r.orgId(), r.siteId(), null, "ok",
        r.requestId(), detail));
  }

  /** The site as it was, and from when the housekeeper purges it (at its first pass from then on). */
  private DeletedSiteReply reply(DeletedSite d) {
    OffsetDateTime purgeAt = d.deletedAt().plus(keptFor);
    return new DeletedSiteReply(d.site().toReply(), Timestamps.format(d.deletedAt()), Timestamps.format(purgeAt));
  }
}
