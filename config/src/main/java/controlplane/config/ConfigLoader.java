package controlplane.config;

import io.vertx.config.ConfigRetriever;
import io.vertx.config.ConfigRetrieverOptions;
import io.vertx.config.ConfigStoreOptions;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * Reads the configuration once: defaults from {@code defaults.yaml} in the jar, then the file given with
 * {@code --config}, then {@code CP_*} environment variables (environment wins).
 */
public final class ConfigLoader {

  private ConfigLoader() {
  }

  public static Future<JsonObject> load(Vertx vertx, Path configFile, Map<String, String> env) {
    ConfigRetrieverOptions options = new ConfigRetrieverOptions().setScanPeriod(0).setIncludeDefaultStores(false)
        .addStore(yaml("defaults.yaml"));
    if (configFile != null) {
      if (!Files.isRegularFile(configFile)) {
        return Future.failedFuture(new IllegalArgumentException("configuration file not found: " + configFile));
      }
      options.addStore(yaml(configFile.toAbsolutePath().toString()));
    }
    ConfigRetriever retriever = ConfigRetriever.create(vertx, options);
    return retriever.getConfig()
        .map(config -> EnvOverrides.apply(config, env))
        .eventually(() -> {
          retriever.close();
          return Future.succeededFuture();
        });
  }

  private static ConfigStoreOptions yaml(String path) {
    return new ConfigStoreOptions().setType("file").setFormat("yaml").setConfig(new JsonObject().put("path", path));
  }
}
