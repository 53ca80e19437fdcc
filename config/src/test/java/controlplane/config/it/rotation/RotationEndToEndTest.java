package controlplane.config.it.rotation;

import static controlplane.config.it.rotation.Stack.await;
import static org.assertj.core.api.Assertions.assertThat;

import controlplane.core.bus.Failure;
import controlplane.core.bus.Fields;
import controlplane.core.testing.Jdbc;
import controlplane.core.testing.TestDatabase;
import controlplane.simulator.Faults;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Rotations through core, the device-push verticle and the simulator on a real PostgreSQL. */
class RotationEndToEndTest {

  private static final String FLEET = """
      routers:
      %s
      """.formatted(routers());

  private static String routers() {
    StringBuilder sb = new StringBuilder();
    String[] versions = {"6.48.6", "7.15.3", "7.19.1"};
    for (int i = 1; i <= 8; i++) {
      sb.append("""
            - name: e%d
              address: 127.6.0.%d
              port: 28728
              version: "%s"
              login: %s
              identity: e%d
              users:
                - { name: admin, group: full, password: "" }
                - { name: altostrat-api, group: full, password: "boot-%d" }
          """.formatted(i, i, versions[i % 3], i % 3 == 0 ? "legacy" : "plain", i, i));
    }
    sb.append("""
          - name: atrest
            address: 127.6.0.11
            port: 28728
            version: "7.19.1"
            login: plain
            identity: atrest
            users:
              - { name: altostrat-api, group: full, password: "boot-11" }
          - name: flaky
            address: 127.6.0.10
            port: 28728
            version: "7.19.1"
            login: plain
            identity: flaky
            users:
              - { name: altostrat-api, group: full, password: "boot-10" }
          - name: selfservice
            address: 127.6.0.9
            port: 28728
            version: "7.15.3"
            login: plain
            identity: selfservice
            groups: [ { name: apiuser, policy: "api,read,write,password" } ]
            users:
              - { name: altostrat-api, group: apiuser, password: "boot-9" }
        """);
    return sb.toString();
  }

  @TempDir
  static Path dataDir;
  private static Stack stack;
  private static Jdbc db;
  /** Every password seen during the suite, for the plaintext check at the end. */
  private static final Set<String> passwords = new HashSet<>();

  @BeforeAll
  static void start() throws Exception {
    // The reconciler runs only when a test asks (settle), so that each test controls what the router does meanwhile.
    stack = new Stack(FLEET, dataDir, Map.of("reconciler.intervalMs", 3_600_000));
    db = new Jdbc(stack.databaseUrl);
    for (int i = 1; i <= 8; i++) {
      passwords.add("boot-" + i);
    }
    passwords.add("boot-11");
  }

  @AfterAll
  static void stop() throws Exception {
    stack.close();
  }

  @AfterEach
  void clearFaults() throws Exception {
    for (int i = 1; i <= 8; i++) {
      await(stack.router("e" + i).faults(Faults.NONE));
    }
  }

  private JsonObject rotate(String siteId) throws Exception {
    JsonObject c = await(stack.rotate(siteId));
    passwords.add(c.getString(Fields.PASSWORD));
    return c;
  }

  private Failure rotationFailure(String siteId) throws Exception {
    return await(stack.rotate(siteId).map(c -> {
      passwords.add(c.getString(Fields.PASSWORD));
      return (Failure) null;
    }).otherwise(Failure::of));
  }

  private String state(String versionId) {
    return (String) db.query("SELECT state FROM credential_versions WHERE id = ?", UUID.fromString(versionId))
        .get(0).get("state");
  }

  private long pendingCount(String siteId) {
    return db.query("SELECT id FROM credential_versions WHERE site_id = ? AND state = 'PENDING'",
        UUID.fromString(siteId)).size();
  }

  /** Runs the reconciler until the site has no PENDING version (bounded). */
  private void settle(String siteId) throws Exception {
    Instant deadline = Instant.now().plus(Duration.ofSeconds(30));
    while (pendingCount(siteId) > 0 && Instant.now().isBefore(deadline)) {
      Thread.sleep(300);
      await(stack.core.reconcileNow());
    }
    assertThat(pendingCount(siteId)).as("PENDING versions left").isZero();
  }

  @Test
  @DisplayName("a rotation changes the router's password; the stored current opens to it; the old one is refused"
      + " and marked invalidated")
  void rotationChangesTheRouter() throws Exception {
    String site = stack.enrol("e1");
    JsonObject before = stack.current(site);
    JsonObject rotated = rotate(site);

    assertThat(rotated.getString(Fields.PASSWORD)).hasSize(32).isNotEqualTo("boot-1");
    assertThat(stack.routerPassword("e1")).isEqualTo(rotated.getString(Fields.PASSWORD));
    JsonObject stored = stack.current(site);
    assertThat(stored.getString(Fields.ID)).isEqualTo(rotated.getString(Fields.ID));
    assertThat(stack.logsIn("e1", stored.getString(Fields.PASSWORD))).isTrue();
    assertThat(stack.logsIn("e1", "boot-1")).isFalse();
    Map<String, Object> old = db.query("SELECT state, invalidated_at FROM credential_versions WHERE id = ?",
        UUID.fromString(before.getString(Fields.ID))).get(0);
    assertThat(old.get("state")).isEqualTo("PREVIOUS");
    assertThat(old.get("invalidated_at")).isNotNull();
  }

