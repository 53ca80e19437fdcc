package controlplane.simulator;

import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Locale;

/**
 * The {@code simulator} section of the configuration.
 *
 * @param enabled whether this process runs the simulator
 * @param fleetFile the fleet file, or null for the built-in demo fleet ({@link Fleet#demo()})
 * @param stateFile where simulated routers keep their users across restarts; defaults to
 *     {@code <dataDir>/simulator-state.json}
 */
public record SimulatorConfig(boolean enabled, Path fleetFile, Path stateFile) {

  /** File name of the state file under {@code dataDir} when {@code simulator.stateFile} is not set. */
  public static final String DEFAULT_STATE_FILE = "simulator-state.json";

  /** Binds {@code root.simulator} (and {@code root.dataDir} for the default state file) of the whole config. */
  public static SimulatorConfig fromJson(JsonObject root) {
    JsonObject sim = root.getJsonObject("simulator", new JsonObject());
    String dataDir = text(root.getValue("dataDir"), "./data");
    String fleet = text(sim.getValue("fleetFile"), null);
    String state = text(sim.getValue("stateFile"), null);
    return new SimulatorConfig(bool(sim.getValue("enabled"), true), fleet == null ? null : Path.of(fleet),
        state == null ? Path.of(dataDir, DEFAULT_STATE_FILE) : Path.of(state));
  }

  /** The fleet to run: the fleet file, or the demo fleet. Blocking when there is a file to read. */
  public Fleet loadFleet() throws IOException {
    return fleetFile == null ? Fleet.demo() : Fleet.load(fleetFile);
  }

  private static String text(Object value, String dflt) {
    if (value == null) {
      return dflt;
    }
    String s = value.toString().trim();
    return s.isEmpty() || s.equals("null") ? dflt : s;
  }

  // Environment variables arrive as strings.
  private static boolean bool(Object value, boolean dflt) {
    if (value == null) {
      return dflt;
    }
    if (value instanceof Boolean b) {
      return b;
    }
    return switch (value.toString().trim().toLowerCase(Locale.ROOT)) {
      case "true", "yes", "1" -> true;
      case "false", "no", "0" -> false;
      default -> throw new IllegalArgumentException("simulator.enabled must be true or false, not " + value);
    };
  }
}
