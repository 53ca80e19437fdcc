package controlplane.harness.chaos;

import controlplane.config.EmbeddedDatabase;
import controlplane.core.crypto.KeyRing;
import controlplane.core.crypto.Sealed;
import controlplane.core.crypto.Sealer;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The run's own PostgreSQL: a separate server process (io.zonky binaries) on a fixed port with its data under the run
 * directory, so that it can be stopped and started again on the same address while the service keeps its URL. Also
 * the driver's read-only view of the service's tables over JDBC. Blocking; call from the driver thread or a worker.
 */
final class ChaosDatabase implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(ChaosDatabase.class);

  private final Path dataDir;
  private final int port;
  private EmbeddedPostgres postgres;

  ChaosDatabase(Path dataDir, int port) {
    this.dataDir = dataDir;
    this.port = port;
  }

  void start() throws IOException {
    Files.createDirectories(dataDir);
    postgres = EmbeddedDatabase.durableBuilder()
        .setPort(port)
        .setDataDirectory(dataDir)
        .setCleanDataDirectory(false)
        .setPGStartupWait(Duration.ofSeconds(60))
        .setServerConfig("max_connections", "200")
        .start();
    LOG.info("PostgreSQL up on 127.0.0.1:{} (data in {})", port, dataDir);
  }

  /**
   * Crashes the server as a power cut would, as far as commits go: SIGQUIT to the postmaster (what {@code pg_ctl
   * stop -m immediate} sends) ends every backend at once, with no checkpoint and no flush of the WAL that
   * asynchronous commits left in memory; the next start recovers from the WAL on disk. Every open connection of the
   * service is cut.
   */
  void stop() throws IOException {
    if (postgres == null) {
      return;
    }
    long pid = Long.parseLong(java.nio.file.Files.readAllLines(dataDir.resolve("postmaster.pid")).get(0).trim());
    try {
      Process kill = new ProcessBuilder("kill", "-QUIT", Long.toString(pid)).inheritIO().start();
      kill.waitFor();
      java.util.Optional<ProcessHandle> postmaster = ProcessHandle.of(pid);
      for (int i = 0; i < 300 && postmaster.map(ProcessHandle::isAlive).orElse(false); i++) {
        Thread.sleep(100);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted while PostgreSQL went down", e);
    }
    // Closing releases the handle's lock on the data directory, which the restart takes again. Its pg_ctl stop finds
    // no server and fails, which io.zonky logs as an ERROR with a stack trace: expected here, so not shown.
    ch.qos.logback.classic.Logger zonky =
        (ch.qos.logback.classic.Logger) LoggerFactory.getLogger(EmbeddedPostgres.class);
    ch.qos.logback.classic.Level level = zonky.getLevel();
    zonky.setLevel(ch.qos.logback.classic.Level.OFF);
    try {
      postgres.close();
    } catch (IOException | RuntimeException e) {
      LOG.debug("closing the crashed server's handle: {}", e.toString());
    } finally {
      zonky.setLevel(level);
    }
    postgres = null;
    LOG.info("PostgreSQL crashed (immediate shutdown, pid {})", pid);
  }

  boolean running() {
    return postgres != null;
  }

  String serviceUrl() {
    return "postgresql://postgres@localhost:" + port + "/postgres";
  }

  int port() {
    return port;
  }

  Connection connect() throws SQLException {
    return DriverManager.getConnection("jdbc:postgresql://localhost:" + port + "/postgres?connectTimeout=5",
        "postgres", "");
  }

  /** Number of PENDING credential versions; -1 when the database cannot be read. */
  long pendingCount() {
    try (Connection c = connect(); Statement s = c.createStatement();
         ResultSet rs = s.executeQuery("SELECT count(*) FROM credential_versions WHERE state = 'PENDING'")) {
      rs.next();
      return rs.getLong(1);
    } catch (SQLException e) {
      return -1;
    }
  }

  /** Site ids with a PENDING version now. */
  List<UUID> sitesWithPending() throws SQLException {
    List<UUID> out = new ArrayList<>();
    try (Connection c = connect(); Statement s = c.createStatement();
         ResultSet rs = s.executeQuery("SELECT site_id FROM credential_versions WHERE state = 'PENDING'")) {
      while (rs.next()) {
        out.add(rs.getObject(1, UUID.class));
      }
    }
    return out;
  }

  /** {@code sites.status} of every site. */
  Map<UUID, String> siteStatuses() throws SQLException {
    Map<UUID, String> out = new HashMap<>();
    try (Connection c = connect(); Statement s = c.createStatement();
         ResultSet rs = s.executeQuery("SELECT id, status FROM sites")) {
      while (rs.next()) {
        out.put(rs.getObject(1, UUID.class), rs.getString(2));
      }
    }
    return out;
  }

  /** One stored version, opened with the run's sealing key. The password stays in memory, never printed. */
  record Version(UUID id, UUID siteId, String state, String password) {
    @Override
    public String toString() {
      return "Version[" + id + ", " + state + "]";
    }
  }

  /** Every credential version of every site, opened. A value that does not open is stored with a null password. */
  Map<UUID, List<Version>> versions(String keyId, String base64Key) throws SQLException {
    Sealer sealer = new Sealer(KeyRing.of(Map.of(keyId, base64Key), keyId));
    Map<UUID, List<Version>> out = new HashMap<>();
    try (Connection c = connect(); Statement s = c.createStatement();
         ResultSet rs = s.executeQuery(
             "SELECT id, site_id, state, sealed_password, key_id, nonce FROM credential_versions")) {
      while (rs.next()) {
        UUID id = rs.getObject(1, UUID.class);
        UUID site = rs.getObject(2, UUID.class);
        String password;
        try {
          password = sealer.open(new Sealed(rs.getString(5), rs.getBytes(6), rs.getBytes(4)), site, id);
        } catch (Sealer.SealingException e) {
          password = null;
        }
        out.computeIfAbsent(site, k -> new ArrayList<>()).add(new Version(id, site, rs.getString(3), password));
      }
    }
    return out;
  }

  /** Counts of audit events by {@code action/outcome} (never a password: the table holds none). */
  Map<String, Long> auditCounts() throws SQLException {
    Map<String, Long> out = new LinkedHashMap<>();
    try (Connection c = connect(); Statement s = c.createStatement();
         ResultSet rs = s.executeQuery("SELECT actor = 'reconciler' AS rec, action, outcome, count(*) FROM audit_events"
             + " GROUP BY 1, 2, 3 ORDER BY 1, 2, 3")) {
      while (rs.next()) {
        out.put((rs.getBoolean(1) ? "reconciler " : "") + rs.getString(2) + "/" + rs.getString(3), rs.getLong(4));
      }
    } catch (SQLException e) {
      // the actor column name is the service's; an older schema may differ: report nothing rather than fail the run
      LOG.warn("audit counts unavailable: {}", e.getMessage());
    }
    return out;
  }

  /** Credential versions by state, for the report. */
  Map<String, Long> versionStates() throws SQLException {
    Map<String, Long> out = new LinkedHashMap<>();
    try (Connection c = connect(); Statement s = c.createStatement();
         ResultSet rs = s.executeQuery("SELECT state, count(*) FROM credential_versions GROUP BY 1 ORDER BY 1")) {
      while (rs.next()) {
        out.put(rs.getString(1), rs.getLong(2));
      }
    }
    return out;
  }

  /** Whether any text column of the service's tables contains one of {@code secrets} (plaintext at rest). */
  Set<String> plaintextHits(Set<String> secrets) throws SQLException {
    Set<String> hits = new HashSet<>();
    String[][] columns = {{"sites", "username"}, {"sites", "ip_address"}, {"sites", "server_ip"},
        {"credential_versions", "last_error"}, {"audit_events", "detail"}, {"audit_events", "actor"},
        {"idempotency_records", "key"}};
    try (Connection c = connect()) {
      for (String[] col : columns) {
        try (PreparedStatement ps = c.prepareStatement("SELECT " + col[1] + " FROM " + col[0]
            + " WHERE " + col[1] + " IS NOT NULL"); ResultSet rs = ps.executeQuery()) {
          while (rs.next()) {
            String value = rs.getString(1);
            for (String secret : secrets) {
              if (value.contains(secret)) {
                hits.add(col[0] + "." + col[1]);
              }
            }
          }
        }
      }
    }
    return hits;
  }

  @Override
  public void close() throws IOException {
    stop();
  }
}
