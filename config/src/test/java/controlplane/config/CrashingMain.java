package controlplane.config;

import controlplane.core.bus.RotationHook;
import controlplane.core.bus.RotationStep;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;

/**
 * The service, started as {@link Main} starts it, with a hook that halts the JVM at once (no shutdown hooks, as with
 * SIGKILL) when a rotation reaches one step: {@code CrashingMain --config FILE --crash-at STEP}. The crash tests run
 * it as a child process, then start the real service on the same database and check that it converges.
 */
public final class CrashingMain {

  /** Exit status of a process halted at the step. */
  public static final int EXIT_STATUS = 86;

  private CrashingMain() {
  }

  public static void main(String[] args) throws Exception {
    if (args.length != 4 || !args[0].equals("--config") || !args[2].equals("--crash-at")) {
      System.err.println("usage: CrashingMain --config FILE --crash-at STEP");
      System.exit(2);
    }
    RotationStep crashAt = RotationStep.valueOf(args[3]);
    RotationHook hook = (step, siteId, versionId) -> {
      if (step == crashAt) {
        System.out.println("crash test: halting at " + step);
        System.out.flush();
        Runtime.getRuntime().halt(EXIT_STATUS);
      }
      return Future.succeededFuture();
    };
    PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    Vertx vertx = Main.newVertx(registry);
    JsonObject config = ConfigLoader.load(vertx, Path.of(args[1]), System.getenv())
        .toCompletionStage().toCompletableFuture().get();
    ControlPlane.start(vertx, config, registry, hook).toCompletionStage().toCompletableFuture().get();
    System.out.println("crash test: serving, armed at " + crashAt);
  }
}
