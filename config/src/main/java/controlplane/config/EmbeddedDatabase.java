package controlplane.config;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A real PostgreSQL server (the io.zonky binaries) whose data lives under the data directory, so a restart keeps
 * everything. Blocking: start and stop it from a worker, never an event loop.
 */
public final class EmbeddedDatabase implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(EmbeddedDatabase.class);

  private final EmbeddedPostgres postgres;

  private EmbeddedDatabase(EmbeddedPostgres postgres) {
    this.postgres = postgres;
  }

  /** Starts the server on a free port with its data in {@code dataDirectory} (created when new). */
  public static EmbeddedDatabase start(Path dataDirectory) throws IOException {
    Files.createDirectories(dataDirectory);
    stopOrphan(dataDirectory);
    EmbeddedPostgres pg = EmbeddedPostgres.builder()
        .setDataDirectory(dataDirectory)
        .setCleanDataDirectory(false)
        .setPGStartupWait(Duration.ofSeconds(60))
        .start();
    LOG.info("embedded PostgreSQL listening on 127.0.0.1:{} with data in {}", pg.getPort(), dataDirectory);
    return new EmbeddedDatabase(pg);
  }

  /** The {@code postgresql://} URL of the server's {@code postgres} database. */
  public String url() {
    return "postgresql://postgres@localhost:" + postgres.getPort() + "/postgres";
  }

  public int port() {
    return postgres.getPort();
  }

  @Override
  public void close() throws IOException {
    postgres.close();
  }

  /**
   * A process killed with SIGKILL leaves its PostgreSQL child running on the data directory, and a second server
   * cannot start there. Ends that orphan (only if it is a postgres process) so the next start succeeds.
   */
  private static void stopOrphan(Path dataDirectory) throws IOException {
    Path pidFile = dataDirectory.resolve("postmaster.pid");
    if (!Files.exists(pidFile)) {
      return;
    }
    List<String> lines = Files.readAllLines(pidFile, StandardCharsets.US_ASCII);
    if (lines.isEmpty()) {
      return;
    }
    long pid;
    try {
      pid = Long.parseLong(lines.get(0).trim());
    } catch (NumberFormatException e) {
      return;
    }
    Optional<ProcessHandle> process = ProcessHandle.of(pid);
    if (process.isEmpty() || !process.get().info().command().map(c -> c.contains("postgres")).orElse(false)) {
      return;
    }
    LOG.warn("stopping PostgreSQL (pid {}) left running on {} by a previous process", pid, dataDirectory);
    process.get().destroy(); // SIGTERM: PostgreSQL's smart shutdown
    try {
      process.get().onExit().get(30, TimeUnit.SECONDS);
    } catch (Exception e) {
      process.get().destroyForcibly();
    }
  }
}