  @Test
  @DisplayName("rotations work on legacy-login (6.x) and 7.18+ routers alike")
  void everyVersion() throws Exception {
    for (String r : List.of("e2", "e3")) {
      String site = stack.enrol(r);
      JsonObject c = rotate(site);
      assertThat(stack.logsIn(r, c.getString(Fields.PASSWORD))).as(r).isTrue();
    }
  }

  @Test
  @DisplayName("the connection closes right after /user/set BEFORE it is applied: unknown, then the reconciler"
      + " keeps the old password")
  void droppedBeforeApply() throws Exception {
    String site = stack.enrol("e4");
    String currentId = stack.current(site).getString(Fields.ID);
    await(stack.router("e4").faults(Faults.NONE.withCloseAfterCommand("/user/set", Faults.Phase.BEFORE_APPLY)));

    assertThat(rotationFailure(site)).isEqualTo(Failure.DEVICE_OUTCOME_UNKNOWN);
    assertThat(pendingCount(site)).isEqualTo(1);
    await(stack.router("e4").faults(Faults.NONE));
    settle(site);

    JsonObject stored = stack.current(site);
    assertThat(stored.getString(Fields.ID)).isEqualTo(currentId);
    assertThat(stored.getString(Fields.PASSWORD)).isEqualTo("boot-4");
    assertThat(stack.logsIn("e4", stored.getString(Fields.PASSWORD))).isTrue();
  }

  @Test
  @DisplayName("the connection closes right after /user/set AFTER it is applied: unknown, then the reconciler"
      + " promotes the new password")
  void droppedAfterApply() throws Exception {
    String site = stack.enrol("e5");
    String currentId = stack.current(site).getString(Fields.ID);
    await(stack.router("e5").faults(Faults.NONE.withCloseAfterCommand("/user/set", Faults.Phase.AFTER_APPLY)));

    assertThat(rotationFailure(site)).isEqualTo(Failure.DEVICE_OUTCOME_UNKNOWN);
    String onRouter = stack.routerPassword("e5");
    passwords.add(onRouter);
    assertThat(onRouter).isNotEqualTo("boot-5");
    await(stack.router("e5").faults(Faults.NONE));
    settle(site);

    JsonObject stored = stack.current(site);
    assertThat(stored.getString(Fields.ID)).isNotEqualTo(currentId);
    assertThat(stored.getString(Fields.PASSWORD)).isEqualTo(onRouter);
    assertThat(stack.logsIn("e5", onRouter)).isTrue();
    assertThat(state(currentId)).isEqualTo("PREVIOUS");
  }

  @Test
  @DisplayName("a router that took the new password, then refused every login while the reconciler looked, is"
      + " marked out_of_sync, and comes back in sync by itself once it accepts logins again")
  void outOfSyncHeals() throws Exception {
    String site = stack.enrol("flaky");
    passwords.add("boot-10");
    await(stack.router("flaky").faults(Faults.NONE.withCloseAfterCommand("/user/set", Faults.Phase.AFTER_APPLY)));
    assertThat(rotationFailure(site)).isEqualTo(Failure.DEVICE_OUTCOME_UNKNOWN);
    String onRouter = stack.routerPassword("flaky");
    passwords.add(onRouter);

    await(stack.router("flaky").faults(Faults.NONE.withRejectLogins(true)));
    settle(site);
    assertThat(siteStatus(site)).isEqualTo("out_of_sync");
    assertThat(stack.current(site).getString(Fields.PASSWORD)).as("not guessed at").isEqualTo("boot-10");

    await(stack.router("flaky").faults(Faults.NONE));
    Instant deadline = Instant.now().plus(Duration.ofSeconds(45));
    while (!siteStatus(site).equals("in_sync") && Instant.now().isBefore(deadline)) {
      Thread.sleep(300); // re-checks back off from the lease (9 s here)
      await(stack.core.reconcileNow());
    }
    assertThat(siteStatus(site)).isEqualTo("in_sync");
    JsonObject stored = stack.current(site);
    assertThat(stored.getString(Fields.PASSWORD)).isEqualTo(onRouter);
    assertThat(stack.logsIn("flaky", stored.getString(Fields.PASSWORD))).isTrue();
  }

  private String siteStatus(String siteId) {
    return (String) db.query("SELECT status FROM sites WHERE id = ?", UUID.fromString(siteId)).get(0).get("status");
  }

