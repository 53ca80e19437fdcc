package controlplane.core.persistence;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import controlplane.core.crypto.KeyRing;
import controlplane.core.crypto.Sealed;
import controlplane.core.crypto.Sealer;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.Statement;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** The functions of migration V3 that take a rotation's slot and promote it, on a real PostgreSQL. */
class RotationSlotsTest extends DatabaseSuite {

  private final RotationSlots slots = new RotationSlots();
  private final CredentialRepository credentials = new CredentialRepository();
  private final SiteRepository sites = new SiteRepository();
  private final Sealer sealer = new Sealer(KeyRing.of(Map.of("k1", key()), "k1"));

  private UUID site(String org) {
    UUID id = UUID.randomUUID();
    await(sites.upsert(pool, id, org, "api-" + id, "100.64.0.1", 8728, "edge", false));
    return id; // each site a router of its own: its API user
  }

  private CredentialVersion insert(UUID site, VersionState state) {
    UUID id = UUID.randomUUID();
    return await(VersionRows.insert(pool, id, site, state, sealer.seal("pw-" + id, site, id), 60));
  }

  private Optional<RotationSlots.Taken> take(UUID site, String org, UUID version) {
    Sealed sealed = sealer.seal("new-" + version, site, version);
    return await(slots.take(pool, site, org, version, sealed, 30, "alice", "req-1"));
  }

  private List<Map<String, Object>> audit(UUID version) {
    return jdbc.query("SELECT actor, action, org_id, outcome, request_id, detail FROM audit_events"
        + " WHERE version_id = ? ORDER BY id", version);
  }

  @Test
  @DisplayName("taking the slot commits the sealed PENDING version with its lease and a 'pending' audit event")
  void taken() {
    UUID site = site("org-a");
    UUID version = UUID.randomUUID();
    RotationSlots.Taken taken = take(site, "org-a", version).orElseThrow();
    assertThat(taken.busy()).isFalse();
    assertThat(taken.site().id()).isEqualTo(site);
    assertThat(taken.site().orgId()).isEqualTo("org-a");
    CredentialVersion pending = await(credentials.find(pool, version)).orElseThrow();
    assertThat(pending.state()).isEqualTo(VersionState.PENDING);
    assertThat(pending.leaseExpiresAt()).isAfter(pending.createdAt().plusSeconds(29));
    assertThat(sealer.open(pending.sealed(), site, version)).isEqualTo("new-" + version);
    assertThat(audit(version)).singleElement().satisfies(row -> assertThat(row)
        .containsEntry("actor", "alice").containsEntry("action", "credential.rotate").containsEntry("org_id", "org-a")
        .containsEntry("outcome", "pending").containsEntry("request_id", "req-1").containsEntry("detail", null));
  }

  @Test
  @DisplayName("the transaction that commits a PENDING version commits synchronously, even where the session or the"
      + " server says synchronous_commit = off")
  void pendingCommitIsSynchronous() {
    UUID site = site("org-a");
    UUID version = UUID.randomUUID();
    Sealed sealed = sealer.seal("new-" + version, site, version);
    String inside = await(pool.withTransaction(tx -> tx.query("SET LOCAL synchronous_commit = off").execute()
        .compose(v -> slots.take(tx, site, "org-a", version, sealed, 30, "alice", null))
        .compose(taken -> tx.query("SELECT current_setting('synchronous_commit')").execute())
        .map(rows -> rows.iterator().next().getString(0))));
    assertThat(inside).isEqualTo("on");
    assertThat(await(credentials.find(pool, version))).isPresent();
  }

  @Test
  @DisplayName("the promotion commits without waiting for the disk, even where the server says synchronous_commit = on"
      + " (the durable PENDING row settles a lost one)")
  void promotionCommitIsAsynchronous() {
    UUID site = site("org-a");
    UUID version = UUID.randomUUID();
    Sealed sealed = sealer.seal("new-" + version, site, version);
    await(slots.take(pool, site, "org-a", version, sealed, 30, "alice", null));
    String inside = await(pool.withTransaction(tx -> tx.query("SET LOCAL synchronous_commit = on").execute()
        .compose(v -> slots.promote(tx, site, version, "alice", null, null, null))
        .compose(promoted -> tx.query("SELECT current_setting('synchronous_commit')").execute())
        .map(rows -> rows.iterator().next().getString(0))));
    assertThat(inside).isEqualTo("off");
    assertThat(await(credentials.find(pool, version)).orElseThrow().state()).isEqualTo(VersionState.CURRENT);
  }

