package controlplane.config;

import controlplane.core.testing.TestDatabase;
import io.vertx.core.json.JsonArray;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The figures of docs/SCALE-OUT.md, one API node against two: not a test (its name keeps it out of {@code mvn
 * verify}); run it with {@code mvn -o test -pl config -am -Dtest=ScaleOutMeasure -Dsurefire.failIfNoSpecifiedTests=false}
 * (add {@code -Dconnection.uri=postgresql://postgres@127.0.0.1:5432/test} for the machine's PostgreSQL). The stack of
 * {@link ScaleOutTest} (separate JVMs, mutual TLS) with one device process for both edges; a closed loop of
 * rotations through api1 alone, then through api1 and api2. Prints rotations/s, p50 and p99, and the load average.
 */
class ScaleOutMeasure {

  private static final int SITES = Integer.getInteger("scaleout.sites", 200);
  private static final int IN_FLIGHT = Integer.getInteger("scaleout.inFlight", 32);
  private static final int SECONDS = Integer.getInteger("scaleout.seconds", 30);

  @TempDir
  Path dir;

  @Test
  void oneVersusTwoApiNodes() throws Exception {
    ScaleOutTest stack = new ScaleOutTest();
    stack.dir = dir;
    try {
      String dbUrl = TestDatabase.freshDatabase();
      List<ScaleOutTest.Router> routers = stack.startRouters(SITES);
      int hz1 = ServiceRun.freePort();
      int hz2 = ServiceRun.freePort();
      int hzEdge = ServiceRun.freePort();
      ScaleOutTest.Cluster cluster = new ScaleOutTest.Cluster("measure-" + UUID.randomUUID(),
          List.of(hz1, hz2, hzEdge), ClusterTls.write(dir.resolve("tls"), "measure"));
      String key = ScaleOutTest.sealingKey();
      ScaleOutTest.Node api1 = stack.new Node("api1", stack.config(cluster, List.of("api", "core"), null, hz1, dbUrl,
          key));
      ScaleOutTest.Node api2 = stack.new Node("api2", stack.config(cluster, List.of("api", "core"), null, hz2, dbUrl,
          key));
      ScaleOutTest.Node edges = stack.new Node("edges", stack.config(cluster, List.of("device"), "edge-a", hzEdge,
          null, null));
      edges.config.getJsonObject("device").put("edges", new JsonArray(List.of("edge-a", "edge-b")));
      api1.start();
      api1.awaitReady();
      edges.start();
      edges.awaitReady();
      List<String> sites = new ArrayList<>();
      for (ScaleOutTest.Router r : routers) {
        sites.add(stack.enrol(api1, r));
      }
      run(stack, List.of(api1), sites, 10, "warm-up, api1");
      run(stack, List.of(api1), sites, SECONDS, "one API node (api1)");
      api2.start();
      api2.awaitReady();
      run(stack, List.of(api1, api2), sites, 10, "warm-up, api1 + api2");
      run(stack, List.of(api1, api2), sites, SECONDS, "two API nodes (api1 + api2)");
      for (ScaleOutTest.Node n : List.of(api1, api2, edges)) {
        System.out.println("measure: " + n.name + " RSS " + rssMiB(n) + " MiB");
      }
    } finally {
      stack.stop();
    }
  }

  private static void run(ScaleOutTest stack, List<ScaleOutTest.Node> nodes, List<String> sites, int seconds,
                          String label) throws Exception {
    List<Long> latencies = Collections.synchronizedList(new ArrayList<>());
    ConcurrentHashMap<Integer, AtomicInteger> statuses = new ConcurrentHashMap<>();
    AtomicBoolean running = new AtomicBoolean(true);
    ExecutorService pool = Executors.newFixedThreadPool(IN_FLIGHT);
    for (int i = 0; i < IN_FLIGHT; i++) {
      ScaleOutTest.Node node = nodes.get(i % nodes.size());
      pool.submit(() -> {
        while (running.get()) {
          String site = sites.get(ThreadLocalRandom.current().nextInt(sites.size()));
          long start = System.nanoTime();
          try {
            HttpResponse<String> r = stack.send(node, "POST", "/control-plane/" + site + "/credentials");
            statuses.computeIfAbsent(r.statusCode(), k -> new AtomicInteger()).incrementAndGet();
            if (r.statusCode() == 200) {
              latencies.add(System.nanoTime() - start);
            }
          } catch (IOException | InterruptedException e) {
            statuses.computeIfAbsent(-1, k -> new AtomicInteger()).incrementAndGet();
          }
        }
        return null;
      });
    }
    Thread.sleep(seconds * 1000L);
    running.set(false);
    pool.shutdown();
    pool.awaitTermination(1, TimeUnit.MINUTES);
    List<Long> sorted = new ArrayList<>(latencies);
    Collections.sort(sorted);
    double perSecond = sorted.size() / (double) seconds;
    System.out.printf("measure: %s: %d in flight over %d sites: %.1f rotations/s, p50 %d ms, p99 %d ms,"
            + " statuses %s, load average %s%n", label, IN_FLIGHT, sites.size(), perSecond,
        percentile(sorted, 0.50), percentile(sorted, 0.99), statuses,
        Files.readString(Path.of("/proc/loadavg")).trim());
  }

  private static long percentile(List<Long> sorted, double q) {
    return sorted.isEmpty() ? -1 : sorted.get((int) Math.min(sorted.size() - 1, q * sorted.size())) / 1_000_000;
  }

  private static long rssMiB(ScaleOutTest.Node node) {
    try {
      for (String line : Files.readAllLines(Path.of("/proc", String.valueOf(node.run.pid()), "status"))) {
        if (line.startsWith("VmRSS:")) {
          return Long.parseLong(line.replaceAll("\\D", "")) / 1024;
        }
      }
    } catch (IOException e) {
      return -1;
    }
    return -1;
  }
}
