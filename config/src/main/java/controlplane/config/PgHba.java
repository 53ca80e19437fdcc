package controlplane.config;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.postgresql.PGConnection;

/**
 * The embedded server's {@code pg_hba.conf}. Data directories made before the embedded database had a password trust
 * every local connection; {@link #requirePassword} moves such a running server to scram-sha-256. Blocking.
 */
final class PgHba {

  static final String FILE = "pg_hba.conf";
  /** A rule (not a comment) whose method, its last field, is trust. */
  private static final Pattern TRUST_RULE = Pattern.compile("^(\\s*[^#\\s].*\\s)trust(\\s*)$");

  private PgHba() {
  }

  /** Whether any rule of the data directory's pg_hba.conf lets a connection in without a password. */
  static boolean trusts(Path pgData) throws IOException {
    for (String line : Files.readAllLines(pgData.resolve(FILE), StandardCharsets.UTF_8)) {
      if (TRUST_RULE.matcher(line).matches()) {
        return true;
      }
    }
    return false;
  }

  /**
   * Gives the superuser {@code password} (sent as a SCRAM verifier, never in clear), turns every trust rule into
   * scram-sha-256 and reloads the server's configuration; returns once a connection without the password is refused.
   * Each step can be repeated, so a process stopped half-way finishes the move on its next start.
   */
  static void requirePassword(int port, Path pgData, String password) throws IOException {
    String url = "jdbc:postgresql://localhost:" + port + "/postgres";
    try (Connection c = DriverManager.getConnection(url, "postgres", "")) {
      c.unwrap(PGConnection.class).alterUserPassword("postgres", password.toCharArray(), "scram-sha-256");
      rewrite(pgData.resolve(FILE));
      try (Statement s = c.createStatement()) {
        s.execute("SELECT pg_reload_conf()");
      }
    } catch (SQLException e) {
      throw new IOException("cannot move the embedded database to password authentication: " + e.getMessage(), e);
    }
    // The server reloads pg_hba.conf on the signal pg_reload_conf() sent, a moment later.
    long deadline = System.nanoTime() + 30_000_000_000L;
    while (true) {
      try (Connection open = DriverManager.getConnection(url, "postgres", "")) {
        if (System.nanoTime() > deadline) {
          throw new IOException("the embedded database still accepts connections without a password");
        }
      } catch (SQLException refused) {
        return;
      }
      try {
        Thread.sleep(50);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IOException("interrupted", e);
      }
    }
  }

  /** Writes the file again with scram-sha-256 for trust: a new file flushed to disk, renamed over the old one. */
  private static void rewrite(Path file) throws IOException {
    List<String> lines = new ArrayList<>();
    for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
      Matcher m = TRUST_RULE.matcher(line);
      lines.add(m.matches() ? m.group(1) + "scram-sha-256" + m.group(2) : line);
    }
    Path tmp = file.resolveSibling(FILE + ".new");
    Files.deleteIfExists(tmp);
    Files.createFile(tmp, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
    Files.write(tmp, lines, StandardCharsets.UTF_8);
    try (FileChannel channel = FileChannel.open(tmp, StandardOpenOption.WRITE)) {
      channel.force(true);
    }
    Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    try (FileChannel dir = FileChannel.open(file.getParent(), StandardOpenOption.READ)) {
      dir.force(true);
    }
  }
}
