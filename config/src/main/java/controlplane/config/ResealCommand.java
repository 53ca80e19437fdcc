package controlplane.config;

import controlplane.core.CoreConfig;
import controlplane.core.crypto.KeyRing;
import controlplane.core.persistence.KeyCustody;
import controlplane.core.persistence.Migrations;
import controlplane.core.persistence.Resealer;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.pgclient.PgBuilder;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.PoolOptions;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/**
 * {@code reseal [--config FILE]}: re-seals every stored password under {@code crypto.activeKey}, so an old key can
 * then be removed from the ring. The keys must pass the service's own checks first (KeyCustody). With the embedded
 * database the service must be stopped first (the data directory lock says so); with an external one it may run
 * meanwhile (each value is re-sealed only if unchanged since read).
 */
@Command(name = "reseal", mixinStandardHelpOptions = true, versionProvider = JarVersion.class,
    description = {"Re-seals every stored password under crypto.activeKey.",
        "Afterwards the old keys can be removed from crypto.keys. With the embedded database, stop the service "
        + "first."})
final class ResealCommand implements Callable<Integer> {

  @ParentCommand
  private Main parent;
  @Spec
  private CommandSpec spec;
  @Mixin
  private ConfigFileOption configFile;

  private final Map<String, String> env;

  ResealCommand(Map<String, String> env) {
    this.env = env;
  }

  @Override
  public Integer call() throws Exception {
    Vertx vertx = Vertx.vertx();
    EmbeddedInstall embedded = null;
    Pool pool = null;
    try {
      JsonObject config = await(ConfigLoader.load(vertx, configFile.orElse(parent.configFile), env));
      Mode mode = Mode.of(config);
      ModeRequirements.sealingKeys(mode, config);
      if (mode == Mode.EMBEDDED) {
        embedded = EmbeddedInstall.open(config);
      }
      CoreConfig core = CoreConfig.fromJson(config);
      await(Migrations.migrate(vertx, core.database()));
      pool = PgBuilder.pool().with(new PoolOptions().setMaxSize(2)).connectingTo(core.database().connectOptions())
          .using(vertx).build();
      KeyRing ring = KeyRing.of(core.crypto());
      await(KeyCustody.verify(pool, ring));
      int resealed = await(Resealer.resealAll(pool, ring));
      spec.commandLine().getOut()
          .println("re-sealed " + resealed + " stored passwords under key " + ring.activeKeyId());
      return 0;
    } finally {
      if (pool != null) {
        await(pool.close());
      }
      if (embedded != null) {
        embedded.close();
      }
      vertx.close();
    }
  }

  private static <T> T await(Future<T> f) throws Exception {
    return f.toCompletionStage().toCompletableFuture().get(10, TimeUnit.MINUTES);
  }
}
