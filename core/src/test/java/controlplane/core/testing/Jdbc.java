package controlplane.core.testing;

import io.vertx.pgclient.PgConnectOptions;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Blocking SQL for test assertions and fixtures, on a database given by its {@code postgresql://} URL. */
public final class Jdbc {

  private final String url;

  public Jdbc(String url) {
    this.url = url;
  }

  /** Every row of {@code sql}, each as column name to value. */
  public List<Map<String, Object>> query(String sql, Object... params) {
    try (Connection c = connect(); PreparedStatement st = c.prepareStatement(sql)) {
      bind(st, params);
      try (ResultSet rs = st.executeQuery()) {
        ResultSetMetaData md = rs.getMetaData();
        List<Map<String, Object>> rows = new ArrayList<>();
        while (rs.next()) {
          Map<String, Object> row = new LinkedHashMap<>();
          for (int i = 1; i <= md.getColumnCount(); i++) {
            row.put(md.getColumnName(i), rs.getObject(i));
          }
          rows.add(row);
        }
        return rows;
      }
    } catch (SQLException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Runs an update; the number of rows changed. Throws {@link SQLException} as is, for tests that expect one. */
  public int update(String sql, Object... params) throws SQLException {
    try (Connection c = connect(); PreparedStatement st = c.prepareStatement(sql)) {
      bind(st, params);
      return st.executeUpdate();
    }
  }

  /** {@link #update} for fixtures, unchecked. */
  public int exec(String sql, Object... params) {
    try {
      return update(sql, params);
    } catch (SQLException e) {
      throw new IllegalStateException(e);
    }
  }

  /** A connection of its own, for a test that holds a transaction open. */
  public Connection connect() throws SQLException {
    PgConnectOptions o = PgConnectOptions.fromUri(url);
    return DriverManager.getConnection("jdbc:postgresql://" + o.getHost() + ":" + o.getPort() + "/" + o.getDatabase(),
        o.getUser(), o.getPassword());
  }

  private static void bind(PreparedStatement st, Object[] params) throws SQLException {
    for (int i = 0; i < params.length; i++) {
      st.setObject(i + 1, params[i]);
    }
  }
}
