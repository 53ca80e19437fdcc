package controlplane.core.persistence;

import static org.assertj.core.api.Assertions.assertThat;

import controlplane.core.crypto.KeyRing;
import controlplane.core.crypto.Sealer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** cp_take_slots and cp_promote_many: many rotations' slots and promotions in one statement, on a real PostgreSQL. */
class RotationSlotBatchesTest extends DatabaseSuite {

  private final RotationSlots slots = new RotationSlots();
  private final CredentialRepository credentials = new CredentialRepository();
  private final SiteRepository sites = new SiteRepository();
  private final Sealer sealer = new Sealer(KeyRing.of(Map.of("k1", key()), "k1"));

  private UUID site(String org) {
    UUID id = UUID.randomUUID();
    await(sites.upsert(pool, id, org, "api-" + id, "100.64.0.1", 8728, "edge", false));
    return id;
  }

  private RotationSlots.TakeCall call(UUID site, String org) {
    UUID version = UUID.randomUUID();
    return new RotationSlots.TakeCall(site, org, version, sealer.seal("new-" + version, site, version), "alice",
        "req-" + version);
  }

  private long audits(UUID version) {
    return jdbc.query("SELECT 1 FROM audit_events WHERE version_id = ?", version).size();
  }

  @Test
  @DisplayName("a batch answers each call in its place: taken, busy (re-push or a PENDING version already there),"
      + " not found (missing, another organisation's, deleted), and writes only what was taken")
  void takeMany() {
    UUID a = site("org-a");
    UUID held = site("org-a");
    await(sites.takePushLease(pool, held, 60));
    UUID pendingAlready = site("org-a");
    RotationSlots.TakeCall first = call(pendingAlready, "org-a");
    assertThat(await(slots.take(pool, pendingAlready, "org-a", first.versionId(), first.sealed(), 30, "bob", null)))
        .isPresent();
    UUID otherOrg = site("org-b");
    UUID deleted = site("org-a");
    await(pool.withTransaction(tx -> sites.softDelete(tx, deleted)));
    UUID z = site("org-a");

    List<RotationSlots.TakeCall> calls = List.of(call(z, "org-a"), call(held, "org-a"), call(pendingAlready, "org-a"),
        call(UUID.randomUUID(), "org-a"), call(otherOrg, "org-a"), call(deleted, "org-a"), call(a, "org-a"),
        call(a, "org-a"));
    List<Optional<RotationSlots.Taken>> answers = await(slots.takeMany(pool, calls, 30));

    assertThat(answers).hasSize(calls.size());
    assertThat(answers.get(0)).get().satisfies(t -> {
      assertThat(t.busy()).isFalse();
      assertThat(t.site().id()).isEqualTo(z);
    });
    assertThat(answers.get(1)).get().satisfies(t -> assertThat(t.busy()).isTrue());
    assertThat(answers.get(2)).get().satisfies(t -> assertThat(t.busy()).isTrue());
    assertThat(answers.get(3)).isEmpty();
    assertThat(answers.get(4)).isEmpty();
    assertThat(answers.get(5)).isEmpty();
    // The same site twice in one batch: the first takes the slot, the second finds its PENDING version.
    assertThat(answers.get(6)).get().satisfies(t -> assertThat(t.busy()).isFalse());
    assertThat(answers.get(7)).get().satisfies(t -> assertThat(t.busy()).isTrue());

    for (int i : new int[] {0, 6}) {
      UUID version = calls.get(i).versionId();
      CredentialVersion pending = await(credentials.find(pool, version)).orElseThrow();
      assertThat(pending.state()).isEqualTo(VersionState.PENDING);
      assertThat(sealer.open(pending.sealed(), calls.get(i).siteId(), version)).isEqualTo("new-" + version);
      assertThat(audits(version)).isEqualTo(1);
    }
    for (int i : new int[] {1, 2, 3, 4, 5, 7}) {
      assertThat(await(credentials.find(pool, calls.get(i).versionId()))).isEmpty();
      assertThat(audits(calls.get(i).versionId())).isZero();
    }
  }

