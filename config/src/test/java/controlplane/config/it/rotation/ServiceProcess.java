package controlplane.config.it.rotation;

import controlplane.config.CrashingMain;
import controlplane.config.FreePorts;
import controlplane.core.bus.RotationStep;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The service as a real child process on this test's classpath: {@code controlplane.config.Main}, or
 * {@link CrashingMain} when it is to die at a rotation step.
 */
final class ServiceProcess implements AutoCloseable {

  private final Process process;
  final int port;
  final Path log;

  private ServiceProcess(Process process, int port, Path log) {
    this.process = process;
    this.port = port;
    this.log = log;
  }

  /**
   * Starts the service with {@code configFile}; {@code crashAt} is the step it halts at (null for none). Returns once
   * {@code /health/ready} answers 200.
   */
  static ServiceProcess start(Path configFile, int port, RotationStep crashAt, Path log) throws Exception {
    List<String> cmd = new ArrayList<>(List.of(
        Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx256m", "-XX:+UseSerialGC",
        "-XX:TieredStopAtLevel=1", "-cp", System.getProperty("java.class.path")));
    if (crashAt != null) {
      cmd.addAll(List.of(CrashingMain.class.getName(), "--config", configFile.toString(), "--crash-at",
          crashAt.name()));
    } else {
      cmd.addAll(List.of("controlplane.config.Main", "--config", configFile.toString()));
    }
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true)
        .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
    ServiceProcess sp = new ServiceProcess(p, port, log);
    sp.awaitReady();
    return sp;
  }

  static int freePort() throws IOException {
    return FreePorts.next();
  }

  private void awaitReady() throws Exception {
    HttpClient http = HttpClient.newHttpClient();
    Instant deadline = Instant.now().plus(Duration.ofSeconds(90));
    while (Instant.now().isBefore(deadline)) {
      if (!process.isAlive()) {
        throw new IllegalStateException("service exited with " + process.exitValue() + ":\n" + Files.readString(log));
      }
      try {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(base() + "/health/ready"))
            .timeout(Duration.ofSeconds(2)).build(), HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() == 200) {
          return;
        }
      } catch (IOException notYet) {
        // not listening yet
      }
      Thread.sleep(200);
    }
    throw new IllegalStateException("service not ready in time:\n" + Files.readString(log));
  }

  String base() {
    return "http://127.0.0.1:" + port;
  }

  /** Waits for the process to end by itself (its crash hook halts it); its exit status. */
  int awaitExit(Duration timeout) throws InterruptedException {
    if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
      throw new IllegalStateException("service still running");
    }
    return process.exitValue();
  }

  /** SIGKILL: the process ends at once, without shutdown hooks, mid-whatever it was doing. */
  void kill() throws InterruptedException {
    process.destroyForcibly();
    process.waitFor(30, TimeUnit.SECONDS);
  }

  @Override
  public void close() throws InterruptedException {
    if (process.isAlive()) {
      process.destroy();
      if (!process.waitFor(30, TimeUnit.SECONDS)) {
        process.destroyForcibly().waitFor();
      }
    }
  }
}
