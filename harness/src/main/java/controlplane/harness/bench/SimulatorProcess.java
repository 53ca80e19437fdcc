package controlplane.harness.bench;

import controlplane.harness.HarnessCommand;
import controlplane.harness.HarnessCommandLine;
import controlplane.simulator.Faults;
import controlplane.simulator.Fleet;
import controlplane.simulator.LoginStyle;
import controlplane.simulator.SimulatorVerticle;
import controlplane.simulator.UserSpec;
import io.vertx.core.Vertx;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/**
 * The simulator in a process of its own: the production {@link SimulatorVerticle} with a generated fleet of
 * {@code count} routers on consecutive addresses from {@code firstAddress}, all on {@code port}, each with the users
 * {@value #API_USER} (the product's), {@value #FLOOR_USER} (the device floor's) and {@value #SCRIPT_USER} (the
 * operator script's), so that neither the floor nor the script disturbs the product's credentials. Prints {@code simulator ready: N routers in T ms}; then answers {@code stats} on stdin with
 * {@code stats heap_used_mib=U heap_max_mib=M} (after a full GC), and stops on {@code quit} or end of input.
 */
@Command(name = "SimulatorProcess", description = "The bench's simulator: COUNT routers from FIRST_ADDRESS, all on "
    + "PORT; answers stats and quit on stdin.")
public final class SimulatorProcess extends HarnessCommand {

  static final String API_USER = "altostrat-api";
  static final String API_PASSWORD = "bootstrap";
  static final String FLOOR_USER = "bench-floor";
  static final String FLOOR_PASSWORD = "floor-0";
  /** The operator script's own user (harness/python/operator_script.py), never the product's. */
  static final String SCRIPT_USER = "bench-script";
  static final String SCRIPT_PASSWORD = "script-0";

  @Parameters(index = "0", paramLabel = "COUNT", description = "Routers simulated.")
  int count;

  @Parameters(index = "1", paramLabel = "FIRST_ADDRESS", description = "Loopback address of the first router.")
  String firstAddress;

  @Parameters(index = "2", paramLabel = "PORT", description = "The routers' API port.")
  int port;

  static Fleet fleet(int count, String firstAddress, int port) {
    List<UserSpec> users = List.of(new UserSpec("admin", "full", ""), new UserSpec(API_USER, "full", API_PASSWORD),
        new UserSpec(FLOOR_USER, "full", FLOOR_PASSWORD), new UserSpec(SCRIPT_USER, "full", SCRIPT_PASSWORD));
    return new Fleet(List.of(), new Fleet.Generate(count, firstAddress, port, "7.15.3", LoginStyle.PLAIN, users,
        Faults.NONE));
  }

  public static void main(String[] args) {
    HarnessCommandLine.exit(new SimulatorProcess(), args);
  }

  @Override
  public Integer call() throws Exception {
    Vertx vertx = Vertx.vertx();
    long t0 = System.nanoTime();
    SimulatorVerticle verticle = new SimulatorVerticle(fleet(count, firstAddress, port), null);
    vertx.deployVerticle(verticle).toCompletionStage().toCompletableFuture().get(10, TimeUnit.MINUTES);
    System.out.println("simulator ready: " + verticle.simulator().size() + " routers in "
        + (System.nanoTime() - t0) / 1_000_000 + " ms");
    System.out.flush();
    BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
    try {
      for (String line = in.readLine(); line != null && !line.equals("quit"); line = in.readLine()) {
        if (line.equals("stats")) {
          for (int i = 0; i < 3; i++) {
            System.gc();
          }
          var heap = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage();
          System.out.println("stats heap_used_mib=" + (heap.getUsed() >> 20)
              + " heap_max_mib=" + (heap.getMax() >> 20));
          System.out.flush();
        }
      }
    } catch (IOException e) {
      // the harness went away: stop
    }
    vertx.close().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    return 0;
  }
}
