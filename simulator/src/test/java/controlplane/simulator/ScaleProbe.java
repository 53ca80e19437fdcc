package controlplane.simulator;

import controlplane.device.client.ClientOptions;
import controlplane.device.client.RouterOsClient;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.lang.management.ManagementFactory;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Measures the scale target outside the unit tests: N generated routers (default 10,000) from 127.1.0.1, the time
 * until all listen, the heap in use, then one login (device client: connect, /login, close) to every router with
 * 64 in flight, and the rate. Run with {@code -Xmx512m}; see the module's note for the command.
 */
public final class ScaleProbe {

  private ScaleProbe() {
  }

  public static void main(String[] args) throws Exception {
    int count = args.length > 0 ? Integer.parseInt(args[0]) : 10_000;
    int inFlight = args.length > 1 ? Integer.parseInt(args[1]) : 64;
    Fleet fleet = Fleet.fromYaml("""
        generate:
          count: %d
          firstAddress: 127.1.0.1
          port: 8728
          version: "7.15.3"
          users: [ { name: altostrat-api, group: full, password: "bootstrap" } ]
        """.formatted(count));
    Vertx vertx = Vertx.vertx();
    SimulatorVerticle verticle = new SimulatorVerticle(fleet, null);
    long t0 = System.nanoTime();
    vertx.deployVerticle(verticle).toCompletionStage().toCompletableFuture().get(10, TimeUnit.MINUTES);
    long readyMs = (System.nanoTime() - t0) / 1_000_000;
    System.out.printf("ready: %d routers in %d ms; heap used after GC: %d MiB (max %d MiB)%n", count, readyMs,
        heapAfterGc(), Runtime.getRuntime().maxMemory() >> 20);

    List<SimulatedRouter> routers = verticle.simulator().routers();
    RouterOsClient client = RouterOsClient.create(vertx, ClientOptions.defaults());
    AtomicInteger next = new AtomicInteger();
    AtomicInteger ok = new AtomicInteger();
    AtomicInteger failed = new AtomicInteger();
    long t1 = System.nanoTime();
    Promise<Void> all = Promise.promise();
    AtomicInteger workers = new AtomicInteger(inFlight);
    for (int w = 0; w < inFlight; w++) {
      loginLoop(client, routers, next, ok, failed).onComplete(v -> {
        if (workers.decrementAndGet() == 0) {
          all.complete();
        }
      });
    }
    all.future().toCompletionStage().toCompletableFuture().get(30, TimeUnit.MINUTES);
    double seconds = (System.nanoTime() - t1) / 1e9;
    System.out.printf("logins: %d ok, %d failed in %.1f s = %.0f logins/s (%d in flight)%n", ok.get(), failed.get(),
        seconds, ok.get() / seconds, inFlight);
    System.out.printf("heap used after GC, all routers' state created: %d MiB%n", heapAfterGc());
    vertx.close().toCompletionStage().toCompletableFuture().get(1, TimeUnit.MINUTES);
  }

  /** Logs in to the next router until none is left. */
  private static Future<Void> loginLoop(RouterOsClient client, List<SimulatedRouter> routers, AtomicInteger next,
      AtomicInteger ok, AtomicInteger failed) {
    int i = next.getAndIncrement();
    if (i >= routers.size()) {
      return Future.succeededFuture();
    }
    SimulatedRouter r = routers.get(i);
    return client.connect(r.address(), r.port(), false)
        .compose(c -> c.login("altostrat-api", "bootstrap").eventually(c::close))
        .andThen(ar -> (ar.succeeded() ? ok : failed).incrementAndGet())
        .transform(ar -> loginLoop(client, routers, next, ok, failed));
  }

  private static long heapAfterGc() {
    for (int i = 0; i < 3; i++) {
      System.gc();
    }
    return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed() >> 20;
  }
}
