package controlplane.core.rotation;

import static org.assertj.core.api.Assertions.assertThat;

import controlplane.core.CoreConfig;
import controlplane.core.bus.Addresses;
import controlplane.core.bus.Failure;
import controlplane.core.bus.Fields;
import controlplane.core.bus.RateLimit;
import controlplane.core.network.IpLiterals;
import controlplane.core.network.NetworkRule;
import controlplane.core.testing.TestDatabase;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import java.net.InetAddress;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * What enrolment checks before any router is contacted (rate, address, site id, router), and the address check of
 * every later dial. The scripted routers count what reaches them: a refused request reaches none.
 */
@ExtendWith(VertxExtension.class)
class EnrolmentGuardsTest {

  private static String dbUrl;

  @BeforeAll
  static void database() {
    dbUrl = TestDatabase.freshDatabase();
  }

  private static CoreConfig.Enrolment enrolment(List<String> denied, int ratePerMinute) {
    return new CoreConfig.Enrolment(denied, List.of(), ratePerMinute);
  }

  private static JsonObject body(String siteId, String org, String password, String ipAddress) {
    return CoreFixture.siteBody(siteId, org, password).put(Fields.IP_ADDRESS, ipAddress);
  }

  /** The failure of a request that must fail, with its message. */
  private static Throwable failure(CoreFixture core, JsonObject body) {
    try {
      JsonObject unexpected = CoreFixture.await(core.send(Addresses.SITE_PUT, body));
      throw new AssertionError("expected a failure, got " + unexpected);
    } catch (RuntimeException e) {
      return e;
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"127.0.0.1", "127.1.2.3", "::1", "[::1]", "::ffff:127.0.0.1", "0.0.0.0", "169.254.169.254",
      "fe80::1", "224.0.0.251", "ff02::1", "localhost", "2130706433"})
  @DisplayName("production defaults: a loopback, link-local, unspecified or multicast target, by address or by a name "
      + "that resolves to one, is target_not_allowed and no router is asked")
  void deniedTargets(String target, Vertx vertx) {
    CoreFixture core = new CoreFixture(vertx, dbUrl, 2_000).start();
    String site = UUID.randomUUID().toString();
    core.routers.set(site, "Denied-Target-1");

    Throwable refused = failure(core, body(site, CoreFixture.ORG, "Denied-Target-1", target));

    assertThat(Failure.of(refused)).isEqualTo(Failure.TARGET_NOT_ALLOWED);
    assertThat(refused.getMessage()).isEqualTo("the target address is not allowed for enrolment");
    assertThat(core.routers.probes).hasValue(0);
    // Without verify too: nothing is stored.
    assertThat(core.failure(Addresses.SITE_PUT, body(site, CoreFixture.ORG, "x", target).put(Fields.VERIFY, false)))
        .isEqualTo(Failure.TARGET_NOT_ALLOWED);
    assertThat(core.failure(Addresses.SITE_GET, CoreFixture.siteRef(site))).isEqualTo(Failure.SITE_NOT_FOUND);
  }

  @Test
  @DisplayName("a host's own interface addresses are denied; allowed networks, when set, are the only ones")
  void hostAddressesAndAllowList(Vertx vertx) {
    List<InetAddress> own = NetworkRule.hostAddresses();
    CoreFixture core = new CoreFixture(vertx, dbUrl, 2_000,
        new CoreConfig.Enrolment(NetworkRule.PRODUCTION_DENIED, List.of("198.18.0.0/15"), 0)).start();
    String site = UUID.randomUUID().toString();
    core.routers.set(site, "Allow-List-1");
    for (InetAddress a : own) {
      assertThat(core.failure(Addresses.SITE_PUT, body(site, CoreFixture.ORG, "Allow-List-1",
          IpLiterals.format(a)))).isEqualTo(Failure.TARGET_NOT_ALLOWED);
    }
    assertThat(core.failure(Addresses.SITE_PUT, body(site, CoreFixture.ORG, "Allow-List-1", "203.0.113.10")))
        .isEqualTo(Failure.TARGET_NOT_ALLOWED);
    assertThat(core.routers.probes).hasValue(0);
    core.ok(Addresses.SITE_PUT, CoreFixture.siteBody(site, CoreFixture.ORG, "Allow-List-1"));
    assertThat(core.routers.probes).hasValue(1);
  }

