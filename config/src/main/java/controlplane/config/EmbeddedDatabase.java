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
  private final DataDirLock lock;

  private EmbeddedDatabase(EmbeddedPostgres postgres, DataDirLock lock) {
    this.postgres = postgres;
    this.lock = lock;
  }

  /**
   * Starts the server on a free port with its data in {@code dataDir}/postgres (created when new). Holds the data
   * directory's lock until {@link #close()}: a second process on the same directory fails instead of sharing it.
   */
  public static EmbeddedDatabase start(Path dataDir) throws IOException {
    DataDirLock lock = DataDirLock.acquire(dataDir);
    try {
      Path dataDirectory = dataDir.resolve("postgres");
      Files.createDirectories(dataDirectory);
      stopOrphan(dataDirectory);
      EmbeddedPostgres pg = durableBuilder()
          .setDataDirectory(dataDirectory)
          .setCleanDataDirectory(false)
          .setPGStartupWait(Duration.ofSeconds(60))
          .start();
      LOG.info("embedded PostgreSQL listening on 127.0.0.1:{} with data in {}", pg.getPort(), dataDirectory);
      return new EmbeddedDatabase(pg, lock);
    } catch (IOException | RuntimeException e) {
      lock.close();
      throw e;
    }
  }

  /**
   * io.zonky's builder with its test-speed defaults turned back: it starts {@code postgres -F} (no fsync) with
   * {@code synchronous_commit=off}. A commit must be on disk before it is acknowledged, or a crash of PostgreSQL or of
   * the machine could lose a PENDING version committed before the router was changed (a router with a password
   * nobody stored). Server settings follow {@code -F} on the command line, so they win. The benchmarks and the chaos
   * runs start their server with this too.
   */
  public static EmbeddedPostgres.Builder durableBuilder() {
    return EmbeddedPostgres.builder()
        .setServerConfig("fsync", "on")
        .setServerConfig("synchronous_commit", "on");
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
    try {
      postgres.close();
    } finally {
      lock.close();
    }
  }

  /**
   * A process killed with SIGKILL leaves its PostgreSQL child running on the data directory, and a second server
   * cannot start there. Ends that orphan (only if it is a postgres process) so the next start succeeds. Called with
   * the data directory's lock held, so the server found cannot belong to a live control plane.
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
