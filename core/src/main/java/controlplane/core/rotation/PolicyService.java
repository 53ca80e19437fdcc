package controlplane.core.rotation;

import controlplane.core.bus.DeletedReply;
import controlplane.core.bus.Failure;
import controlplane.core.bus.PolicyReply;
import controlplane.core.bus.PolicyRequest;
import controlplane.core.persistence.AuditLog;
import controlplane.core.persistence.Db;
import controlplane.core.persistence.PolicyRepository;
import controlplane.core.persistence.PolicyRepository.StoredPolicy;
import controlplane.core.persistence.Timestamps;
import controlplane.core.policy.RotationPolicy;
import io.vertx.core.Future;
import io.vertx.sqlclient.SqlClient;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code cp.policy.*}: the rotation policy of an organisation (its default) or of one of its sites (an override).
 * A change (put or delete) plans the sites it governs again: the scheduler computes their next rotation and drift
 * check at its next look, a batch at a time, so that a change to a large organisation's default is one statement here.
 */
public final class PolicyService {

  private static final Logger LOG = LoggerFactory.getLogger(PolicyService.class);

  private final CredentialStore store;
  final PolicyRepository policies = new PolicyRepository();

  PolicyService(CredentialStore store) {
    this.store = store;
  }

  public Future<PolicyReply> get(PolicyRequest r) {
    return Db.classified(siteOfOrg(r).compose(v -> policies.find(store.pool, r.orgId(), r.siteId())), "policy read")
        .compose(PolicyService::required)
        .map(PolicyService::reply);
  }

  public Future<PolicyReply> put(PolicyRequest r) {
    try {
      RotationPolicy.of(r.rotationPeriodSeconds(), r.rotationSchedule(), r.rotationWindowSeconds(),
          r.driftCheckPeriodSeconds());
    } catch (IllegalArgumentException e) {
      return Future.failedFuture(Failure.INVALID_REQUEST.exception(e.getMessage()));
    }
    long window = r.rotationWindowSeconds() == null ? 0 : r.rotationWindowSeconds();
    return Db.classified(siteOfOrg(r).compose(v -> store.pool.withTransaction(tx ->
        policies.upsert(tx, r.orgId(), r.siteId(), r.rotationPeriodSeconds(), r.rotationSchedule(), window,
                r.driftCheckPeriodSeconds())
            .compose(stored -> changed(tx, r, "policy.put").map(stored)))), "policy write")
        .map(stored -> {
          LOG.info("rotation policy of {} set", r.siteId() == null ? "organisation " + r.orgId() : "site " + r.siteId());
          return reply(stored);
        });
  }

  public Future<DeletedReply> delete(PolicyRequest r) {
    return Db.classified(siteOfOrg(r).compose(v -> store.pool.withTransaction(tx ->
        policies.delete(tx, r.orgId(), r.siteId()).compose(found -> !found
            ? Future.failedFuture(notFound())
            : changed(tx, r, "policy.delete").map(true)))), "policy deletion")
        .map(DeletedReply::new);
  }

  /** Plans the governed sites again and records who changed the policy. */
  private Future<Void> changed(SqlClient tx, PolicyRequest r, String action) {
    return policies.replan(tx, r.orgId(), r.siteId())
        .compose(n -> store.audit.append(tx, new AuditLog.Event(r.actor(), action, r.orgId(), r.siteId(), null, "ok",
            r.requestId(), r.siteId() == null ? "organisation default; " + n + " sites to plan" : "site override")));
  }

  /** For a site's policy: the site is a live one of the caller's organisation (else site_not_found). */
  private Future<Void> siteOfOrg(PolicyRequest r) {
    if (r.siteId() == null) {
      return Future.succeededFuture();
    }
    return store.sites.find(store.pool, r.siteId(), r.orgId()).compose(CredentialStore::required).mapEmpty();
  }

  private static Future<StoredPolicy> required(Optional<StoredPolicy> p) {
    return p.map(Future::succeededFuture).orElseGet(() -> Future.failedFuture(notFound()));
  }

  private static io.vertx.core.eventbus.ReplyException notFound() {
    return Failure.POLICY_NOT_FOUND.exception("no rotation policy is set here");
  }

  static PolicyReply reply(StoredPolicy p) {
    return new PolicyReply(p.orgId(), p.siteId() == null ? null : p.siteId().toString(), p.periodSeconds(),
        p.schedule(), p.windowSeconds(), p.driftSeconds(), Timestamps.format(p.createdAt()),
        Timestamps.format(p.updatedAt()));
  }
}