  @Test
  @DisplayName("an API user whose group lacks the 'policy' policy rotates its own password with /password")
  void withoutPolicyPolicy() throws Exception {
    String site = stack.enrol("selfservice");
    passwords.add("boot-9");
    JsonObject c = rotate(site);
    assertThat(stack.routerPassword("selfservice")).isEqualTo(c.getString(Fields.PASSWORD));
    assertThat(stack.logsIn("selfservice", c.getString(Fields.PASSWORD))).isTrue();
    assertThat(stack.logsIn("selfservice", "boot-9")).isFalse();
  }

  @Test
  @DisplayName("router unreachable, refusing logins, or too slow: each gives its failure and the current"
      + " credential keeps working")
  void classifiedFailures() throws Exception {
    String site = stack.enrol("e6");
    JsonObject current = stack.current(site);

    await(stack.router("e6").faults(Faults.NONE.withRefuseConnections(true)));
    assertThat(rotationFailure(site)).isEqualTo(Failure.DEVICE_UNREACHABLE);
    await(stack.router("e6").faults(Faults.NONE.withRejectLogins(true)));
    assertThat(rotationFailure(site)).isEqualTo(Failure.DEVICE_REJECTED_CREDENTIALS);
    assertThat(siteStatus(site)).as("every known password refused").isEqualTo("out_of_sync");
    await(stack.router("e6").faults(Faults.NONE));
    Instant deadline = Instant.now().plus(Duration.ofSeconds(45));
    while (!siteStatus(site).equals("in_sync") && Instant.now().isBefore(deadline)) {
      Thread.sleep(300);
      await(stack.core.reconcileNow());
    }
    assertThat(siteStatus(site)).as("re-checked once logins work again").isEqualTo("in_sync");
    await(stack.router("e6").faults(Faults.NONE.withDelayMs(5_000)));
    assertThat(rotationFailure(site)).isEqualTo(Failure.DEVICE_TIMEOUT);
    await(stack.router("e6").faults(Faults.NONE));

    assertThat(pendingCount(site)).isZero();
    assertThat(stack.current(site).getString(Fields.ID)).isEqualTo(current.getString(Fields.ID));
    assertThat(stack.logsIn("e6", current.getString(Fields.PASSWORD))).isTrue();
    assertThat(stack.routerPassword("e6")).isEqualTo("boot-6");
  }

  @Test
  @DisplayName("twenty concurrent rotations of one site run one at a time and end consistent; other sites rotate"
      + " in parallel")
  void concurrency() throws Exception {
    String one = stack.enrol("e7");
    String other = stack.enrol("e8");
    await(stack.router("e7").faults(Faults.NONE.withDelayMs(50)));
    List<Future<JsonObject>> attempts = new ArrayList<>();
    for (int i = 0; i < 20; i++) {
      attempts.add(stack.rotate(one));
    }
    Future<JsonObject> parallel = stack.rotate(other);
    List<Object> outcomes = new ArrayList<>();
    for (Future<JsonObject> f : attempts) {
      outcomes.add(await(f.map(c -> {
        passwords.add(c.getString(Fields.PASSWORD));
        return (Object) c;
      }).otherwise(Failure::of)));
    }
    JsonObject otherRotated = await(parallel);
    passwords.add(otherRotated.getString(Fields.PASSWORD));

    List<JsonObject> applied = outcomes.stream().filter(o -> o instanceof JsonObject).map(o -> (JsonObject) o)
        .toList();
    assertThat(applied).isNotEmpty();
    assertThat(outcomes).filteredOn(o -> !(o instanceof JsonObject)).containsOnly(Failure.ROTATION_IN_PROGRESS);
    // At most one PENDING existed at any time: the index forbids more, and every winner was promoted in turn.
    assertThat(pendingCount(one)).isZero();
    JsonObject stored = stack.current(one);
    assertThat(applied).extracting(c -> c.getString(Fields.ID)).contains(stored.getString(Fields.ID));
    assertThat(stack.routerPassword("e7")).isEqualTo(stored.getString(Fields.PASSWORD));
    assertThat(stack.logsIn("e8", otherRotated.getString(Fields.PASSWORD))).isTrue();
  }

  @Test
  @DisplayName("a dump of every table contains none of the passwords used (run last)")
  @org.junit.jupiter.api.Order(Integer.MAX_VALUE)
  void noPlaintextAtRest() throws Exception {
    // A router of its own: a router is enrolled under one site id only, and e1's is rotationChangesTheRouter's.
    String site = stack.enrol("atrest");
    rotate(site);
    String dump = TestDatabase.dumpAllTables(stack.databaseUrl);
    assertThat(dump).contains("CURRENT");
    for (String p : passwords) {
      assertThat(dump).as("a stored password").doesNotContain(p);
    }
  }
}
