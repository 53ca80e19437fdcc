package controlplane.simulator;

import static org.assertj.core.api.Assertions.assertThat;

import controlplane.device.protocol.Sentence;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StateFileTest {

  private static final String FLEET = """
      routers:
        - name: keep
          address: 127.77.5.1
          port: 8728
          users: [ { name: altostrat-api, group: full, password: "bootstrap" } ]
        - name: untouched
          address: 127.77.5.2
          port: 8728
          users: [ { name: altostrat-api, group: full, password: "bootstrap" } ]
      """;

  @Test
  @DisplayName("users changed over the API survive a restart through the state file")
  void survivesRestart(@TempDir Path dir) throws Exception {
    Path state = dir.resolve("sub/state.json");
    try (SimulatorFixture sim = new SimulatorFixture(Fleet.fromYaml(FLEET), state)) {
      try (RawClient c = RawClient.connect(sim.router("keep")).login("altostrat-api", "bootstrap")) {
        assertThat(c.call("/user/set", "=numbers=altostrat-api", "=password=rotated")).containsExactly(
            Sentence.of("!done"));
        assertThat(c.call("/user/add", "=name=extra", "=group=read", "=password=e")).hasSize(1);
      }
    } // stopping writes the file one last time
    JsonObject saved = new JsonObject(Files.readString(state));
    assertThat(saved.getJsonObject("routers").fieldNames()).containsExactly("keep");
    assertThat(saved.getJsonObject("routers").getJsonObject("keep").getJsonArray("users")).hasSize(2);
    try (Stream files = new Stream(dir.resolve("sub"))) {
      assertThat(files.names()).containsExactly("state.json"); // no temporary file left behind
    }

    try (SimulatorFixture sim = new SimulatorFixture(Fleet.fromYaml(FLEET), state)) {
      try (RawClient c = RawClient.connect(sim.router("keep"))) {
        assertThat(c.call("/login", "=name=altostrat-api", "=password=bootstrap").get(0).head()).isEqualTo("!trap");
        c.login("altostrat-api", "rotated");
        assertThat(c.call("/user/print", "=.proplist=.id,name")).containsExactly(
            Sentence.of("!re", "=.id=*1", "=name=altostrat-api"), Sentence.of("!re", "=.id=*2", "=name=extra"),
            Sentence.of("!done"));
      }
      try (RawClient c = RawClient.connect(sim.router("untouched"))) {
        c.login("altostrat-api", "bootstrap");
      }
    }
  }

  /** The file names of a directory. */
  private static final class Stream implements AutoCloseable {
    private final java.util.stream.Stream<Path> paths;

    Stream(Path dir) throws java.io.IOException {
      paths = Files.list(dir);
    }

    List<String> names() {
      return paths.map(p -> p.getFileName().toString()).toList();
    }

    @Override
    public void close() {
      paths.close();
    }
  }
}
