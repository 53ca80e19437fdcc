package controlplane.config;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** The service as a real child process, {@code controlplane.config.Main --config FILE}, its output in a file. */
final class ServiceRun implements AutoCloseable {

  private final Process process;
  private final Path output;

  private ServiceRun(Process process, Path output) {
    this.process = process;
    this.output = output;
  }

  static ServiceRun start(Path configFile, Path output) throws IOException {
    Process p = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx256m",
        "-XX:TieredStopAtLevel=1", "-cp", System.getProperty("java.class.path"), Main.class.getName(), "--config",
        configFile.toString())
        .redirectErrorStream(true).redirectOutput(output.toFile()).start();
    return new ServiceRun(p, output);
  }

  /** {@code dir/fleet.yaml}: a fleet file of one simulated router (RouterOS 7.15.3, user admin) on {@code port}. */
  static Path oneRouterFleet(Path dir, int port) throws IOException {
    Path file = dir.resolve("fleet.yaml");
    Files.writeString(file, """
        routers:
          - name: m1
            address: 127.0.0.1
            port: %d
            version: "7.15.3"
            login: plain
            users:
              - { name: admin, group: full, password: "" }
        """.formatted(port));
    return file;
  }

  /** Copies the {@code *.log} files of {@code dir} to {@code target/<folder>}: they outlive a temporary directory. */
  static void keepLogs(Path dir, String folder) throws IOException {
    Path keep = Files.createDirectories(Path.of("target", folder));
    try (var logs = Files.newDirectoryStream(dir, "*.log")) {
      for (Path log : logs) {
        Files.copy(log, keep.resolve(log.getFileName()), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
      }
    }
  }

  static int freePort() throws IOException {
    return FreePorts.next();
  }

  /** The exit status of a process expected to end by itself. */
  int awaitExit() throws InterruptedException {
    if (!process.waitFor(2, TimeUnit.MINUTES)) {
      throw new IllegalStateException("the service did not exit");
    }
    return process.exitValue();
  }

  /** Returns once {@code /health/ready} on {@code port} answers 200; fails if the process ends first. */
  ServiceRun awaitReady(int port) throws Exception {
    HttpClient http = HttpClient.newHttpClient();
    Instant deadline = Instant.now().plus(Duration.ofMinutes(2));
    while (Instant.now().isBefore(deadline)) {
      if (!process.isAlive()) {
        throw new IllegalStateException("service exited with " + process.exitValue() + ":\n" + output());
      }
      try {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port
            + "/health/ready")).timeout(Duration.ofSeconds(2)).build(), HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() == 200) {
          return this;
        }
      } catch (IOException notYet) {
        // not listening yet
      }
      Thread.sleep(200);
    }
    throw new IllegalStateException("service not ready in time:\n" + output());
  }

  String output() throws IOException {
    return Files.readString(output);
  }

  List<String> lines() throws IOException {
    return output().lines().toList();
  }

  /** Kills the process without warning (SIGKILL: no shutdown hook, no goodbye to the cluster) and waits for it. */
  void kill() throws InterruptedException {
    process.destroyForcibly().waitFor();
  }

  boolean alive() {
    return process.isAlive();
  }

  long pid() {
    return process.pid();
  }

  /** Stops the service as an operator would (SIGTERM), waits for it and answers its exit status. */
  int terminate() throws InterruptedException {
    process.destroy();
    if (!process.waitFor(2, TimeUnit.MINUTES)) {
      throw new IllegalStateException("the service did not stop on SIGTERM");
    }
    return process.exitValue();
  }

  /** Stops the service as an operator would (SIGTERM) and waits for it. */
  @Override
  public void close() throws InterruptedException {
    if (process.isAlive()) {
      process.destroy();
      if (!process.waitFor(60, TimeUnit.SECONDS)) {
        process.destroyForcibly().waitFor();
      }
    }
  }
}
