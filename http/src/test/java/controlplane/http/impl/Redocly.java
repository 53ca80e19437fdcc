package controlplane.http.impl;

import io.vertx.core.json.JsonObject;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** Redocly CLI's {@code lint}, when the executable is named by {@code REDOCLY} or found as {@code redocly} on the PATH. */
final class Redocly {

  private Redocly() {
  }

  /** The executable, or null. */
  static Path find() {
    String named = System.getenv("REDOCLY");
    if (named != null && !named.isBlank()) {
      return Path.of(named);
    }
    String path = System.getenv("PATH");
    for (String dir : path == null ? new String[0] : path.split(File.pathSeparator)) {
      Path candidate = Path.of(dir, "redocly");
      if (Files.isExecutable(candidate)) {
        return candidate;
      }
    }
    return null;
  }

  /** The module's Redocly configuration: the recommended rules and the one documented exception. */
  static final Path CONFIG = Path.of("redocly.yaml");

  /**
   * {@code redocly lint --config redocly.yaml --format=json FILE}: its JSON report ({@code totals}, {@code problems}).
   * Telemetry and update checks are off.
   */
  static JsonObject lint(Path redocly, Path file) throws IOException, InterruptedException {
    ProcessBuilder builder = new ProcessBuilder(redocly.toString(), "lint", "--config=" + CONFIG.toAbsolutePath(),
      "--format=json", file.toString()).redirectError(ProcessBuilder.Redirect.DISCARD);
    Map<String, String> env = builder.environment();
    env.put("REDOCLY_TELEMETRY", "off");
    env.put("REDOCLY_SUPPRESS_UPDATE_NOTICE", "true");
    Process process = builder.start();
    String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!process.waitFor(120, TimeUnit.SECONDS)) {
      process.destroyForcibly();
      throw new IllegalStateException("redocly lint did not finish");
    }
    int start = out.indexOf('{');
    if (start < 0) {
      throw new IllegalStateException("redocly lint exited " + process.exitValue() + " without a report: " + out);
    }
    return new JsonObject(out.substring(start)).put("exitCode", process.exitValue());
  }
}