  @Test
  @DisplayName("a host name is resolved once: the address checked is the one the device dials and the one stored")
  void nameResolvedOnce(Vertx vertx) {
    CoreFixture core = new CoreFixture(vertx, dbUrl, 2_000, enrolment(NetworkRule.EMBEDDED_DENIED, 0)).start();
    String site = UUID.randomUUID().toString();
    core.routers.set(site, "By-Name-1");

    JsonObject enrolled = core.ok(Addresses.SITE_PUT, body(site, CoreFixture.ORG, "By-Name-1", "localhost"));

    assertThat(enrolled.getString(Fields.IP_ADDRESS)).isIn("127.0.0.1", "::1");
    assertThat(core.routers.hosts).containsExactly(enrolled.getString(Fields.IP_ADDRESS));
    core.rotate(site);
    assertThat(core.routers.hosts).containsExactly(enrolled.getString(Fields.IP_ADDRESS));
  }

  @Test
  @DisplayName("a name that does not resolve is device_unreachable, and nothing is dialled")
  void unresolvable(Vertx vertx) {
    CoreFixture core = new CoreFixture(vertx, dbUrl, 2_000).start();
    String site = UUID.randomUUID().toString();
    assertThat(core.failure(Addresses.SITE_PUT, body(site, CoreFixture.ORG, "x", "no-such-router.invalid")))
        .isEqualTo(Failure.DEVICE_UNREACHABLE);
    assertThat(core.routers.probes).hasValue(0);
  }

  @Test
  @DisplayName("a router enrolled under one site id is router_already_enrolled under any other, in any organisation, "
      + "before it is contacted; the same site id may update it")
  void oneRouterOneEnrolment(Vertx vertx) {
    CoreFixture core = new CoreFixture(vertx, dbUrl, 2_000).start();
    String first = core.enrol("One-Router-1");
    JsonObject router = CoreFixture.siteBody(first, CoreFixture.ORG, "One-Router-1");
    int probes = core.routers.probes.get();

    for (String org : List.of(CoreFixture.ORG, "org-2")) {
      String second = UUID.randomUUID().toString();
      core.routers.set(second, "One-Router-1");
      Throwable refused = failure(core, router.copy().put(Fields.SITE_ID, second).put(Fields.ORG_ID, org));
      assertThat(Failure.of(refused)).isEqualTo(Failure.ROUTER_ALREADY_ENROLLED);
      assertThat(refused.getMessage()).isEqualTo("this router is already enrolled").doesNotContain(first);
      assertThat(core.failure(Addresses.SITE_PUT, router.copy().put(Fields.SITE_ID, second).put(Fields.ORG_ID, org)
          .put(Fields.VERIFY, false))).isEqualTo(Failure.ROUTER_ALREADY_ENROLLED);
    }
    assertThat(core.routers.probes).hasValue(probes);

    // The same site again, the same router: an update.
    core.ok(Addresses.SITE_PUT, router);
    // Another user on the same address and port is another router.
    String other = UUID.randomUUID().toString();
    core.routers.set(other, "One-Router-1");
    core.ok(Addresses.SITE_PUT, router.copy().put(Fields.SITE_ID, other).put(Fields.USERNAME, "another-api"));
    // An existing site moved onto a router another site holds is refused too (by the pre-check or the index).
    assertThat(core.failure(Addresses.SITE_PUT, router.copy().put(Fields.SITE_ID, other))).isEqualTo(
        Failure.ROUTER_ALREADY_ENROLLED);
  }

