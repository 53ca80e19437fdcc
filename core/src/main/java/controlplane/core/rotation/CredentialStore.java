package controlplane.core.rotation;

import controlplane.core.bus.CredentialReply;
import controlplane.core.bus.Failure;
import controlplane.core.crypto.Sealer;
import controlplane.core.persistence.AuditLog;
import controlplane.core.persistence.CredentialRepository;
import controlplane.core.persistence.CredentialVersion;
import controlplane.core.persistence.IdempotencyStore;
import controlplane.core.persistence.RotationSlots;
import controlplane.core.persistence.Site;
import controlplane.core.persistence.SiteRepository;
import controlplane.core.persistence.StatementBatcher;
import controlplane.core.persistence.Timestamps;
import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.SqlConnection;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Function;
import java.util.function.IntConsumer;

/**
 * The persistence that the rotation, the enrolment and the reconciler share: the pool, the repositories, the sealer,
 * and the one promotion that both a rotation and the reconciler commit.
 */
final class CredentialStore {

  /**
   * The action an Idempotency-Key of a rotation is recorded with (also written by {@code cp_promote},
   * R__credential_states.sql).
   */
  static final String ACTION_ROTATE = "rotate";

  final Pool pool;
  final Sealer sealer;
  final SiteRepository sites = new SiteRepository();
  final CredentialRepository credentials = new CredentialRepository();
  final AuditLog audit = new AuditLog();
  final IdempotencyStore idempotency = new IdempotencyStore();
  final RotationSlots slots;
  /** The promotions of rotations and of the reconciler, batched under load. */
  private final StatementBatcher<RotationSlots.PromoteCall, RotationSlots.Promoted> promotions;

  /**
   * {@code processId}: the owner recorded on the PENDING versions taken here (V12); null for none.
   * {@code promotionSizes}: told the calls of every promotion statement sent.
   */
  CredentialStore(Pool pool, Sealer sealer, UUID processId, IntConsumer promotionSizes) {
    this.pool = pool;
    this.sealer = sealer;
    this.slots = new RotationSlots(processId);
    this.promotions = new StatementBatcher<RotationSlots.PromoteCall, RotationSlots.Promoted>(
        c -> c.job() != null
            ? slots.promoteEndingJobSites(pool, List.of(c)).map(all -> all.get(0))
            : slots.promote(pool, c.siteId(), c.pendingId(), c.actor(), c.requestId(), c.idempotencyKey(), c.detail())
                .map(v -> new RotationSlots.Promoted(v, null)),
        calls -> slots.promoteEndingJobSites(pool, calls)).observedBy(promotionSizes);
  }

  /**
   * Runs {@code work} in a transaction that first locks the site's row. Every transaction that changes a site's
   * credential versions takes that lock first, so concurrent ones queue on it instead of deadlocking against a
   * rotation that holds it while inserting into the one-PENDING index. The row is locked even when the site is
   * deleted, so the order holds against a purge too.
   */
  <T> Future<T> inSiteTransaction(UUID siteId, Function<SqlConnection, Future<T>> work) {
    return pool.withTransaction(tx -> sites.lockRow(tx, siteId).compose(locked -> work.apply(tx)));
  }

  /** The plaintext of a version; null for null. */
  String open(CredentialVersion v) {
    return v == null ? null : sealer.open(v.sealed(), v.siteId(), v.id());
  }

  /**
   * One transaction: pending to CURRENT, current to PREVIOUS (invalidated), older previous to SUPERSEDED, the site
   * back in sync, an audit event and, when given, the idempotency key. Empty when the version was no longer pending.
   * Like every transaction that changes a site's versions, it locks the site's row first.
   */
  Future<Optional<CredentialVersion>> promote(Site site, UUID pendingId, String actor, String requestId,
                                              String idempotencyKey, String detail) {
    return promote(site, pendingId, actor, requestId, idempotencyKey, detail, null).map(RotationSlots.Promoted::version);
  }

  /**
   * The same; with {@code job} (null: none), a bulk-job site that the promotion also ends, in its transaction
   * ({@link RotationSlots#promoteEndingJobSites}).
   */
  Future<RotationSlots.Promoted> promote(Site site, UUID pendingId, String actor, String requestId,
                                         String idempotencyKey, String detail, RotationSlots.JobEnd job) {
    return promotions.submit(new RotationSlots.PromoteCall(site.id(), pendingId, actor, requestId, idempotencyKey,
        detail, job));
  }

  /** The public credential object. */
  static CredentialReply credential(Site site, CredentialVersion version, String password) {
    return new CredentialReply(version.id().toString(), site.id().toString(), site.username(), password,
        site.ipAddress(), site.apiPort(), site.serverIp(), Timestamps.format(version.createdAt()),
        Timestamps.format(version.updatedAt()));
  }

  static Future<Site> required(Optional<Site> site) {
    return site.map(Future::succeededFuture)
        .orElseGet(() -> Future.failedFuture(Failure.SITE_NOT_FOUND.exception("site not found")));
  }
}
