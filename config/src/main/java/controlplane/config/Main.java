package controlplane.config;

import controlplane.core.ConfigurationException;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.micrometer.MicrometerMetricsFactory;
import io.vertx.micrometer.MetricsDomain;
import io.vertx.micrometer.MicrometerMetricsOptions;
import io.vertx.spi.cluster.hazelcast.HazelcastClusterManager;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/**
 * The jar's entry point and its default command, the service: {@code java -jar control-plane.jar [--config FILE]}.
 * The other commands are its subcommands: {@link TokenCommand} ({@code token}), {@link RouterLoginCheck}
 * ({@code login}), {@link ResealCommand} ({@code reseal}) and {@link RotateFleetCommand} ({@code rotate-fleet});
 * {@code --help} after any of them says what it takes.
 */
@Command(name = "java -jar control-plane.jar", mixinStandardHelpOptions = true, versionProvider = JarVersion.class,
    description = "Runs the control plane (HTTP API, rotation, reconciler; embedded PostgreSQL and the simulated demo "
        + "routers unless configured otherwise) until stopped, unless a command is given.")
public final class Main implements Callable<Integer> {

  private static final Logger LOG = LoggerFactory.getLogger(Main.class);
  static final String DEMO_SCOPE = "credentials:read credentials:rotate sites:write";

  @Mixin
  ConfigFileOption configFile;

  private final Map<String, String> env;

  private Main(Map<String, String> env) {
    this.env = env;
  }

  public static void main(String[] args) {
    int status = commandLine(System.getenv(), System.in).execute(args);
    // After a 0 the service goes on serving on Vert.x's threads (a command's threads just end).
    if (status != 0) {
      System.exit(status);
    }
  }

  /**
   * The jar's command line, reading {@code env} for {@code CP_*} variables and {@code stdin} for what a command
   * reads there. {@code execute(args)} answers the exit status: 0, 1 when a command failed, 2 for bad arguments
   * (the error and the usage on standard error).
   */
  static CommandLine commandLine(Map<String, String> env, InputStream stdin) {
    return new CommandLine(new Main(env))
        .addSubcommand(new TokenCommand(env))
        .addSubcommand(new RouterLoginCheck(env, stdin))
        .addSubcommand(new ResealCommand(env))
        .addSubcommand(new RotateFleetCommand(env))
        .setExecutionExceptionHandler(Main::failedCommand)
        .setUsageHelpWidth(100);
  }

  @Override
  public Integer call() {
    return run(configFile.file);
  }

  static Vertx newVertx(PrometheusMeterRegistry registry) {
    controlplane.http.PrometheusJvmMeters.configure(registry);
    return Vertx.builder()
        .with(vertxOptions())
        .withMetrics(new MicrometerMetricsFactory(registry))
        .build();
  }

  /**
   * The service's Vert.x: {@link #newVertx(PrometheusMeterRegistry)}, or with {@code cluster.enabled} a clustered
   * one (Hazelcast membership and event bus as {@link ClusterConfig} says), which has joined when this completes.
   */
  static Future<Vertx> newVertx(PrometheusMeterRegistry registry, ClusterConfig cluster) {
    if (!cluster.enabled()) {
      return Future.succeededFuture(newVertx(registry));
    }
    controlplane.http.PrometheusJvmMeters.configure(registry);
    return Vertx.builder()
        .with(vertxOptions().setEventBusOptions(cluster.eventBus()))
        .withMetrics(new MicrometerMetricsFactory(registry))
        .withClusterManager(new HazelcastClusterManager(cluster.hazelcast()))
        .buildClustered();
  }

  private static VertxOptions vertxOptions() {
    // Router connections are not counted by Vert.x (two per rotation, a gauge registered for each: about 2 % of the
    // service's CPU); cp_device_operation_seconds measures the device work instead.
    MicrometerMetricsOptions metrics = new MicrometerMetricsOptions().setEnabled(true).setJvmMetricsEnabled(true)
        .addDisabledMetricsCategory(MetricsDomain.NET_CLIENT);
    return new VertxOptions().setMetricsOptions(metrics);
  }

  /** The configuration, read with a Vert.x of its own: the service's may be clustered, which the configuration says. */
  private JsonObject loadConfig(Path configFile) throws Exception {
    Vertx reader = Vertx.vertx();
    try {
      return ConfigLoader.load(reader, configFile, env).toCompletionStage().toCompletableFuture().get();
    } finally {
      reader.close();
    }
  }

  private int run(Path configFile) {
    PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    Vertx vertx = null;
    ControlPlane cp;
    try {
      JsonObject config = loadConfig(configFile);
      vertx = newVertx(registry, ClusterConfig.fromJson(config)).toCompletionStage().toCompletableFuture().get();
      cp = ControlPlane.start(vertx, config, registry).toCompletionStage().toCompletableFuture().get();
    } catch (Exception e) {
      Throwable cause = e.getCause() != null ? e.getCause() : e;
      // a data directory in use, or a configuration refused (keys and values are refused with
      // ConfigurationException or IllegalArgumentException): expected, and the message says it all
      if (cause instanceof DataDirLock.InUseException || cause instanceof ConfigurationException
          || cause instanceof IllegalArgumentException) {
        LOG.error("start-up failed: {}", cause.getMessage());
        LOG.debug("start-up failure", cause);
      } else {
        LOG.error("start-up failed: {}", cause.toString(), cause);
      }
      if (vertx != null) {
        vertx.close();
      }
      return 1;
    }
    Vertx running = vertx;
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      LOG.info("stopping");
      try {
        cp.stop().eventually(running::close).toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
      } catch (Exception e) {
        LOG.warn("shutdown did not complete cleanly: {}", e.toString());
      }
    }, "shutdown"));
    cp.stopAtExitByOwner();
    System.out.println(Banner.text(cp));
    System.out.flush();
    return 0;
  }

  /** A subcommand that threw: one line on standard error, as the commands report their expected failures. */
  private static int failedCommand(Exception e, CommandLine cmd, CommandLine.ParseResult parsed) {
    Throwable cause = e instanceof ExecutionException && e.getCause() != null ? e.getCause() : e;
    cmd.getErr().println(cmd.getCommandName() + ": " + (cause.getMessage() != null ? cause.getMessage() : cause));
    return 1;
  }
}
