package controlplane.config;

import controlplane.http.HttpConfig;
import controlplane.http.TokenMinter;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.micrometer.MicrometerMetricsFactory;
import io.vertx.micrometer.MicrometerMetricsOptions;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code java -jar control-plane.jar [--config FILE]} runs the service;
 * {@code java -jar control-plane.jar token --org ORG --scope "..." [--sub NAME] [--ttl SECONDS]} prints a token
 * signed with the configured (or development) HS256 secret;
 * {@code java -jar control-plane.jar login --host H --port P --user U --password P} checks a RouterOS API login;
 * {@code java -jar control-plane.jar reseal [--config FILE]} re-seals every stored password under the active key.
 */
public final class Main {

  private static final Logger LOG = LoggerFactory.getLogger(Main.class);
  static final String DEMO_SCOPE = "credentials:read credentials:rotate sites:write";

  private Main() {
  }

  public static void main(String[] args) {
    CommandLine cl;
    try {
      cl = CommandLine.parse(args);
    } catch (IllegalArgumentException e) {
      System.err.println(e.getMessage());
      System.err.println(CommandLine.USAGE);
      System.exit(2);
      return;
    }
    int status = switch (cl.command()) {
      case "help" -> {
        System.out.println(CommandLine.USAGE);
        yield 0;
      }
      case "token" -> token(cl);
      case "login" -> login(cl);
      case "reseal" -> reseal(cl);
      default -> run(cl);
    };
    if (status != 0) {
      System.exit(status);
    }
  }

  static Vertx newVertx(PrometheusMeterRegistry registry) {
    controlplane.http.PrometheusJvmMeters.configure(registry);
    MicrometerMetricsOptions metrics = new MicrometerMetricsOptions().setEnabled(true).setJvmMetricsEnabled(true);
    return Vertx.builder()
        .with(new VertxOptions().setMetricsOptions(metrics))
        .withMetrics(new MicrometerMetricsFactory(registry))
        .build();
  }

  private static int run(CommandLine cl) {
    PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    Vertx vertx = newVertx(registry);
    ControlPlane cp;
    try {
      JsonObject config = ConfigLoader.load(vertx, cl.configFile(), System.getenv())
          .toCompletionStage().toCompletableFuture().get();
      cp = ControlPlane.start(vertx, config, registry).toCompletionStage().toCompletableFuture().get();
    } catch (Exception e) {
      Throwable cause = e.getCause() != null ? e.getCause() : e;
      LOG.error("start-up failed: {}", cause.toString(), cause);
      vertx.close();
      return 1;
    }
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      LOG.info("stopping");
      try {
        cp.stop().eventually(vertx::close).toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
      } catch (Exception e) {
        LOG.warn("shutdown did not complete cleanly: {}", e.toString());
      }
    }, "shutdown"));
    System.out.println(Banner.text(cp));
    System.out.flush();
    return 0;
  }

  private static int reseal(CommandLine cl) {
    try {
      return ResealCommand.run(cl);
    } catch (Exception e) {
      Throwable cause = e.getCause() != null ? e.getCause() : e;
      System.err.println("reseal: " + cause.getMessage());
      return 1;
    }
  }

  private static int login(CommandLine cl) {
    try {
      return RouterLoginCheck.run(cl);
    } catch (Exception e) {
      System.err.println("login: " + e.getMessage());
      return 1;
    }
  }

  private static int token(CommandLine cl) {
    PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    Vertx vertx = newVertx(registry);
    try {
      JsonObject config = ConfigLoader.load(vertx, cl.configFile(), System.getenv())
          .toCompletionStage().toCompletableFuture().get();
      Path dataDir = ControlPlane.dataDir(config);
      DataDirSecrets.fill(config, dataDir);
      HttpConfig http = HttpConfig.fromJson(config);
      String secret = config.getJsonObject("auth").getJsonObject("jwt").getString("hs256Secret");
      if (secret == null) {
        System.err.println("token: no auth.jwt.hs256Secret is configured; mint tokens with your identity provider");
        return 1;
      }
      String org = cl.option("org", DemoSite.ORG_ID);
      String scope = cl.option("scope", DEMO_SCOPE);
      String sub = cl.option("sub", "cli");
      long ttl = Long.parseLong(cl.option("ttl", String.valueOf(Duration.ofHours(12).toSeconds())));
      System.out.println(TokenMinter.mint(secret, org, scope, sub, Duration.ofSeconds(ttl), http.issuer(), http.audience()));
      return 0;
    } catch (Exception e) {
      Throwable cause = e.getCause() != null ? e.getCause() : e;
      System.err.println("token: " + cause.getMessage());
      return 1;
    } finally {
      vertx.close();
    }
  }
}
