package controlplane.core.persistence;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import controlplane.core.crypto.KeyRing;
import controlplane.core.crypto.Sealer;
import io.vertx.pgclient.PgException;
import java.sql.SQLException;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class SchemaTest extends DatabaseSuite {

  private final CredentialRepository credentials = new CredentialRepository();
  private final RotationSlots slots = new RotationSlots();
  private final SiteRepository sites = new SiteRepository();
  private final Sealer sealer = new Sealer(KeyRing.of(Map.of("k1", key()), "k1"));

  private UUID site() {
    UUID id = UUID.randomUUID();
    await(sites.upsert(pool, id, "org", "api-" + id, "100.64.0.1", 8728, "edge", false));
    return id; // each site a router of its own: its API user
  }

  private CredentialVersion insert(UUID site, VersionState state, String password) {
    UUID id = UUID.randomUUID();
    return await(VersionRows.insert(pool, id, site, state, sealer.seal(password, site, id), 60));
  }

  @Test
  @DisplayName("PostgreSQL refuses a second PENDING version of a site: the rotation slot")
  void onePending() {
    UUID site = site();
    insert(site, VersionState.PENDING, "p1");
    assertThatThrownBy(() -> insert(site, VersionState.PENDING, "p2"))
        .isInstanceOf(PgException.class)
        .satisfies(t -> assertThat(Db.isUniqueViolation(t, CredentialRepository.ONE_PENDING_INDEX)).isTrue());
    // Another site has a slot of its own.
    insert(site(), VersionState.PENDING, "p3");
  }

  @Test
  @DisplayName("PostgreSQL refuses a second site with the same router (edge, address, port, user), of any organisation")
  void oneEnrolmentPerRouter() {
    await(sites.upsert(pool, UUID.randomUUID(), "org-a", "api", "100.64.9.9", 8728, "edge", false));
    assertThatThrownBy(() -> await(sites.upsert(pool, UUID.randomUUID(), "org-b", "api", "100.64.9.9", 8728, "edge",
        false)))
        .satisfies(t -> assertThat(Db.isUniqueViolation(t, SiteRepository.ONE_ENROLMENT_INDEX)).isTrue());
    // Another user, port, address or edge is another router.
    await(sites.upsert(pool, UUID.randomUUID(), "org-b", "api-2", "100.64.9.9", 8728, "edge", false));
    await(sites.upsert(pool, UUID.randomUUID(), "org-b", "api", "100.64.9.9", 8729, "edge", false));
    await(sites.upsert(pool, UUID.randomUUID(), "org-b", "api", "100.64.9.10", 8728, "edge", false));
    await(sites.upsert(pool, UUID.randomUUID(), "org-b", "api", "100.64.9.9", 8728, "edge-2", false));
  }

  @Test
  @DisplayName("PostgreSQL refuses a second CURRENT version of a site")
  void oneCurrent() {
    UUID site = site();
    insert(site, VersionState.CURRENT, "c1");
    assertThatThrownBy(() -> insert(site, VersionState.CURRENT, "c2"))
        .satisfies(t -> assertThat(Db.isUniqueViolation(t, CredentialRepository.ONE_CURRENT_INDEX)).isTrue());
    insert(site, VersionState.FAILED, "f1");
    insert(site, VersionState.FAILED, "f2");
  }

  @Test
  @DisplayName("promotion moves pending to current, current to previous and previous to superseded")
  void promotion() {
    UUID site = site();
    CredentialVersion old = insert(site, VersionState.PREVIOUS, "v0");
    CredentialVersion cur = insert(site, VersionState.CURRENT, "v1");
    CredentialVersion pen = insert(site, VersionState.PENDING, "v2");
    java.util.Optional<CredentialVersion> promoted =
        await(slots.promote(pool, site, pen.id(), "test", null, null, null));
    assertThat(promoted).isPresent();
    assertThat(await(credentials.find(pool, old.id())).orElseThrow().state()).isEqualTo(VersionState.SUPERSEDED);
    CredentialVersion prev = await(credentials.find(pool, cur.id())).orElseThrow();
    assertThat(prev.state()).isEqualTo(VersionState.PREVIOUS);
    assertThat(prev.invalidatedAt()).isNotNull();
    assertThat(await(credentials.find(pool, pen.id())).orElseThrow().state()).isEqualTo(VersionState.CURRENT);
    // A second promotion of the same version changes nothing.
    java.util.Optional<CredentialVersion> again =
        await(slots.promote(pool, site, pen.id(), "test", null, null, null));
    assertThat(again).isEmpty();
  }

  @Test
  @DisplayName("the reconciler's claim takes each expired pending version once")
  void claimOnce() {
    UUID site = site();
    CredentialVersion pen = insert(site, VersionState.PENDING, "p");
    assertThat(await(credentials.claimExpired(pool, 60, 10))).extracting(CredentialVersion::id)
        .doesNotContain(pen.id());
    jdbc.exec("UPDATE credential_versions SET lease_expires_at = now() - interval '1 second' WHERE id = ?", pen.id());
    assertThat(await(credentials.claimExpired(pool, 60, 10))).extracting(CredentialVersion::id)
        .contains(pen.id());
    assertThat(await(credentials.claimExpired(pool, 60, 10))).extracting(CredentialVersion::id)
        .doesNotContain(pen.id());
  }

  @Test
  @DisplayName("audit events can be appended but never updated nor deleted")
  void auditAppendOnly() throws SQLException {
    await(new AuditLog().append(pool, new AuditLog.Event("a", "x", "org", UUID.randomUUID(), null, "ok", null, null)));
    assertThatThrownBy(() -> jdbc.update("UPDATE audit_events SET outcome = 'changed'"))
        .isInstanceOf(SQLException.class).hasMessageContaining("append-only");
    assertThatThrownBy(() -> jdbc.update("DELETE FROM audit_events")).hasMessageContaining("append-only");
    assertThat(jdbc.query("SELECT count(*) AS n FROM audit_events WHERE outcome = 'changed'").get(0).get("n"))
        .isEqualTo(0L);
  }

  @Test
  @DisplayName("re-sealing puts every value under the active key; each still opens to the same password")
  void reseal() {
    String oldKey = key();
    Sealer oldSealer = new Sealer(KeyRing.of(Map.of("old", oldKey), "old"));
    UUID site = site();
    UUID v1 = UUID.randomUUID();
    UUID v2 = UUID.randomUUID();
    await(VersionRows.insert(pool, v1, site, VersionState.CURRENT, oldSealer.seal("first-pw", site, v1), 0));
    await(VersionRows.insert(pool, v2, site, VersionState.PREVIOUS, oldSealer.seal("second-pw", site, v2), 0));

    String newKey = key();
    KeyRing both = KeyRing.of(Map.of("old", oldKey, "new", newKey), "new");
    assertThat(await(Resealer.resealAll(pool, both))).isGreaterThanOrEqualTo(2);
    assertThat(jdbc.query("SELECT count(*) AS n FROM credential_versions WHERE key_id <> 'new'").get(0).get("n"))
        .isEqualTo(0L);
    // The old key can now be retired: the new key alone opens every value.
    Sealer newOnly = new Sealer(KeyRing.of(Map.of("new", newKey), "new"));
    assertThat(newOnly.open(await(credentials.find(pool, v1)).orElseThrow().sealed(), site, v1)).isEqualTo("first-pw");
    assertThat(newOnly.open(await(credentials.find(pool, v2)).orElseThrow().sealed(), site, v2)).isEqualTo("second-pw");
    // Running it again finds nothing left to do.
    assertThat(await(Resealer.resealAll(pool, both))).isZero();
  }
}
