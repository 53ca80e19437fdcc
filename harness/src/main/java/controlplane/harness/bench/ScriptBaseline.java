package controlplane.harness.bench;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The comparison with what an operator would write instead: {@code harness/python/operator_script.py} (librouteros,
 * 64 threads, router steps only) on the same simulated fleet, as its own user, interleaved with measured service
 * runs at 64 in flight so that both see the same machine. Needs {@code python3} with librouteros importable
 * ({@code pip install librouteros}, or {@code PYTHONPATH} pointing at its sources); skipped with a note otherwise.
 */
final class ScriptBaseline {

  private static final Logger LOG = LoggerFactory.getLogger(ScriptBaseline.class);
  static final Path SCRIPT = Path.of("harness", "python", "operator_script.py");
  static final int IN_FLIGHT = 64;
  /** The script's passwords, carried from round to round within one run. */
  private static final String STATE_FILE = "script-passwords.json";

  /** A measured service run of {@code rotations} at {@value #IN_FLIGHT} in flight, with its figures. */
  interface ServiceRun {
    JsonObject run() throws Exception;
  }

  private ScriptBaseline() {
  }

  /** librouteros's version when python3 can import it, else null. */
  static String librouterosVersion() {
    try {
      Process p = new ProcessBuilder("python3", "-c",
          "import librouteros, importlib.metadata as m\n"
              + "try:\n print(m.version('librouteros'))\nexcept Exception:\n print('source')")
          .redirectErrorStream(true).start();
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
      return p.waitFor(60, TimeUnit.SECONDS) && p.exitValue() == 0 ? out : null;
    } catch (IOException | InterruptedException e) {
      return null;
    }
  }

  /**
   * {@code rounds} rounds of a service run then a script run of {@code rotations} each; the simulator's CPU per
   * rotation beside each. Routers are {@code routers} ("host port" lines).
   */
  static JsonObject compare(int rounds, int rotations, List<String> routers, Path out, ServiceRun service,
                            ServiceRun jobs, Supplier<Long> simulatorCpuMillis) throws Exception {
    String version = librouterosVersion();
    if (version == null || !Files.isRegularFile(SCRIPT)) {
      LOG.warn("operator-script comparison skipped: python3 cannot import librouteros (pip install librouteros)"
          + " or {} is missing", SCRIPT);
      return new JsonObject().put("skipped", "python3 with librouteros not found");
    }
    Path list = out.resolve("script-routers.txt");
    Files.write(list, routers, StandardCharsets.UTF_8);
    // The simulator of this run starts with the script user's first password: an earlier run's state must go.
    Files.deleteIfExists(list.resolveSibling(STATE_FILE));
    JsonArray runs = new JsonArray();
    List<Double> ratios = new ArrayList<>();
    List<Double> jobRatios = new ArrayList<>();
    for (int round = 1; round <= rounds; round++) {
      JsonObject svc = service.run();
      JsonObject job = jobs.run();
      long sim0 = simulatorCpuMillis.get();
      JsonObject script = runScript(list, rotations, out.resolve("script-" + round + ".log"));
      long simMs = simulatorCpuMillis.get() - sim0;
      int ok = script.getInteger("ok", 0);
      script.put("simulator_cpu_ms_per_rotation", ok > 0 ? Math.round(100.0 * simMs / ok) / 100.0 : 0.0)
          .put("script_cpu_ms_per_rotation",
              ok > 0 ? Math.round(100.0 * script.getLong("cpu_ms", 0L) / ok) / 100.0 : 0.0)
          .put("load", ProcStats.loadAverage());
      double ratio = script.getDouble("per_s", 0.0) > 0
          ? Math.round(100.0 * svc.getDouble("per_s") / script.getDouble("per_s")) / 100.0 : 0.0;
      double jobRatio = script.getDouble("per_s", 0.0) > 0
          ? Math.round(100.0 * job.getDouble("per_s") / script.getDouble("per_s")) / 100.0 : 0.0;
      ratios.add(ratio);
      jobRatios.add(jobRatio);
      LOG.info("operator script round {}: service {}/s (bulk jobs {}/s), script {}/s, ratio {} (bulk jobs {})", round,
          svc.getDouble("per_s"), job.getDouble("per_s"), script.getDouble("per_s"), ratio, jobRatio);
      runs.add(new JsonObject().put("round", round).put("service", svc).put("jobs", job).put("script", script)
          .put("ratio", ratio).put("jobs_ratio", jobRatio));
    }
    ratios.sort(Double::compare);
    jobRatios.sort(Double::compare);
    return new JsonObject().put("librouteros", version).put("in_flight", IN_FLIGHT).put("rotations", rotations)
        .put("rounds", runs).put("ratio_min", ratios.get(0)).put("ratio_max", ratios.get(ratios.size() - 1))
        .put("jobs_ratio_min", jobRatios.get(0)).put("jobs_ratio_max", jobRatios.get(jobRatios.size() - 1));
  }

  private static JsonObject runScript(Path routers, int rotations, Path log) throws Exception {
    Process p = new ProcessBuilder("python3", SCRIPT.toString(), routers.toString(), "--user",
        SimulatorProcess.SCRIPT_USER, "--password", SimulatorProcess.SCRIPT_PASSWORD, "--threads",
        Integer.toString(IN_FLIGHT), "--rotations", Integer.toString(rotations), "--state",
        routers.resolveSibling(STATE_FILE).toString())
        .redirectError(log.toFile()).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
    if (!p.waitFor(60, TimeUnit.MINUTES) || p.exitValue() != 0) {
      throw new IllegalStateException("operator script failed (exit " + p.exitValue() + "), see " + log);
    }
    return new JsonObject(out.substring(out.lastIndexOf('\n') + 1));
  }
}