  @Test
  @DisplayName("taking the slot returns the sealed current and previous passwords, none for a busy site")
  void livePasswords() {
    UUID site = site("org-a");
    CredentialVersion previous = insert(site, VersionState.PREVIOUS);
    CredentialVersion current = insert(site, VersionState.CURRENT);
    insert(site, VersionState.SUPERSEDED);
    RotationSlots.Taken taken = take(site, "org-a", UUID.randomUUID()).orElseThrow();
    assertThat(taken.current().versionId()).isEqualTo(current.id());
    assertThat(sealer.open(taken.current().sealed(), site, current.id())).isEqualTo("pw-" + current.id());
    assertThat(taken.previous().versionId()).isEqualTo(previous.id());
    assertThat(sealer.open(taken.previous().sealed(), site, previous.id())).isEqualTo("pw-" + previous.id());

    UUID fresh = site("org-a");
    RotationSlots.Taken first = take(fresh, "org-a", UUID.randomUUID()).orElseThrow();
    assertThat(first.current()).isNull();
    assertThat(first.previous()).isNull();
    UUID held = site("org-a");
    insert(held, VersionState.CURRENT);
    await(sites.takePushLease(pool, held, 60));
    RotationSlots.Taken busy = take(held, "org-a", UUID.randomUUID()).orElseThrow();
    assertThat(busy.busy()).isTrue();
    assertThat(busy.current()).isNull();
  }

  @Test
  @DisplayName("a slot taken while another transaction holds the site reads the passwords that one committed")
  void readsAfterTheLock() throws Exception {
    UUID site = site("org-a");
    CredentialVersion old = insert(site, VersionState.CURRENT);
    UUID promoted = UUID.randomUUID();
    try (Connection c = jdbc.connect()) {
      c.setAutoCommit(false);
      try (Statement st = c.createStatement()) {
        st.execute("SELECT id FROM sites WHERE id = '" + site + "' FOR UPDATE");
        st.execute("UPDATE credential_versions SET state = 'PREVIOUS' WHERE id = '" + old.id() + "'");
      }
      // A version committed by the transaction holding the lock (what a promotion does).
      Sealed sealed = sealer.seal("pw-" + promoted, site, promoted);
      try (PreparedStatement ps = c.prepareStatement("INSERT INTO credential_versions (id, site_id, state,"
          + " sealed_password, key_id, nonce) VALUES (?, ?, 'CURRENT', ?, ?, ?)")) {
        ps.setObject(1, promoted);
        ps.setObject(2, site);
        ps.setBytes(3, sealed.ciphertext());
        ps.setString(4, sealed.keyId());
        ps.setBytes(5, sealed.nonce());
        ps.executeUpdate();
      }
      Sealed mine = sealer.seal("new", site, UUID.randomUUID());
      var waiting = slots.take(pool, site, "org-a", UUID.randomUUID(), mine, 30, "alice", null)
          .toCompletionStage().toCompletableFuture();
      // It waits for the lock: the other transaction's locks are visible in pg_locks while it does.
      awaitWaitingOnLock();
      assertThat(waiting).isNotDone();
      c.commit();
      RotationSlots.Taken taken = waiting.get(30, TimeUnit.SECONDS).orElseThrow();
      assertThat(taken.current().versionId()).isEqualTo(promoted);
      assertThat(taken.previous().versionId()).isEqualTo(old.id());
    }
  }

  /** Until some backend waits on a lock (polls pg_locks; no sleeping on a guess). */
  private void awaitWaitingOnLock() throws InterruptedException {
    for (int i = 0; i < 3000; i++) {
      if (!jdbc.query("SELECT 1 FROM pg_locks WHERE NOT granted").isEmpty()) {
        return;
      }
      Thread.sleep(10);
    }
    throw new AssertionError("no backend ever waited on the site's lock");
  }

