package controlplane.simulator;

import io.vertx.core.Vertx;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * Standalone simulator: {@code java -jar routeros-simulator.jar --fleet FILE [--state FILE]}. Prints exactly one
 * line, {@code simulator ready: N routers}, once every router listens (logs go to stderr, warnings only), and stops
 * cleanly on SIGTERM. Without {@code --fleet} it runs the demo fleet.
 */
public final class SimulatorMain {

  private SimulatorMain() {
  }

  public static void main(String[] args) throws Exception {
    if (System.getProperty("logback.configurationFile") == null) {
      System.setProperty("logback.configurationFile", "simulator-logback.xml");
    }
    Path fleetFile = null;
    Path stateFile = null;
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
        case "--fleet" -> fleetFile = Path.of(value(args, ++i, "--fleet"));
        case "--state" -> stateFile = Path.of(value(args, ++i, "--state"));
        default -> usage("unknown argument " + args[i]);
      }
    }
    Fleet fleet = fleetFile == null ? Fleet.demo() : Fleet.load(fleetFile);
    Vertx vertx = Vertx.vertx();
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      try {
        vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
      } catch (Exception e) {
        System.err.println("simulator: unclean stop: " + e);
      }
    }, "simulator-shutdown"));
    SimulatorVerticle verticle = new SimulatorVerticle(fleet, stateFile);
    vertx.deployVerticle(verticle).onComplete(ar -> {
      if (ar.succeeded()) {
        System.out.println("simulator ready: " + verticle.simulator().size() + " routers");
        System.out.flush();
      } else {
        System.err.println("simulator failed to start: " + ar.cause());
        System.exit(1);
      }
    });
  }

  private static String value(String[] args, int i, String flag) {
    if (i >= args.length) {
      usage(flag + " needs a value");
    }
    return args[i];
  }

  private static void usage(String problem) {
    System.err.println(problem);
    System.err.println("usage: java -jar routeros-simulator.jar --fleet FILE [--state FILE]");
    System.exit(2);
  }
}
