package controlplane.harness.chaos;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The control plane as a separate operating-system process ({@code java -cp ... controlplane.config.Main --config
 * FILE}), started, killed with SIGKILL and started again by the driver. Each start appends its stdout and stderr to
 * {@code service-N.out} / {@code service-N.err} in the run directory.
 */
final class ServiceProcess {

  private static final Logger LOG = LoggerFactory.getLogger(ServiceProcess.class);

  private final ChaosOptions options;
  private final Path configFile;
  private final Path logbackFile;
  private final int httpPort;
  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
  private Process process;
  private int starts;

  ServiceProcess(ChaosOptions options, Path configFile, Path logbackFile, int httpPort) {
    this.options = options;
    this.configFile = configFile;
    this.logbackFile = logbackFile;
    this.httpPort = httpPort;
  }

  /** Starts the process and waits (bounded) until {@code /health/ready} answers 200. Returns the time it took. */
  Duration start(Duration readyTimeout) throws IOException, InterruptedException {
    if (process != null && process.isAlive()) {
      throw new IllegalStateException("the service is already running");
    }
    starts++;
    List<String> cmd = new ArrayList<>();
    cmd.add(options.javaBin());
    cmd.add("-Xmx" + options.serviceHeapMb() + "m");
    cmd.add("-XX:+UseSerialGC");
    cmd.add("-Dlogback.configurationFile=" + logbackFile.toAbsolutePath());
    cmd.add("-cp");
    cmd.add(options.serviceClasspath());
    cmd.add("controlplane.config.Main");
    cmd.add("--config");
    cmd.add(configFile.toAbsolutePath().toString());
    ProcessBuilder pb = new ProcessBuilder(cmd)
        .directory(options.runDir().toFile())
        .redirectOutput(ProcessBuilder.Redirect.appendTo(options.runDir().resolve("service-" + starts + ".out").toFile()))
        .redirectError(ProcessBuilder.Redirect.appendTo(options.runDir().resolve("service-" + starts + ".err").toFile()));
    Map<String, String> env = pb.environment();
    env.keySet().removeIf(k -> k.startsWith("CP_")); // the run's configuration file is the whole truth
    long begin = System.nanoTime();
    process = pb.start();
    LOG.info("service start #{}: pid {}", starts, process.pid());
    long deadline = begin + readyTimeout.toNanos();
    while (System.nanoTime() < deadline) {
      if (!process.isAlive()) {
        throw new IOException("the service exited with status " + process.exitValue() + " during start #" + starts
            + "; see " + options.runDir().resolve("service-" + starts + ".out"));
      }
      if (ready()) {
        Duration took = Duration.ofNanos(System.nanoTime() - begin);
        LOG.info("service ready after {} ms", took.toMillis());
        return took;
      }
      Thread.sleep(200);
    }
    throw new IOException("the service was not ready within " + readyTimeout);
  }

  boolean ready() {
    try {
      HttpResponse<Void> r = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + httpPort + "/health/ready"))
          .timeout(Duration.ofSeconds(2)).GET().build(), HttpResponse.BodyHandlers.discarding());
      return r.statusCode() == 200;
    } catch (IOException e) {
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  /** SIGKILL: no shutdown hook runs, in-flight rotations are cut wherever they are. */
  void kill() throws InterruptedException {
    if (process == null) {
      return;
    }
    LOG.info("SIGKILL to the service (pid {})", process.pid());
    process.destroyForcibly();
    if (!process.waitFor(30, TimeUnit.SECONDS)) {
      throw new IllegalStateException("the service did not die within 30 s of SIGKILL");
    }
  }

  /** SIGTERM and a bounded wait, then SIGKILL; used at the end of the run. */
  void stop() throws InterruptedException {
    if (process == null || !process.isAlive()) {
      return;
    }
    process.destroy();
    if (!process.waitFor(60, TimeUnit.SECONDS)) {
      process.destroyForcibly();
      process.waitFor(30, TimeUnit.SECONDS);
    }
  }

  boolean alive() {
    return process != null && process.isAlive();
  }

  int starts() {
    return starts;
  }

  /** The service's log files, for the secrets check. */
  List<Path> logFiles() throws IOException {
    try (var s = Files.list(options.runDir())) {
      return s.filter(p -> p.getFileName().toString().startsWith("service-")).sorted().toList();
    }
  }
}