  @Test
  @DisplayName("a promotion records its Idempotency-Key over one older than 24 h, never over a live one")
  void idempotencyRecords() {
    IdempotencyStore keys = new IdempotencyStore();
    UUID site = site("org-a");
    UUID first = rotateWithKey(site, "key-expiry");
    assertThat(await(keys.find(pool, "org-a", "key-expiry")))
        .contains(new IdempotencyStore.Entry(site, "rotate", first));

    // A live record is kept: a second promotion with the same key does not take it over.
    rotateWithKey(site, "key-expiry");
    assertThat(await(keys.find(pool, "org-a", "key-expiry")))
        .contains(new IdempotencyStore.Entry(site, "rotate", first));

    // Once older than 24 hours it no longer counts, and the next promotion with the key replaces it.
    jdbc.exec("UPDATE idempotency_records SET created_at = now() - interval '25 hours' WHERE key = 'key-expiry'");
    assertThat(await(keys.find(pool, "org-a", "key-expiry"))).isEmpty();
    UUID third = rotateWithKey(site, "key-expiry");
    assertThat(await(keys.find(pool, "org-a", "key-expiry")))
        .contains(new IdempotencyStore.Entry(site, "rotate", third));
  }

  /** Takes the slot of {@code site} and promotes it with {@code key}; the promoted version. */
  private UUID rotateWithKey(UUID site, String key) {
    UUID version = UUID.randomUUID();
    take(site, "org-a", version);
    assertThat(await(slots.promote(pool, site, version, "bob", null, key, null))).isPresent();
    return version;
  }

  @Test
  @DisplayName("another organisation's site, or none, is not found and nothing is written")
  void notFound() {
    UUID site = site("org-a");
    UUID version = UUID.randomUUID();
    assertThat(take(site, "org-b", version)).isEmpty();
    assertThat(take(UUID.randomUUID(), "org-a", version)).isEmpty();
    assertNothingWritten(version);
  }

  @Test
  @DisplayName("a site held by a re-push is busy and nothing is written")
  void busy() {
    UUID site = site("org-a");
    await(sites.takePushLease(pool, site, 60));
    UUID version = UUID.randomUUID();
    assertThat(take(site, "org-a", version).orElseThrow().busy()).isTrue();
    assertNothingWritten(version);
  }

  private void assertNothingWritten(UUID version) {
    assertThat(await(credentials.find(pool, version))).isEmpty();
    assertThat(audit(version)).isEmpty();
  }

  @Test
  @DisplayName("a second slot of a site fails on the one-PENDING index, and writes no audit event")
  void oneSlot() {
    UUID site = site("org-a");
    take(site, "org-a", UUID.randomUUID());
    UUID second = UUID.randomUUID();
    assertThatThrownBy(() -> take(site, "org-a", second))
        .satisfies(t -> assertThat(Db.isUniqueViolation(t, CredentialRepository.ONE_PENDING_INDEX)).isTrue());
    assertThat(audit(second)).isEmpty();
  }

  @Test
  @DisplayName("promotion rotates the versions, records the key, brings the site back in sync and audits, once")
  void promote() {
    UUID site = site("org-a");
    CredentialVersion older = insert(site, VersionState.PREVIOUS);
    CredentialVersion current = insert(site, VersionState.CURRENT);
    UUID version = UUID.randomUUID();
    take(site, "org-a", version);
    await(sites.setStatus(pool, site, Site.OUT_OF_SYNC));

    CredentialVersion promoted = await(slots.promote(pool, site, version, "bob", "req-2", "key-1", "settled"))
        .orElseThrow();
    assertThat(promoted.id()).isEqualTo(version);
    assertThat(promoted.state()).isEqualTo(VersionState.CURRENT);
    assertThat(promoted.leaseExpiresAt()).isNull();
    assertThat(await(credentials.find(pool, older.id())).orElseThrow().state()).isEqualTo(VersionState.SUPERSEDED);
    CredentialVersion previous = await(credentials.find(pool, current.id())).orElseThrow();
    assertThat(previous.state()).isEqualTo(VersionState.PREVIOUS);
    assertThat(previous.invalidatedAt()).isNotNull();
    assertThat(await(sites.find(pool, site)).orElseThrow().status()).isEqualTo(Site.IN_SYNC);
    assertThat(await(new IdempotencyStore().find(pool, "org-a", "key-1")))
        .contains(new IdempotencyStore.Entry(site, "rotate", version));
    assertThat(audit(version)).extracting(row -> row.get("outcome")).containsExactly("pending", "applied");
    assertThat(audit(version).get(1)).containsEntry("actor", "bob").containsEntry("request_id", "req-2")
        .containsEntry("detail", "settled");

    // No longer pending: nothing changes, nothing is audited.
    assertThat(await(slots.promote(pool, site, version, "bob", null, null, null))).isEmpty();
    assertThat(audit(version)).hasSize(2);
    assertThat(await(credentials.find(pool, current.id())).orElseThrow().state()).isEqualTo(VersionState.PREVIOUS);
  }
}
