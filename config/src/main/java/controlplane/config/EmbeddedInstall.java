package controlplane.config;

import io.vertx.core.json.JsonObject;
import java.io.IOException;

/**
 * What an embedded-mode process holds in its data directory, taken in this order and given back in reverse: the
 * directory's lock, the secrets generated there ({@link DataDirSecrets}) and the embedded PostgreSQL. Blocking.
 */
final class EmbeddedInstall implements AutoCloseable {

  private final DataDirLock lock;
  private final DataDirSecrets.Used secrets;
  private final EmbeddedDatabase database;

  private EmbeddedInstall(DataDirLock lock, DataDirSecrets.Used secrets, EmbeddedDatabase database) {
    this.lock = lock;
    this.secrets = secrets;
    this.database = database;
  }

  /** Locks {@code dataDir}, fills the secrets the configuration lacks and starts the database (into database.url). */
  static EmbeddedInstall open(JsonObject config) throws IOException {
    DataDirLock lock = DataDirLock.acquire(ControlPlane.dataDir(config));
    try {
      DataDirSecrets.Used secrets = DataDirSecrets.fill(config, lock);
      EmbeddedDatabase database = EmbeddedDatabase.start(lock);
      config.getJsonObject("database").put("url", database.url());
      return new EmbeddedInstall(lock, secrets, database);
    } catch (IOException | RuntimeException e) {
      lock.close();
      throw e;
    }
  }

  DataDirSecrets.Used secrets() {
    return secrets;
  }

  EmbeddedDatabase database() {
    return database;
  }

  @Override
  public void close() throws IOException {
    try {
      database.close();
    } finally {
      lock.close();
    }
  }
}
