package controlplane.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EmbeddedDatabaseTest {

  @Test
  @DisplayName("the embedded server acknowledges a commit only once it is flushed (io.zonky's default is off)")
  void durableCommits(@TempDir Path dataDir) throws Exception {
    try (EmbeddedDatabase db = EmbeddedDatabase.start(dataDir)) {
      try (Connection c = DriverManager.getConnection(
          "jdbc:postgresql://localhost:" + db.port() + "/postgres", "postgres", "");
           Statement s = c.createStatement()) {
        assertThat(setting(s, "synchronous_commit")).isEqualTo("on");
        assertThat(setting(s, "fsync")).isEqualTo("on");
      }
    }
  }

  private static String setting(Statement s, String name) throws Exception {
    try (ResultSet rs = s.executeQuery("SHOW " + name)) {
      rs.next();
      return rs.getString(1);
    }
  }
}
