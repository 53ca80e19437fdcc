package controlplane.simulator;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** A small version of the 10,000-router target (see {@link ScaleProbe} for the real measurement). */
class ScaleSmokeTest {

  @Test
  @DisplayName("500 generated routers on consecutive addresses each accept a login")
  void fiveHundred() throws Exception {
    Fleet fleet = Fleet.fromYaml("""
        generate:
          count: 500
          firstAddress: 127.78.0.1
          port: 8728
          version: "7.15.3"
          users: [ { name: altostrat-api, group: full, password: "bootstrap" } ]
        """);
    try (SimulatorFixture sim = new SimulatorFixture(fleet, null)) {
      assertThat(sim.simulator().size()).isEqualTo(500);
      int ok = 0;
      for (SimulatedRouter r : sim.simulator().routers()) {
        try (RawClient c = RawClient.connect(r)) {
          c.login("altostrat-api", "bootstrap");
          assertThat(c.call("/system/identity/print").get(0).attributes()).containsEntry("name", r.name());
          ok++;
        }
      }
      assertThat(ok).isEqualTo(500);
      assertThat(sim.simulator().routerAt("127.78.1.244", 8728)).map(SimulatedRouter::name)
          .contains("gen-500");
      assertThat(sim.simulator().routerAt("127.78.1.244")).map(SimulatedRouter::name).contains("gen-500");
      assertThat(sim.simulator().router("gen-1").map(SimulatedRouter::address)).contains("127.78.0.1");
      List<UserSpec> users = sim.router("gen-7").users();
      assertThat(users).containsExactly(new UserSpec("altostrat-api", "full", "bootstrap"));
    }
  }
}
