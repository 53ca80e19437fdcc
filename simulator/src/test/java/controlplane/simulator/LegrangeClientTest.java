package controlplane.simulator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import javax.net.SocketFactory;
import me.legrange.mikrotik.ApiConnection;
import me.legrange.mikrotik.MikrotikApiException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * A third-party client, {@code me.legrange:mikrotik} 3.0.7, against a simulated 7.15 router (which, like a real one,
 * sends no {@code !empty}: this client does not know that word).
 */
class LegrangeClientTest {

  private static SimulatorFixture sim;
  private static SimulatedRouter router;

  @BeforeAll
  static void start() throws Exception {
    sim = SimulatorFixture.start("""
        routers:
          - name: r715
            address: 127.77.3.1
            port: 8728
            version: "7.15.3"
            users:
              - { name: admin, group: full, password: "" }
              - { name: altostrat-api, group: full, password: "bootstrap" }
          - name: r6
            address: 127.77.3.2
            port: 8728
            version: "6.40"
            login: legacy
            users: [ { name: admin, group: full, password: "old-school" } ]
        """);
    router = sim.router("r715");
  }

  @AfterAll
  static void stop() throws Exception {
    sim.close();
  }

  private static ApiConnection connect(SimulatedRouter r) throws MikrotikApiException {
    ApiConnection c = ApiConnection.connect(SocketFactory.getDefault(), r.address(), r.port(), 5000);
    c.setTimeout(10_000);
    return c;
  }

  @Test
  @DisplayName("login, /user/print, and a password change that the router then enforces")
  void loginPrintAndChangePassword() throws Exception {
    try (ApiConnection c = connect(router)) {
      c.login("altostrat-api", "bootstrap");
      List<Map<String, String>> rows = c.execute("/user/print where name=altostrat-api");
      assertThat(rows).hasSize(1);
      assertThat(rows.get(0)).containsEntry("name", "altostrat-api").containsEntry("group", "full")
          .doesNotContainKey("password");
      String id = rows.get(0).get(".id");
      c.execute("/user/set .id=" + id + " password=changed-by-legrange");
      // The session that made the change still works.
      List<Map<String, String>> identity = c.execute("/system/identity/print");
      assertThat(identity).hasSize(1);
      assertThat(identity.get(0)).containsEntry("name", "r715");
    }
    try (ApiConnection c = connect(router)) {
      c.login("altostrat-api", "changed-by-legrange");
    }
    try (ApiConnection c = connect(router)) {
      assertThatThrownBy(() -> c.login("altostrat-api", "bootstrap")).isInstanceOf(MikrotikApiException.class)
          .hasMessageContaining("invalid user name or password");
    }
    assertThat(router.user("altostrat-api").orElseThrow().password()).isEqualTo("changed-by-legrange");
  }

  @Test
  @DisplayName("its legacy fallback logs in to a pre-6.43 router through the challenge")
  void legacyLogin() throws Exception {
    try (ApiConnection c = connect(sim.router("r6"))) {
      c.login("admin", "old-school");
      assertThat(c.execute("/system/resource/print").get(0)).containsEntry("version", "6.40 (stable)");
    }
  }

  @Test
  @DisplayName("an unknown command comes back as its exception with the router's message")
  void trap() throws Exception {
    try (ApiConnection c = connect(router)) {
      c.login("admin", "");
      assertThatThrownBy(() -> c.execute("/user/frobnicate")).isInstanceOf(MikrotikApiException.class)
          .hasMessageContaining("no such command");
    }
  }
}
