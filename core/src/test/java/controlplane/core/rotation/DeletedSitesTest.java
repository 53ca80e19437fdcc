package controlplane.core.rotation;

import static controlplane.core.rotation.CoreFixture.ORG;
import static controlplane.core.rotation.CoreFixture.siteRef;
import static org.assertj.core.api.Assertions.assertThat;

import controlplane.core.bus.Addresses;
import controlplane.core.bus.Failure;
import controlplane.core.bus.Fields;
import controlplane.core.bus.RotationStep;
import controlplane.core.housekeeping.PurgeKind;
import controlplane.core.testing.TestDatabase;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Soft deletion over the event bus: a deleted site is gone from every address but the deleted-site ones. */
@ExtendWith(VertxExtension.class)
class DeletedSitesTest {

  private static String dbUrl;
  private CoreFixture core;

  @BeforeAll
  static void database() {
    dbUrl = TestDatabase.freshDatabase();
  }

  @BeforeEach
  void deploy(Vertx vertx) {
    core = new CoreFixture(vertx, dbUrl, 2_000).start();
  }

  private static JsonObject ref(String site, String org) {
    return siteRef(site).put(Fields.ORG_ID, org);
  }

  private JsonObject list(String org, String after, Integer limit) {
    JsonObject request = new JsonObject().put(Fields.ORG_ID, org);
    if (after != null) {
      request.put(Fields.AFTER, after);
    }
    if (limit != null) {
      request.put(Fields.LIMIT, limit);
    }
    return core.ok(Addresses.DELETED_SITES_LIST, request);
  }

  private List<String> listedIds(String org) {
    List<String> ids = new ArrayList<>();
    list(org, null, null).getJsonArray(Fields.DELETED_SITES)
        .forEach(s -> ids.add(((JsonObject) s).getString(Fields.SITE_ID)));
    return ids;
  }

  @Test
  @DisplayName("a deleted site is not found by any address, keeps its versions, and comes back with its credential")
  void deleteAndRecover() {
    String site = core.enrol("Deleted-Site-Enrolled");
    String password = core.rotate(site).getString(Fields.PASSWORD);
    List<String> states = core.states(site);

    assertThat(core.ok(Addresses.SITE_DELETE, siteRef(site)).getBoolean(Fields.DELETED)).isTrue();
    for (String address : List.of(Addresses.SITE_GET, Addresses.CREDENTIALS_GET, Addresses.ROTATE, Addresses.RESEND,
        Addresses.SITE_DELETE)) {
      assertThat(core.failure(address, siteRef(site))).as(address).isEqualTo(Failure.SITE_NOT_FOUND);
    }
    assertThat(core.failure(Addresses.SITE_PUT, CoreFixture.siteBody(site, ORG, password)))
        .isEqualTo(Failure.SITE_DELETED);
    assertThat(core.failure(Addresses.SITE_PUT, CoreFixture.siteBody(site, "org-2", password)))
        .as("another organisation's deleted site is not found").isEqualTo(Failure.SITE_NOT_FOUND);
    assertThat(core.states(site)).as("nothing was rotated, nothing removed").isEqualTo(states);

    JsonObject listed = list(ORG, null, null).getJsonArray(Fields.DELETED_SITES).stream()
        .map(JsonObject.class::cast).filter(s -> s.getString(Fields.SITE_ID).equals(site)).findFirst().orElseThrow();
    assertThat(listed.getString(Fields.ORG_ID)).isEqualTo(ORG);
    assertThat(listed.containsKey(Fields.PASSWORD)).isFalse();
    Instant deletedAt = Instant.parse(listed.getString(Fields.DELETED_AT));
    assertThat(Instant.parse(listed.getString(Fields.PURGE_AT))).isEqualTo(deletedAt.plus(Duration.ofDays(30)));

    JsonObject recovered = core.ok(Addresses.SITE_RECOVER, siteRef(site));
    assertThat(recovered.getString(Fields.SITE_ID)).isEqualTo(site);
    assertThat(recovered.containsKey(Fields.PASSWORD)).isFalse();
    assertThat(core.storedCurrent(site)).isEqualTo(password).isEqualTo(core.routers.password(site));
    assertThat(core.rotate(site).getString(Fields.PASSWORD)).isEqualTo(core.routers.password(site));
    assertThat(listedIds(ORG)).doesNotContain(site);
    assertThat(core.audit(site)).extracting(r -> r.get("action") + "/" + r.get("outcome"))
        .contains("site.delete/ok", "site.recover/ok");
  }

