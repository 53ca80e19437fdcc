package controlplane.simulator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class FleetYamlTest {

  /** The example of the issue, verbatim. */
  private static final String ISSUE_EXAMPLE = """
      routers:
        - name: r1
          address: 127.0.0.1        # each router listens on its own address:port
          port: 18728
          version: "7.15.3"
          login: plain               # or legacy
          identity: r1
          users:
            - { name: admin, group: full, password: "" }
            - { name: altostrat-api, group: full, password: "bootstrap-1" }
          faults: { delayMs: 0 }     # optional
      generate:                      # optional: many identical routers
        count: 10000
        firstAddress: 127.1.0.1      # consecutive loopback addresses, same port
        port: 8728
        version: "7.15.3"
        users: [ { name: altostrat-api, group: full, password: "bootstrap" } ]
      """;

  @Test
  @DisplayName("the issue's example parses: one listed router and 10,000 generated on consecutive addresses")
  void issueExample() {
    Fleet fleet = Fleet.fromYaml(ISSUE_EXAMPLE);
    assertThat(fleet.routers()).hasSize(1);
    RouterSpec r1 = fleet.routers().get(0);
    assertThat(r1.name()).isEqualTo("r1");
    assertThat(r1.address()).isEqualTo("127.0.0.1");
    assertThat(r1.port()).isEqualTo(18728);
    assertThat(r1.version()).isEqualTo("7.15.3");
    assertThat(r1.login()).isEqualTo(LoginStyle.PLAIN);
    assertThat(r1.identity()).isEqualTo("r1");
    assertThat(r1.users()).containsExactly(new UserSpec("admin", "full", ""),
        new UserSpec("altostrat-api", "full", "bootstrap-1"));
    assertThat(r1.faults()).isEqualTo(Faults.NONE);

    List<RouterSpec> all = fleet.allRouters();
    assertThat(all).hasSize(10_001);
    assertThat(all.get(1).address()).isEqualTo("127.1.0.1");
    assertThat(all.get(255).address()).isEqualTo("127.1.0.255");
    assertThat(all.get(256).address()).isEqualTo("127.1.1.0");
    assertThat(all.get(10_000).address()).isEqualTo("127.1.39.16");
    assertThat(all.get(10_000).name()).isEqualTo("gen-10000");
    assertThat(all.get(5).port()).isEqualTo(8728);
    assertThat(all.get(5).users()).containsExactly(new UserSpec("altostrat-api", "full", "bootstrap"));
    // Generated routers share one user list rather than copying it 10,000 times.
    assertThat(all.get(5).users()).isSameAs(all.get(6).users());
  }

  @Test
  @DisplayName("every fault, legacy login, extra groups and api-ssl are read")
  void everything() {
    Fleet fleet = Fleet.fromYaml("""
        routers:
          - name: old
            address: 127.0.0.2
            port: 1
            apiSslPort: 2
            version: 6.48.6
            login: legacy
            users: [ { name: u, group: ops, password: 12345, address: "10.0.0.0/8", disabled: true } ]
            groups: [ { name: ops, policy: "api,read,password" } ]
            faults:
              refuseConnections: true
              neverAnswer: true
              delayMs: 250
              closeAfterCommand: { command: /user/set, when: afterApply }
              rejectLogins: true
        """);
    RouterSpec r = fleet.routers().get(0);
    assertThat(r.login()).isEqualTo(LoginStyle.LEGACY);
    assertThat(r.apiSslPort()).isEqualTo(2);
    assertThat(r.identity()).isEqualTo("old");
    assertThat(r.users()).containsExactly(new UserSpec("u", "ops", "12345", "10.0.0.0/8", true));
    assertThat(r.groups()).containsExactly(new GroupSpec("ops", java.util.Set.of("api", "read", "password")));
    assertThat(r.faults()).isEqualTo(new Faults(true, true, 250,
        new Faults.CloseAfterCommand("/user/set", Faults.Phase.AFTER_APPLY), true));
    assertThat(fleet.generate()).isNull();
  }

  @Test
  @DisplayName("unknown keys, duplicate names and bad values are rejected with the place named")
  void rejects() {
    assertThatThrownBy(() -> Fleet.fromYaml("routers: [ { name: a, adress: 127.0.0.1 } ]"))
        .hasMessageContaining("router a").hasMessageContaining("adress");
    assertThatThrownBy(() -> Fleet.fromYaml("routers: [ { name: a, port: 1 }, { name: a, port: 2 } ]"))
        .hasMessageContaining("duplicate router name a");
    assertThatThrownBy(() -> Fleet.fromYaml("routers: [ { name: a, login: fancy } ]"))
        .hasMessageContaining("plain or legacy");
    assertThatThrownBy(() -> Fleet.fromYaml("generate: { count: 2, firstAddress: 300.1.1.1 }"))
        .hasMessageContaining("300.1.1.1");
    assertThatThrownBy(() -> Fleet.fromYaml("routers: [ { name: a, faults: { slow: true } } ]"))
        .hasMessageContaining("slow");
  }

  @Test
  @DisplayName("the demo fleet: r1..r4, ports 18728..18731, 6.48.6 legacy, 7.15.3, 7.19.1, 7.19.1, bootstrap passwords")
  void demo() {
    List<RouterSpec> routers = Fleet.demo().allRouters();
    assertThat(routers).extracting(RouterSpec::name).containsExactly("r1", "r2", "r3", "r4");
    assertThat(routers).extracting(RouterSpec::port).containsExactly(18728, 18729, 18730, 18731);
    assertThat(routers).extracting(RouterSpec::version).containsExactly("6.48.6", "7.15.3", "7.19.1", "7.19.1");
    assertThat(routers).extracting(RouterSpec::login)
        .containsExactly(LoginStyle.LEGACY, LoginStyle.PLAIN, LoginStyle.PLAIN, LoginStyle.PLAIN);
    assertThat(routers).allMatch(r -> r.address().equals("127.0.0.1"));
    for (int i = 0; i < 4; i++) {
      assertThat(routers.get(i).users()).containsExactly(new UserSpec("admin", "full", ""),
          new UserSpec("altostrat-api", "full", "bootstrap-" + (i + 1)));
    }
  }

  @Test
  @DisplayName("a UserSpec never prints its password")
  void noPasswordInToString() {
    assertThat(new UserSpec("u", "full", "s3cret").toString()).doesNotContain("s3cret");
  }
}
