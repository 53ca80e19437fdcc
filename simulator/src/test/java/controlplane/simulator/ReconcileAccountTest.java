package controlplane.simulator;

import static org.assertj.core.api.Assertions.assertThat;

import controlplane.device.protocol.Sentence;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * A reconcile account (issue 12 point 4): a second user whose group has {@code write} and {@code policy} sets the API
 * user's password by name and ends its sessions; a user without {@code policy} may not.
 */
class ReconcileAccountTest {

  private static final String FLEET = """
      routers:
        - name: reconciled
          address: 127.77.2.1
          port: 8728
          version: "7.19.1"
          users:
            - { name: altostrat-api, group: apiuser, password: "changed-by-someone" }
            - { name: cp-reconcile, group: reconcile, password: "rec-pw" }
            - { name: viewer, group: read, password: "v" }
          groups:
            - { name: apiuser, policy: "api,read,write,password" }
            - { name: reconcile, policy: "api,read,write,policy" }
      """;

  private static SimulatorFixture sim;

  @BeforeAll
  static void start() throws Exception {
    sim = SimulatorFixture.start(FLEET);
  }

  @AfterAll
  static void stop() throws Exception {
    sim.close();
  }

  private static RawClient connect() throws Exception {
    return RawClient.connect(sim.router("reconciled"));
  }

  @Test
  @DisplayName("the reconcile user sets the API user's password by name and removes its sessions")
  void setsAnotherUsersPassword() throws Exception {
    try (RawClient stale = connect().login("altostrat-api", "changed-by-someone");
         RawClient c = connect().login("cp-reconcile", "rec-pw")) {
      assertThat(c.call("/user/set", "=numbers=altostrat-api", "=password=fresh-1").get(0).head()).isEqualTo("!done");
      List<Sentence> sessions = c.call("/user/active/print", "?name=altostrat-api");
      List<Sentence> rows = sessions.stream().filter(s -> s.head().equals("!re")).toList();
      assertThat(rows).isNotEmpty();
      for (Sentence row : rows) {
        assertThat(c.call("/user/active/remove", "=.id=" + row.attributes().get(".id")).get(0).head())
            .isEqualTo("!done");
      }
      assertThat(c.call("/user/active/print", "?name=altostrat-api").stream()
          .filter(s -> s.head().equals("!re"))).isEmpty();
      try (RawClient fresh = connect()) {
        fresh.login("altostrat-api", "fresh-1");
      }
      assertThat(sim.router("reconciled").user("altostrat-api").orElseThrow().password()).isEqualTo("fresh-1");
    }
  }

  @Test
  @DisplayName("a user without the policy policy may not set another user's password")
  void refusedWithoutPolicy() throws Exception {
    try (RawClient c = connect().login("viewer", "v")) {
      assertThat(c.call("/user/set", "=numbers=altostrat-api", "=password=nope").get(0).attributes().get("message"))
          .isEqualTo("not enough permissions");
    }
    assertThat(sim.router("reconciled").user("altostrat-api").orElseThrow().password()).isNotEqualTo("nope");
  }
}
