package controlplane.config;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

@ExtendWith(VertxExtension.class)
class ConfigLoaderTest {

  @Test
  @DisplayName("defaults, then the --config file, then the environment: the environment wins")
  void layering(Vertx vertx, VertxTestContext ctx, @TempDir Path dir) throws Exception {
    Path file = dir.resolve("cp.yaml");
    Files.writeString(file, "http:\n  port: 9000\ndatabase:\n  url: postgresql://u@db:5432/cp\n");
    ConfigLoader.load(vertx, file, Map.of("CP_HTTP_PORT", "9100")).onComplete(ctx.succeeding(c -> ctx.verify(() -> {
      assertThat(c.getJsonObject("http").getLong("port")).isEqualTo(9100L);
      assertThat(c.getJsonObject("database").getString("url")).isEqualTo("postgresql://u@db:5432/cp");
      assertThat(c.getJsonObject("rotation").getInteger("passwordLength")).isEqualTo(32);
      assertThat(c.getJsonObject("simulator").containsKey("enabled")).isTrue();
      assertThat(c.getJsonObject("simulator").getValue("enabled")).as("not set: the mode decides").isNull();
      ctx.completeNow();
    })));
  }

  @Test
  @DisplayName("a --config file that does not exist is an error, not a silent default")
  void missingFile(Vertx vertx, VertxTestContext ctx, @TempDir Path dir) {
    ConfigLoader.load(vertx, dir.resolve("nope.yaml"), Map.of()).onComplete(ctx.failing(err -> ctx.verify(() -> {
      assertThat(err).hasMessageContaining("nope.yaml");
      ctx.completeNow();
    })));
  }
}
