package controlplane.simulator;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class SimulatorConfigTest {

  @Test
  @DisplayName("defaults: enabled, the demo fleet, the state file under dataDir")
  void defaults() throws Exception {
    SimulatorConfig c = SimulatorConfig.fromJson(new JsonObject()
        .put("dataDir", "/var/cp").put("simulator", new JsonObject().put("enabled", true).putNull("fleetFile")
            .putNull("stateFile")));
    assertThat(c).isEqualTo(new SimulatorConfig(true, null, Path.of("/var/cp", "simulator-state.json")));
    assertThat(c.loadFleet()).isEqualTo(Fleet.demo());
    assertThat(SimulatorConfig.fromJson(new JsonObject()).stateFile())
        .isEqualTo(Path.of("./data", "simulator-state.json"));
  }

  @Test
  @DisplayName("explicit values, including strings from environment variables")
  void explicit() {
    SimulatorConfig c = SimulatorConfig.fromJson(new JsonObject().put("simulator", new JsonObject()
        .put("enabled", "false").put("fleetFile", "fleet.yaml").put("stateFile", "/tmp/s.json")));
    assertThat(c).isEqualTo(new SimulatorConfig(false, Path.of("fleet.yaml"), Path.of("/tmp/s.json")));
  }
}