  @Test
  @DisplayName("two enrolments of one router that race past the check: the unique index lets one in, the other is "
      + "router_already_enrolled")
  void race(Vertx vertx) throws Exception {
    CoreFixture core = new CoreFixture(vertx, dbUrl, 2_000).start();
    String a = UUID.randomUUID().toString();
    String b = UUID.randomUUID().toString();
    core.routers.set(a, "Race-1");
    core.routers.set(b, "Race-1");
    JsonObject router = CoreFixture.siteBody(a, CoreFixture.ORG, "Race-1");
    Promise<Void> release = Promise.promise();
    core.routers.holdProbes = release.future();

    Future<JsonObject> first = core.send(Addresses.SITE_PUT, router);
    Future<JsonObject> second = core.send(Addresses.SITE_PUT, router.copy().put(Fields.SITE_ID, b)
        .put(Fields.ORG_ID, "org-2"));
    while (core.routers.probes.get() < 2) {
      Thread.sleep(10); // both passed the check and wait at the probe
    }
    release.complete();
    CoreFixture.await(Future.join(first, second).otherwiseEmpty());

    assertThat(List.of(first.succeeded(), second.succeeded())).containsExactlyInAnyOrder(true, false);
    Future<JsonObject> loser = first.failed() ? first : second;
    assertThat(Failure.of(loser.cause())).isEqualTo(Failure.ROUTER_ALREADY_ENROLLED);
  }

  @Test
  @DisplayName("another organisation's site id is site_not_found before any router is contacted")
  void ownershipFirst(Vertx vertx) {
    CoreFixture core = new CoreFixture(vertx, dbUrl, 2_000).start();
    String site = core.enrol("Owned-1");
    int probes = core.routers.probes.get();
    JsonObject theirs = CoreFixture.siteBody(site, "org-2", "Owned-1").put(Fields.IP_ADDRESS, "198.19.250.1");
    assertThat(core.failure(Addresses.SITE_PUT, theirs)).isEqualTo(Failure.SITE_NOT_FOUND);
    assertThat(core.routers.probes).hasValue(probes);
  }

  @Test
  @DisplayName("over enrolment.ratePerMinute an organisation is rate_limited, with a wait, before anything else; "
      + "other organisations are not")
  void rateLimited(Vertx vertx) {
    CoreFixture core = new CoreFixture(vertx, dbUrl, 2_000, enrolment(NetworkRule.PRODUCTION_DENIED, 2)).start();
    core.enrol("Rate-1");
    core.enrol("Rate-2");
    int probes = core.routers.probes.get();
    String third = UUID.randomUUID().toString();
    core.routers.set(third, "Rate-3");

    Throwable limited = failure(core, CoreFixture.siteBody(third, CoreFixture.ORG, "Rate-3"));

    assertThat(Failure.of(limited)).isEqualTo(Failure.RATE_LIMITED);
    assertThat(RateLimit.retryAfterSeconds(limited.getMessage())).isBetween(1L, 30L);
    // Even a request that would be refused anyway counts no further and contacts nothing.
    assertThat(core.failure(Addresses.SITE_PUT, body(third, CoreFixture.ORG, "x", "127.0.0.1")))
        .isEqualTo(Failure.RATE_LIMITED);
    assertThat(core.routers.probes).hasValue(probes);
    core.ok(Addresses.SITE_PUT, CoreFixture.siteBody(third, "org-2", "Rate-3"));
  }

  @Test
  @DisplayName("a stored site whose address is now denied (or whose name now resolves to one) is never dialled: the "
      + "rotation is target_not_allowed and its pending version FAILED")
  void deniedAtDial(Vertx vertx) {
    CoreFixture core = new CoreFixture(vertx, dbUrl, 2_000).start();
    for (String address : List.of("127.0.0.1", "localhost")) {
      String site = UUID.randomUUID().toString();
      // A site enrolled before the check existed, or under a rule since tightened.
      core.jdbc.exec("INSERT INTO sites (id, org_id, username, ip_address, api_port, server_ip) VALUES (?::uuid, ?,"
          + " 'api', ?, 8728, 'edge-1')", site, CoreFixture.ORG, address);

      assertThat(core.failure(Addresses.ROTATE, CoreFixture.siteRef(site))).isEqualTo(Failure.TARGET_NOT_ALLOWED);
      assertThat(core.states(site)).containsExactly("FAILED");
      assertThat(core.audit(site)).extracting(r -> r.get("outcome") + " " + r.get("detail"))
          .contains("not_applied target_not_allowed: not dialled: the target address is not allowed for enrolment");
    }
    assertThat(core.routers.applies).hasValue(0);
    assertThat(core.routers.probes).hasValue(0);
  }
}
