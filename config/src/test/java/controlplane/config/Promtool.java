package controlplane.config;

import java.io.File;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/** {@code promtool check metrics} and {@code check rules}, when promtool is on the PATH. */
public final class Promtool {

  /** Exit code and everything promtool printed. */
  public record Result(int exitCode, String output) {
  }

  private Promtool() {
  }

  /** The promtool executable on the PATH, or null. */
  public static Path find() {
    String path = System.getenv("PATH");
    if (path == null) {
      return null;
    }
    for (String dir : path.split(File.pathSeparator)) {
      Path candidate = Path.of(dir, "promtool");
      if (Files.isExecutable(candidate)) {
        return candidate;
      }
    }
    return null;
  }

  /** Runs {@code promtool check metrics} on {@code exposition}. */
  public static Result checkMetrics(Path promtool, String exposition) throws IOException, InterruptedException {
    Process process = new ProcessBuilder(promtool.toString(), "check", "metrics").redirectErrorStream(true).start();
    try (OutputStream in = process.getOutputStream()) {
      in.write(exposition.getBytes(StandardCharsets.UTF_8));
    }
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!process.waitFor(60, TimeUnit.SECONDS)) {
      process.destroyForcibly();
      throw new IllegalStateException("promtool did not finish");
    }
    return new Result(process.exitValue(), output);
  }

  /** Runs {@code promtool check rules} on the rule file {@code rules}. */
  public static Result checkRules(Path promtool, Path rules) throws IOException, InterruptedException {
    Process process = new ProcessBuilder(promtool.toString(), "check", "rules", rules.toString())
        .redirectErrorStream(true).start();
    process.getOutputStream().close();
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!process.waitFor(60, TimeUnit.SECONDS)) {
      process.destroyForcibly();
      throw new IllegalStateException("promtool did not finish");
    }
    return new Result(process.exitValue(), output);
  }
}
