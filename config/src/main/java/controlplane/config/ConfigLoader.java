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
 * {@code --config}, then {@code CP_*} environment variables (environment wins). A key or a {@code CP_} variable that
 * the defaults do not know fails the load ({@link ConfigKeys}).
 */
public final class ConfigLoader {

  private ConfigLoader() {
  }

  public static Future<JsonObject> load(Vertx vertx, Path configFile, Map<String, String> env) {
    if (configFile != null && !Files.isRegularFile(configFile)) {
      return Future.failedFuture(new IllegalArgumentException("configuration file not found: " + configFile));
    }
    Future<JsonObject> defaults = read(vertx, "defaults.yaml");
    Future<JsonObject> file = configFile == null ? Future.succeededFuture(new JsonObject())
        : read(vertx, configFile.toAbsolutePath().toString());
    return Future.all(defaults, file).map(both -> {
      ConfigKeys keys = ConfigKeys.of(defaults.result());
      keys.refuseUnknown(file.result(), String.valueOf(configFile));
      // merged as a ConfigRetriever merges its stores
      JsonObject config = defaults.result().copy().mergeIn(file.result(), true);
      keys.refuseUnknownVariables(env, config);
      EnvOverrides.apply(config, env);
      keys.refuseUnknown(config, "CP_ variables");
      return config;
    });
  }

  private static Future<JsonObject> read(Vertx vertx, String path) {
    ConfigStoreOptions yaml = new ConfigStoreOptions().setType("file").setFormat("yaml")
        .setConfig(new JsonObject().put("path", path));
    ConfigRetriever retriever = ConfigRetriever.create(vertx, new ConfigRetrieverOptions().setScanPeriod(0)
        .setIncludeDefaultStores(false).addStore(yaml));
    return retriever.getConfig().eventually(() -> {
      retriever.close();
      return Future.succeededFuture();
    });
  }
}
