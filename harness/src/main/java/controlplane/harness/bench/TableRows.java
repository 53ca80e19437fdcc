package controlplane.harness.bench;

import io.vertx.core.json.JsonObject;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;

/** Row counts of the tables that grow with rotations, and what the housekeeper removed (from /metrics). */
final class TableRows {

  static final List<String> TABLES = List.of("credential_versions", "audit_events", "idempotency_records");
  static final List<String> KINDS = List.of("versions", "audit", "idempotency", "deleted_sites", "job_sites", "jobs");

  private TableRows() {
  }

  /** {table: rows} of {@link #TABLES}. */
  static JsonObject count(Connection db) throws SQLException {
    JsonObject rows = new JsonObject();
    for (String table : TABLES) {
      rows.put(table, count(db, table));
    }
    return rows;
  }

  static long count(Connection db, String table) throws SQLException {
    try (Statement st = db.createStatement(); ResultSet rs = st.executeQuery("SELECT count(*) FROM " + table)) {
      rs.next();
      return rs.getLong(1);
    }
  }

  /** {kind: rows} of {@code cp_housekeeping_removed_total} in the service's Prometheus text. */
  static JsonObject removed(String metrics) {
    JsonObject removed = new JsonObject();
    for (String line : metrics.split("\n")) {
      if (!line.startsWith("cp_housekeeping_removed_total{")) {
        continue;
      }
      for (String kind : KINDS) {
        if (line.contains("kind=\"" + kind + "\"")) {
          removed.put(kind, (long) Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1)));
        }
      }
    }
    return removed;
  }
}
