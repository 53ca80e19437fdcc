package controlplane.core.rotation;

import controlplane.core.bus.AuditCursor;
import controlplane.core.bus.AuditEventReply;
import controlplane.core.bus.AuditPageReply;
import controlplane.core.bus.AuditRequest;
import controlplane.core.bus.HistoryReply;
import controlplane.core.bus.SiteRequest;
import controlplane.core.bus.VersionSummary;
import controlplane.core.persistence.Db;
import controlplane.core.persistence.HistoryRepository;
import controlplane.core.persistence.Site;
import controlplane.core.persistence.Timestamps;
import io.vertx.core.Future;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * {@code cp.credentials.history} and {@code cp.audit.list}: a live site of the caller's organisation (another
 * organisation's, a deleted or a missing one is site_not_found), its versions and its audit trail. Never a password.
 */
public final class HistoryService {

  private final CredentialStore store;
  private final HistoryRepository history = new HistoryRepository();

  HistoryService(CredentialStore store) {
    this.store = store;
  }

  public Future<HistoryReply> history(SiteRequest r) {
    return site(r.siteId(), r.orgId()).compose(site -> Db.classified(
        history.versions(store.pool, site.id(), HistoryReply.MAX_VERSIONS), "credential history")).map(rows -> {
          List<VersionSummary> out = new ArrayList<>(rows.size());
          rows.forEach(v -> out.add(new VersionSummary(v.id().toString(), v.state().name(),
              Timestamps.format(v.createdAt()), Timestamps.format(v.updatedAt()), v.lastError())));
          return new HistoryReply(out);
        });
  }

  public Future<AuditPageReply> audit(AuditRequest r) {
    // One row more than the page: whether there is a next page, without a count.
    return site(r.siteId(), r.orgId()).compose(site -> Db.classified(
        history.auditPage(store.pool, site.id(), r.afterId(), r.limit() + 1), "audit read")).map(rows -> {
          boolean more = rows.size() > r.limit();
          List<HistoryRepository.AuditRow> page = more ? rows.subList(0, r.limit()) : rows;
          List<AuditEventReply> events = new ArrayList<>(page.size());
          page.forEach(e -> events.add(new AuditEventReply(e.id(), Timestamps.format(e.at()), e.actor(), e.action(),
              e.outcome(), e.versionId() == null ? null : e.versionId().toString(), e.requestId(), e.detail())));
          return new AuditPageReply(events, more ? AuditCursor.encode(page.get(page.size() - 1).id()) : null);
        });
  }

  private Future<Site> site(UUID siteId, String orgId) {
    return Db.classified(store.sites.find(store.pool, siteId, orgId), "site read").compose(CredentialStore::required);
  }
}