  @Test
  @DisplayName("a deleted site frees its router for another enrolment; recovering it then is router_already_enrolled")
  void deletedSiteFreesItsRouter() {
    String site = core.enrol("Freed-Router-1");
    assertThat(core.ok(Addresses.SITE_DELETE, siteRef(site)).getBoolean(Fields.DELETED)).isTrue();
    String other = UUID.randomUUID().toString();
    core.routers.set(other, "Freed-Router-1");
    JsonObject sameRouter = CoreFixture.siteBody(other, ORG, "Freed-Router-1")
        .put(Fields.IP_ADDRESS, CoreFixture.routerAddress(site));
    assertThat(core.ok(Addresses.SITE_PUT, sameRouter).getString(Fields.SITE_ID)).isEqualTo(other);

    assertThat(core.failure(Addresses.SITE_RECOVER, siteRef(site))).isEqualTo(Failure.ROUTER_ALREADY_ENROLLED);
    assertThat(listedIds(ORG)).contains(site);
  }

  @Test
  @DisplayName("a purge removes the site and its versions for good; the audit trail stays and the id is free again")
  void purge() {
    String site = core.enrol("Purged-Site-Enrolled");
    core.rotate(site);
    core.ok(Addresses.SITE_DELETE, siteRef(site));

    assertThat(core.ok(Addresses.SITE_PURGE, siteRef(site)).getBoolean(Fields.DELETED)).isTrue();
    assertThat(core.states(site)).isEmpty();
    assertThat(core.jdbc.query("SELECT id FROM sites WHERE id = ?::uuid", site)).isEmpty();
    assertThat(core.audit(site)).extracting(r -> r.get("action"))
        .contains("site.put", "credential.rotate", "site.delete", "site.purge");
    assertThat(core.failure(Addresses.SITE_PURGE, siteRef(site))).isEqualTo(Failure.SITE_NOT_FOUND);
    assertThat(core.failure(Addresses.SITE_RECOVER, siteRef(site))).isEqualTo(Failure.SITE_NOT_FOUND);
    assertThat(listedIds(ORG)).doesNotContain(site);

    core.routers.set(site, "Enrolled-Again");
    assertThat(core.ok(Addresses.SITE_PUT, CoreFixture.siteBody(site, ORG, "Enrolled-Again"))
        .getString(Fields.SITE_ID)).isEqualTo(site);
    assertThat(core.states(site)).containsExactly("CURRENT");
  }

  @Test
  @DisplayName("another organisation's deleted site is not listed, recovered nor purged; a live site is a conflict")
  void organisationsAndConflicts() {
    String site = core.enrol("Org-Test-Enrolled");
    String live = core.enrol("Live-Site-Enrolled");
    core.ok(Addresses.SITE_DELETE, siteRef(site));

    assertThat(listedIds("org-2")).doesNotContain(site);
    assertThat(core.failure(Addresses.SITE_RECOVER, ref(site, "org-2"))).isEqualTo(Failure.SITE_NOT_FOUND);
    assertThat(core.failure(Addresses.SITE_PURGE, ref(site, "org-2"))).isEqualTo(Failure.SITE_NOT_FOUND);
    assertThat(core.failure(Addresses.SITE_DELETE, ref(site, "org-2"))).isEqualTo(Failure.SITE_NOT_FOUND);
    assertThat(listedIds(ORG)).contains(site);

    assertThat(core.failure(Addresses.SITE_RECOVER, siteRef(live))).isEqualTo(Failure.SITE_EXISTS);
    assertThat(core.failure(Addresses.SITE_PURGE, siteRef(live))).isEqualTo(Failure.SITE_EXISTS);
    assertThat(core.failure(Addresses.SITE_RECOVER, ref(live, "org-2"))).isEqualTo(Failure.SITE_NOT_FOUND);
    String unknown = UUID.randomUUID().toString();
    assertThat(core.failure(Addresses.SITE_RECOVER, siteRef(unknown))).isEqualTo(Failure.SITE_NOT_FOUND);
    assertThat(core.states(live)).containsExactly("CURRENT");
  }

  @Test
  @DisplayName("deletion is refused with rotation_in_progress while a rotation or a re-push holds the site")
  void deleteWhileInFlight() {
    String site = core.enrol("In-Flight-Enrolled");
    core.stopAt = RotationStep.PENDING_COMMITTED;
    core.failure(Addresses.ROTATE, siteRef(site));
    core.stopAt = null;
    assertThat(core.count("PENDING", site)).isEqualTo(1);
    assertThat(core.failure(Addresses.SITE_DELETE, siteRef(site))).isEqualTo(Failure.ROTATION_IN_PROGRESS);
    assertThat(core.ok(Addresses.SITE_GET, siteRef(site)).getString(Fields.SITE_ID)).isEqualTo(site);

    core.expireLeases();
    core.reconcile();
    assertThat(core.count("PENDING", site)).isZero();
    core.jdbc.exec("UPDATE sites SET push_lease_until = now() + interval '1 minute' WHERE id = ?::uuid",
        UUID.fromString(site));
    assertThat(core.failure(Addresses.SITE_DELETE, siteRef(site))).isEqualTo(Failure.ROTATION_IN_PROGRESS);

    core.jdbc.exec("UPDATE sites SET push_lease_until = NULL WHERE id = ?::uuid", UUID.fromString(site));
    assertThat(core.ok(Addresses.SITE_DELETE, siteRef(site)).getBoolean(Fields.DELETED)).isTrue();
    assertThat(core.audit(site)).extracting(r -> r.get("action")).containsOnlyOnce("site.delete");
  }

