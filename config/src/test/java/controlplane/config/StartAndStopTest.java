package controlplane.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The default (embedded) service as a real process: its start on a taken port, its schema line, its stop. */
class StartAndStopTest {

  private static final Pattern MIGRATION = Pattern.compile("V(\\d+)__.*\\.sql");

  @TempDir
  Path dir;

  @Test
  @DisplayName("a start on an HTTP port already taken: exit 1, one line naming host:port and http.port, no stack "
      + "trace")
  void portTaken() throws Exception {
    try (ServerSocket taken = new ServerSocket(0, 50, InetAddress.getByName("127.0.0.1"));
         ServiceRun run = ServiceRun.start(config(taken.getLocalPort()), dir.resolve("out.log"))) {
      assertThat(run.awaitExit()).isEqualTo(1);
      assertThat(run.lines()).filteredOn(l -> l.contains("start-up failed")).singleElement().asString()
          .endsWith("start-up failed: cannot listen on 127.0.0.1:" + taken.getLocalPort()
              + " (http.host:http.port): Address already in use; stop what holds the port or set another http.port");
      assertThat(run.output()).doesNotContain("\tat ", "BindException");
    }
  }

  @Test
  @DisplayName("a start logs the database schema at the version of the latest migration")
  void schemaVersionLogged() throws Exception {
    int port = ServiceRun.freePort();
    try (ServiceRun run = ServiceRun.start(config(port), dir.resolve("out.log")).awaitReady(port)) {
      assertThat(run.lines()).filteredOn(l -> l.contains("database schema at version")).singleElement().asString()
          .containsPattern("database schema at version " + latestMigration() + " \\(\\d+ migrations applied now\\)");
    }
  }

  @Test
  @DisplayName("SIGTERM stops the embedded service cleanly: the verticles stop before the database, no WARN or "
      + "ERROR after the stop began")
  void cleanStop() throws Exception {
    int port = ServiceRun.freePort();
    try (ServiceRun run = ServiceRun.start(config(port), dir.resolve("out.log")).awaitReady(port)) {
      assertThat(run.terminate()).as("exit status of a JVM ended by SIGTERM").isEqualTo(143);
      List<String> lines = run.lines();
      int stopping = lines.indexOf(lines.stream().filter(l -> l.contains(" - stopping")).findFirst()
          .orElseThrow(() -> new AssertionError("no 'stopping' line in:\n" + String.join("\n", lines))));
      assertThat(lines.subList(stopping, lines.size()))
          .noneMatch(l -> l.contains(" WARN ") || l.contains(" ERROR "))
          .noneMatch(l -> l.contains("Exception"));
    }
  }

  /** The highest version among core's versioned migrations, read from the source tree. */
  private static int latestMigration() throws IOException {
    try (Stream<Path> files = Files.list(Path.of("..", "core", "src", "main", "resources", "db", "migration"))) {
      return files.map(f -> MIGRATION.matcher(f.getFileName().toString())).filter(Matcher::matches)
          .mapToInt(m -> Integer.parseInt(m.group(1))).max().orElseThrow();
    }
  }

  /** Embedded mode in a fresh data directory, HTTP on {@code port}, one simulated router on a free port. */
  private Path config(int port) throws IOException {
    Path fleet = ServiceRun.oneRouterFleet(dir, ServiceRun.freePort());
    Path config = dir.resolve("cp.yaml");
    Files.writeString(config, """
        http: { host: 127.0.0.1, port: %d }
        dataDir: "%s"
        simulator: { fleetFile: "%s" }
        """.formatted(port, dir.resolve("data"), fleet));
    return config;
  }
}
