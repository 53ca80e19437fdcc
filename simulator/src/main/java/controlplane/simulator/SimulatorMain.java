package controlplane.simulator;

import io.vertx.core.Vertx;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.Properties;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.IVersionProvider;
import picocli.CommandLine.Option;
import picocli.CommandLine.UnmatchedArgumentException;

/**
 * Standalone simulator: {@code java -jar routeros-simulator.jar [--fleet FILE] [--state FILE]}. Prints exactly one
 * line, {@code simulator ready: N routers}, once every router listens (logs go to stderr, warnings only), and stops
 * cleanly on SIGTERM. {@code --help} and {@code --version} exit 0; a bad command line prints what is wrong and the
 * usage on standard error and exits 2; a fleet that cannot be loaded or started exits 1.
 */
@Command(name = "java -jar routeros-simulator.jar", mixinStandardHelpOptions = true,
    versionProvider = SimulatorMain.Version.class,
    description = {"Serves the RouterOS API of a fleet of simulated routers until stopped (SIGTERM).",
        "Prints 'simulator ready: N routers' on standard output once every router listens."})
public final class SimulatorMain implements Callable<Integer> {

  @Option(names = "--fleet", paramLabel = "FILE",
      description = "The fleet file (YAML: the routers, their versions, users and faults). Default: the demo fleet.")
  Path fleetFile;

  @Option(names = "--state", paramLabel = "FILE",
      description = "Where the routers' users are kept across restarts. Default: in memory only.")
  Path stateFile;

  private SimulatorMain() {
  }

  public static void main(String[] args) {
    if (System.getProperty("logback.configurationFile") == null) {
      System.setProperty("logback.configurationFile", "simulator-logback.xml");
    }
    int status = commandLine().execute(args);
    // After a 0 the simulator goes on serving on Vert.x's threads (--help and --version just end).
    if (status != 0) {
      System.exit(status);
    }
  }

  /**
   * The command line: {@code execute(args)} answers 0 (serving, or help and version printed), 1 when the fleet could
   * not be loaded or started, 2 for a bad command line (the error, picocli's suggestions and the usage on standard
   * error; picocli alone leaves the usage out when it has a suggestion).
   */
  static CommandLine commandLine() {
    return new CommandLine(new SimulatorMain())
        .setUsageHelpWidth(100)
        .setParameterExceptionHandler((e, args) -> {
          CommandLine line = e.getCommandLine();
          PrintWriter err = line.getErr();
          err.println(e.getMessage());
          UnmatchedArgumentException.printSuggestions(e, err);
          line.usage(err, line.getColorScheme());
          return line.getCommandSpec().exitCodeOnInvalidInput();
        })
        .setExecutionExceptionHandler((e, line, parsed) -> {
          Throwable cause = e instanceof ExecutionException && e.getCause() != null ? e.getCause() : e;
          line.getErr().println("simulator failed to start: "
              + (cause.getMessage() != null ? cause.getMessage() : cause.toString()));
          return 1;
        });
  }

  @Override
  public Integer call() throws Exception {
    Fleet fleet;
    try {
      fleet = fleetFile == null ? Fleet.demo() : Fleet.load(fleetFile);
    } catch (IOException e) {
      throw new IOException("cannot read the fleet file " + fleetFile + " (" + e + ")", e);
    }
    Vertx vertx = Vertx.vertx();
    SimulatorVerticle verticle = new SimulatorVerticle(fleet, stateFile);
    try {
      vertx.deployVerticle(verticle).toCompletionStage().toCompletableFuture().get();
    } catch (Exception e) {
      vertx.close();
      throw e;
    }
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      try {
        vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
      } catch (Exception e) {
        System.err.println("simulator: unclean stop: " + e);
      }
    }, "simulator-shutdown"));
    System.out.println("simulator ready: " + verticle.simulator().size() + " routers");
    System.out.flush();
    return 0;
  }

  /** What {@code --version} prints: the project version that the build writes into {@code version.properties}. */
  static final class Version implements IVersionProvider {

    @Override
    public String[] getVersion() {
      Properties p = new Properties();
      try (InputStream in = SimulatorMain.class.getResourceAsStream("version.properties")) {
        if (in != null) {
          p.load(in);
        }
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      return new String[] {"routeros-simulator " + p.getProperty("version", "unknown")};
    }
  }
}