  @Test
  @DisplayName("the listing is paged by site id: limit bounds a page, next_after leads to the next one")
  void paging() {
    String org = "org-pages";
    List<String> deleted = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      String site = UUID.randomUUID().toString();
      core.routers.set(site, "Paged-" + i);
      core.ok(Addresses.SITE_PUT, CoreFixture.siteBody(site, org, "Paged-" + i));
      core.ok(Addresses.SITE_DELETE, ref(site, org));
      deleted.add(site);
    }
    List<String> seen = new ArrayList<>();
    String after = null;
    int pages = 0;
    do {
      JsonObject page = list(org, after, 2);
      JsonArray sites = page.getJsonArray(Fields.DELETED_SITES);
      assertThat(sites.size()).isBetween(1, 2);
      sites.forEach(s -> seen.add(((JsonObject) s).getString(Fields.SITE_ID)));
      after = page.getString(Fields.NEXT_AFTER);
      pages++;
    } while (after != null);
    assertThat(pages).isEqualTo(3);
    assertThat(seen).isEqualTo(deleted.stream().sorted().toList());
    assertThat(list(org, null, null).getJsonArray(Fields.DELETED_SITES)).hasSize(5);
    assertThat(list(org, null, 1000).containsKey(Fields.NEXT_AFTER)).isFalse();

    for (Object bad : List.of(0, 1001, "ten")) {
      assertThat(core.failure(Addresses.DELETED_SITES_LIST, new JsonObject().put(Fields.ORG_ID, org)
          .put(Fields.LIMIT, bad))).isEqualTo(Failure.INVALID_REQUEST);
    }
    assertThat(core.failure(Addresses.DELETED_SITES_LIST, new JsonObject().put(Fields.ORG_ID, org)
        .put(Fields.AFTER, "not-a-uuid"))).isEqualTo(Failure.INVALID_REQUEST);
  }

  @Test
  @DisplayName("the reconciler leaves a deleted out_of_sync site alone, and looks at it again once it is recovered")
  void reconcilerIgnoresDeleted() {
    String site = core.enrol("Out-Of-Sync-Enrolled");
    core.jdbc.exec("UPDATE sites SET status = 'out_of_sync' WHERE id = ?::uuid", UUID.fromString(site));
    core.ok(Addresses.SITE_DELETE, siteRef(site));
    core.reconcile();
    assertThat(recheckAttempts(site)).isZero();
    assertThat(core.registry.get("cp_sites_out_of_sync").gauge().value()).isZero();

    core.ok(Addresses.SITE_RECOVER, siteRef(site));
    core.reconcile();
    // The re-check found the stored password on the router: in sync again.
    assertThat(core.ok(Addresses.SITE_GET, siteRef(site)).getString(Fields.STATUS)).isEqualTo("in_sync");
  }

  @Test
  @DisplayName("the housekeeper purges a site once its deletion is older than retention.deletedSiteDays")
  void housekeeperPurgesAfterTheWindow() {
    String old = core.enrol("Old-Deleted-Enrolled");
    String recent = core.enrol("Recent-Deleted-Enrolled");
    core.ok(Addresses.SITE_DELETE, siteRef(old));
    core.ok(Addresses.SITE_DELETE, siteRef(recent));
    core.jdbc.exec("UPDATE sites SET deleted_at = now() - interval '30 days 1 minute' WHERE id = ?::uuid",
        UUID.fromString(old));
    double before = core.registry.get("cp_housekeeping_removed_total").tag("kind", "deleted_sites").counter().count();

    assertThat(CoreFixture.await(core.verticle.housekeepNow()).removed(PurgeKind.DELETED_SITES)).isEqualTo(1);
    assertThat(core.jdbc.query("SELECT id FROM sites WHERE id = ?::uuid", UUID.fromString(old))).isEmpty();
    assertThat(core.states(old)).isEmpty();
    assertThat(core.audit(old)).extracting(r -> r.get("actor") + "/" + r.get("action"))
        .contains("housekeeper/site.purge");
    assertThat(listedIds(ORG)).contains(recent).doesNotContain(old);
    assertThat(core.registry.get("cp_housekeeping_removed_total").tag("kind", "deleted_sites").counter().count())
        .isEqualTo(before + 1);
  }

  private long recheckAttempts(String site) {
    return ((Number) core.jdbc.query("SELECT recheck_attempts FROM sites WHERE id = ?::uuid", UUID.fromString(site))
        .get(0).get("recheck_attempts")).longValue();
  }
}
