package controlplane.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import controlplane.core.ConfigurationException;
import io.vertx.pgclient.PgConnectOptions;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EmbeddedDatabaseTest {

  @Test
  @DisplayName("the embedded server acknowledges a commit only once it is flushed (io.zonky's default is off)")
  void durableCommits(@TempDir Path dataDir) throws Exception {
    try (DataDirLock lock = DataDirLock.acquire(dataDir); EmbeddedDatabase db = EmbeddedDatabase.start(lock);
         Connection c = connect(db.url()); Statement s = c.createStatement()) {
      assertThat(setting(s, "synchronous_commit")).isEqualTo("on");
      assertThat(setting(s, "fsync")).isEqualTo("on");
    }
  }

  @Test
  @DisplayName("a connection without the password, or with a wrong one, is refused; the service's own works, and "
      + "again after a restart")
  void passwordRequired(@TempDir Path dataDir) throws Exception {
    String url;
    try (DataDirLock lock = DataDirLock.acquire(dataDir); EmbeddedDatabase db = EmbeddedDatabase.start(lock)) {
      url = db.url();
      assertRefusedWithoutPassword(db.port());
      assertThat(select1(url)).isTrue();
      assertThat(PgHba.trusts(dataDir.resolve("postgres"))).isFalse();
    }
    Path passwordFile = dataDir.resolve(EmbeddedDatabase.PASSWORD_FILE);
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(passwordFile))).isEqualTo("rw-------");
    assertThat(url).contains(Files.readString(passwordFile).trim());

    try (DataDirLock lock = DataDirLock.acquire(dataDir); EmbeddedDatabase db = EmbeddedDatabase.start(lock)) {
      assertThat(PgConnectOptions.fromUri(db.url()).getPassword()).isEqualTo(PgConnectOptions.fromUri(url)
          .getPassword());
      assertThat(select1(db.url())).isTrue();
      assertRefusedWithoutPassword(db.port());
    }
  }

  @Test
  @DisplayName("a data directory made before the password (trust) is moved to password authentication on its start")
  void trustingDataDirectoryIsMoved(@TempDir Path dataDir) throws Exception {
    // What earlier versions made: io.zonky's initdb -A trust.
    try (EmbeddedPostgres old = EmbeddedDatabase.durableBuilder().setDataDirectory(dataDir.resolve("postgres"))
        .setCleanDataDirectory(false).start()) {
      assertThat(select1("postgresql://postgres@localhost:" + old.getPort() + "/postgres")).isTrue();
    }
    assertThat(PgHba.trusts(dataDir.resolve("postgres"))).isTrue();

    try (DataDirLock lock = DataDirLock.acquire(dataDir); EmbeddedDatabase db = EmbeddedDatabase.start(lock)) {
      assertRefusedWithoutPassword(db.port());
      assertThat(select1(db.url())).isTrue();
    }
    assertThat(PgHba.trusts(dataDir.resolve("postgres"))).isFalse();
    try (DataDirLock lock = DataDirLock.acquire(dataDir); EmbeddedDatabase db = EmbeddedDatabase.start(lock)) {
      assertRefusedWithoutPassword(db.port());
      assertThat(select1(db.url())).isTrue();
    }
  }

  @Test
  @DisplayName("a lost password file is not replaced: the start is refused, naming the file")
  void lostPasswordFile(@TempDir Path dataDir) throws Exception {
    try (DataDirLock lock = DataDirLock.acquire(dataDir); EmbeddedDatabase db = EmbeddedDatabase.start(lock)) {
      assertThat(select1(db.url())).isTrue();
    }
    Path passwordFile = dataDir.resolve(EmbeddedDatabase.PASSWORD_FILE);
    Files.delete(passwordFile);
    try (DataDirLock lock = DataDirLock.acquire(dataDir)) {
      assertThatThrownBy(() -> EmbeddedDatabase.start(lock)).isInstanceOf(ConfigurationException.class)
          .hasMessageStartingWith(passwordFile + " is missing");
    }
    assertThat(passwordFile).doesNotExist();
  }

  private static void assertRefusedWithoutPassword(int port) {
    String jdbc = "jdbc:postgresql://localhost:" + port + "/postgres";
    assertThatThrownBy(() -> DriverManager.getConnection(jdbc, "postgres", "").close())
        .isInstanceOf(SQLException.class);
    assertThatThrownBy(() -> DriverManager.getConnection(jdbc, "postgres", "wrong-password").close())
        .isInstanceOf(SQLException.class).hasMessageContaining("password authentication failed");
  }

  private static boolean select1(String url) throws SQLException {
    try (Connection c = connect(url); Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT 1")) {
      return rs.next() && rs.getInt(1) == 1;
    }
  }

  /** A connection as the service makes one: user and password of the {@code postgresql://} URL. */
  private static Connection connect(String url) throws SQLException {
    PgConnectOptions o = PgConnectOptions.fromUri(url);
    return DriverManager.getConnection("jdbc:postgresql://" + o.getHost() + ":" + o.getPort() + "/"
        + o.getDatabase(), o.getUser(), o.getPassword());
  }

  private static String setting(Statement s, String name) throws Exception {
    try (ResultSet rs = s.executeQuery("SHOW " + name)) {
      rs.next();
      return rs.getString(1);
    }
  }
}