  @Test
  @DisplayName("a batch returns each site's current and previous passwords, read after its lock")
  void livePasswordsPerSite() {
    List<UUID> siteIds = new ArrayList<>();
    List<UUID> currents = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      UUID s = site("org-a");
      siteIds.add(s);
      UUID id = UUID.randomUUID();
      currents.add(await(VersionRows.insert(pool, id, s, VersionState.CURRENT, sealer.seal("pw-" + i, s, id), 60)).id());
    }
    List<RotationSlots.TakeCall> calls = siteIds.stream().map(s -> call(s, "org-a")).toList();
    List<Optional<RotationSlots.Taken>> answers = await(slots.takeMany(pool, calls, 30));
    for (int i = 0; i < 5; i++) {
      RotationSlots.Taken t = answers.get(i).orElseThrow();
      assertThat(t.site().id()).isEqualTo(siteIds.get(i));
      assertThat(t.current().versionId()).isEqualTo(currents.get(i));
      assertThat(sealer.open(t.current().sealed(), siteIds.get(i), currents.get(i))).isEqualTo("pw-" + i);
      assertThat(t.previous()).isNull();
    }
  }

  @Test
  @DisplayName("a batch of promotions promotes each pending version in its place, and answers empty for one that"
      + " is no longer pending")
  void promoteMany() {
    UUID a = site("org-a");
    UUID b = site("org-a");
    RotationSlots.TakeCall ta = call(a, "org-a");
    RotationSlots.TakeCall tb = call(b, "org-a");
    await(slots.takeMany(pool, List.of(ta, tb), 30));
    await(credentials.fail(pool, tb.versionId(), "refused"));

    List<Optional<CredentialVersion>> promoted = await(slots.promoteMany(pool, List.of(
        new RotationSlots.PromoteCall(b, tb.versionId(), "alice", null, null, null),
        new RotationSlots.PromoteCall(a, ta.versionId(), "alice", "req-a", "key-a", null))));

    assertThat(promoted.get(0)).isEmpty();
    assertThat(promoted.get(1)).get().satisfies(v -> {
      assertThat(v.id()).isEqualTo(ta.versionId());
      assertThat(v.state()).isEqualTo(VersionState.CURRENT);
    });
    assertThat(await(credentials.find(pool, tb.versionId())).orElseThrow().state()).isEqualTo(VersionState.FAILED);
    assertThat(jdbc.query("SELECT site_id FROM idempotency_records WHERE key = 'key-a'")).hasSize(1);
  }

  /** One rotation of {@code site}, taken and promoted alone; its version. */
  private UUID rotated(UUID site) {
    RotationSlots.TakeCall t = call(site, "org-a");
    await(slots.takeMany(pool, List.of(t), 30));
    assertThat(await(slots.promoteMany(pool, List.of(new RotationSlots.PromoteCall(site, t.versionId(), "alice", null,
        null, null)))).get(0)).isPresent();
    return t.versionId();
  }

  @Test
  @DisplayName("a batch of promotions moves each site's versions one step (previous superseded, current previous,"
      + " pending current), promotes a version repeated in the batch once, brings an out-of-sync site back in sync"
      + " and audits each promotion once")
  void promoteManyStepsEachSite() throws Exception {
    UUID x = site("org-a");
    UUID oldest = rotated(x);
    UUID former = rotated(x);
    UUID y = site("org-a");
    UUID w = site("org-a");
    UUID wCurrent = rotated(w);
    jdbc.update("UPDATE sites SET status = 'out_of_sync' WHERE id = ?", w);
    RotationSlots.TakeCall tx = call(x, "org-a");
    RotationSlots.TakeCall ty = call(y, "org-a");
    RotationSlots.TakeCall tw = call(w, "org-a");
    await(slots.takeMany(pool, List.of(tx, ty, tw), 30));

    List<Optional<CredentialVersion>> promoted = await(slots.promoteMany(pool, List.of(
        new RotationSlots.PromoteCall(x, tx.versionId(), "alice", "r1", null, null),
        new RotationSlots.PromoteCall(y, ty.versionId(), null, "r2", null, "d"),
        new RotationSlots.PromoteCall(x, tx.versionId(), "alice", "r3", null, null),
        new RotationSlots.PromoteCall(w, tw.versionId(), "alice", "r4", null, null))));

    assertThat(promoted.get(0)).get().satisfies(v -> assertThat(v.id()).isEqualTo(tx.versionId()));
    assertThat(promoted.get(1)).get().satisfies(v -> assertThat(v.id()).isEqualTo(ty.versionId()));
    assertThat(promoted.get(2)).isEmpty();
    assertThat(promoted.get(3)).get().satisfies(v -> assertThat(v.state()).isEqualTo(VersionState.CURRENT));
    assertThat(jdbc.query("SELECT id, state, invalidated_at IS NOT NULL AS invalidated FROM credential_versions"
        + " WHERE site_id = ? ORDER BY created_at", x)).extracting(r -> r.get("id") + " " + r.get("state") + " "
        + r.get("invalidated")).containsExactly(oldest + " SUPERSEDED true", former + " PREVIOUS true",
        tx.versionId() + " CURRENT false");
    assertThat(jdbc.query("SELECT state FROM credential_versions WHERE site_id = ?", y)).singleElement()
        .satisfies(r -> assertThat(r).containsEntry("state", "CURRENT"));
    assertThat(await(credentials.find(pool, wCurrent)).orElseThrow().state()).isEqualTo(VersionState.PREVIOUS);
    assertThat(jdbc.query("SELECT status FROM sites WHERE id = ?", w)).singleElement()
        .satisfies(r -> assertThat(r).containsEntry("status", "in_sync"));
    assertThat(jdbc.query("SELECT actor, request_id, detail FROM audit_events WHERE outcome = 'applied'"
        + " AND version_id = ?", ty.versionId())).singleElement().satisfies(r -> assertThat(r)
        .containsEntry("actor", "unknown").containsEntry("request_id", "r2").containsEntry("detail", "d"));
    assertThat(jdbc.query("SELECT request_id FROM audit_events WHERE outcome = 'applied' AND version_id = ?",
        tx.versionId())).singleElement().satisfies(r -> assertThat(r).containsEntry("request_id", "r1"));
  }

  @Test
  @DisplayName("a batch of promotions with one Idempotency-Key twice records the key once, for the first site in id"
      + " order, and promotes both")
  void promoteManySameKey() throws Exception {
    UUID a = site("org-a");
    UUID b = site("org-a");
    RotationSlots.TakeCall ta = call(a, "org-a");
    RotationSlots.TakeCall tb = call(b, "org-a");
    await(slots.takeMany(pool, List.of(ta, tb), 30));

    List<Optional<CredentialVersion>> promoted = await(slots.promoteMany(pool, List.of(
        new RotationSlots.PromoteCall(a, ta.versionId(), "alice", null, "same-key", null),
        new RotationSlots.PromoteCall(b, tb.versionId(), "alice", null, "same-key", null))));

    assertThat(promoted).allSatisfy(p -> assertThat(p).get().satisfies(v ->
        assertThat(v.state()).isEqualTo(VersionState.CURRENT)));
    UUID first = a.toString().compareTo(b.toString()) < 0 ? a : b; // PostgreSQL orders uuids bytewise
    assertThat(jdbc.query("SELECT site_id FROM idempotency_records WHERE key = 'same-key'")).singleElement()
        .satisfies(r -> assertThat(r).containsEntry("site_id", first));
  }
}
