package controlplane.harness.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/** A JVM the harness starts (service or simulator): stdout lines readable one by one, stderr to a log file. */
final class ChildProcess implements AutoCloseable {

  private final String name;
  private final Process process;
  private final BlockingQueue<String> lines = new LinkedBlockingQueue<>();
  private final Writer stdin;

  private ChildProcess(String name, Process process, Path log, boolean captureStdout) {
    this.name = name;
    this.process = process;
    this.stdin = new OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8);
    if (captureStdout) {
      Thread reader = new Thread(() -> {
        try (BufferedReader r = new BufferedReader(new InputStreamReader(process.getInputStream(),
            StandardCharsets.UTF_8))) {
          for (String line = r.readLine(); line != null; line = r.readLine()) {
            lines.add(line);
          }
        } catch (IOException e) {
          // process ended
        }
      }, name + "-stdout");
      reader.setDaemon(true);
      reader.start();
    }
  }

  /** Starts {@code java <jvmOptions> -cp <classpath> <mainClass> <args>}. */
  static ChildProcess start(String name, List<String> jvmOptions, String classpath, String mainClass,
      List<String> args, Path log, boolean captureStdout) throws IOException {
    List<String> cmd = new ArrayList<>();
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    cmd.addAll(jvmOptions);
    cmd.add("-cp");
    cmd.add(classpath);
    cmd.add(mainClass);
    cmd.addAll(args);
    ProcessBuilder pb = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.appendTo(log.toFile()));
    if (!captureStdout) {
      pb.redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
    }
    return new ChildProcess(name, pb.start(), log, captureStdout);
  }

  long pid() {
    return process.pid();
  }

  boolean alive() {
    return process.isAlive();
  }

  /** The next stdout line starting with {@code prefix}, waiting at most {@code seconds}. */
  String awaitLine(String prefix, long seconds) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
    while (System.nanoTime() < deadline) {
      String line = lines.poll(200, TimeUnit.MILLISECONDS);
      if (line != null && line.startsWith(prefix)) {
        return line;
      }
      if (line == null && !process.isAlive()) {
        throw new IllegalStateException(name + " exited with status " + process.exitValue());
      }
    }
    throw new IllegalStateException(name + ": no line '" + prefix + "...' within " + seconds + " s");
  }

  void send(String line) throws IOException {
    stdin.write(line + "\n");
    stdin.flush();
  }

  /** SIGTERM, then SIGKILL after 30 s. */
  @Override
  public void close() {
    if (!process.isAlive()) {
      return;
    }
    process.destroy();
    try {
      if (!process.waitFor(30, TimeUnit.SECONDS)) {
        process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
    }
  }
}
