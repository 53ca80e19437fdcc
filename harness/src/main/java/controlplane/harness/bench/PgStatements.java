package controlplane.harness.bench;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * Where PostgreSQL's time goes, statement by statement ({@code tools/bench.sh --pg-statements true}): the bench's
 * server then loads {@code pg_stat_statements} (tracking statements inside functions too), and each measured phase
 * writes the statements that took the most execution time to a file beside the report. Off by default: the
 * extension costs a little itself.
 */
final class PgStatements {

  /** Without the extension: every call does nothing. */
  static final PgStatements OFF = new PgStatements(null);

  /** The server, or null for {@link #OFF}. */
  private final EmbeddedPostgres pg;

  private PgStatements(EmbeddedPostgres pg) {
    this.pg = pg;
  }

  /** Server settings that load the extension; apply before the server starts. */
  static EmbeddedPostgres.Builder enable(EmbeddedPostgres.Builder builder) {
    return builder.setServerConfig("shared_preload_libraries", "pg_stat_statements")
        .setServerConfig("pg_stat_statements.track", "all");
  }

  /** Creates the extension on a started server. */
  static PgStatements on(EmbeddedPostgres pg) throws SQLException {
    try (Connection c = pg.getPostgresDatabase().getConnection(); Statement s = c.createStatement()) {
      s.execute("CREATE EXTENSION IF NOT EXISTS pg_stat_statements");
    }
    return new PgStatements(pg);
  }

  /** Forgets everything counted so far: the start of a phase. */
  void reset() throws SQLException {
    if (pg == null) {
      return;
    }
    try (Connection c = pg.getPostgresDatabase().getConnection(); Statement s = c.createStatement()) {
      s.execute("SELECT pg_stat_statements_reset()");
    }
  }

  /**
   * Writes the 40 statements with the most execution time since {@link #reset}, per {@code operations} (rotations):
   * calls, milliseconds of execution, rows; top-level statements (as the service sent them) and those run inside
   * the functions they call are both listed, so their times overlap. Commit flushes are not in them.
   */
  void write(Path file, int operations) throws SQLException, IOException {
    if (pg == null) {
      return;
    }
    StringBuilder out = new StringBuilder(String.format("pg_stat_statements over %d operations (ms and calls per"
        + " operation; top = sent by the service, else run inside a function)%n%10s %10s %8s %4s  %s%n", operations,
        "ms/op", "calls/op", "rows", "top", "statement"));
    try (Connection c = pg.getPostgresDatabase().getConnection(); Statement s = c.createStatement();
         ResultSet rs = s.executeQuery("SELECT total_exec_time, calls, rows, toplevel,"
             + " left(regexp_replace(query, '\\s+', ' ', 'g'), 150) FROM pg_stat_statements"
             + " WHERE query NOT LIKE '%pg_stat_statements%' ORDER BY total_exec_time DESC LIMIT 40")) {
      while (rs.next()) {
        double n = Math.max(operations, 1);
        out.append(String.format("%10.4f %10.3f %8d %4s  %s%n", rs.getDouble(1) / n, rs.getLong(2) / n, rs.getLong(3),
            rs.getBoolean(4) ? "yes" : "", rs.getString(5)));
      }
    }
    Files.writeString(file, out.toString());
  }
}
