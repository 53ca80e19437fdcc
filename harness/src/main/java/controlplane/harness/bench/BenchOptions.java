package controlplane.harness.bench;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * What one harness run does. {@code --name value} pairs on the command line; every option has a default that
 * measures the targets (see docs/PERFORMANCE.md).
 *
 * @param out folder for logs, the JFR recording and results.json
 * @param sites distinct sites of the latency and throughput phases (the first of the fleet)
 * @param fleet routers simulated and sites enrolled; the fleet phase rotates each once
 * @param warmup rotations before the latency phase (not measured)
 * @param latencyRotations rotations measured at one in flight
 * @param rotations rotations of each throughput phase
 * @param concurrency in-flight counts of the throughput phases
 * @param fleetConcurrency in flight during the fleet phase
 * @param floorRotations operations of each floor (router, database)
 * @param floorConcurrency in flight during the floors
 * @param jfr record the service with JFR during the throughput phase at {@code jfrConcurrency}
 * @param jfrConcurrency that phase
 * @param serviceClasspath class path of the service process
 * @param serviceJvmOptions JVM options of the service process (space separated)
 * @param simulatorXmx the simulator's -Xmx
 * @param poolSize database.poolSize of the service, and the database floor's pool
 */
record BenchOptions(Path out, int sites, int fleet, int warmup, int latencyRotations, int rotations,
                    List<Integer> concurrency, int fleetConcurrency, int floorRotations, int floorConcurrency,
                    boolean jfr, int jfrConcurrency, String serviceClasspath, List<String> serviceJvmOptions,
                    String simulatorXmx, int poolSize) {

  static final String FIRST_ADDRESS = "127.77.0.1";
  static final int ROUTER_PORT = 28728;

  BenchOptions {
    if (sites < 1 || fleet < sites) {
      throw new IllegalArgumentException("need 1 <= sites <= fleet");
    }
  }

  /** The defaults: the figures of the issue. */
  static BenchOptions defaults() {
    return new BenchOptions(Path.of("target", "bench"), 1000, 10_000, 500, 2000, 10_000, List.of(64, 256), 256,
        10_000, 64, true, 64, defaultClasspath(), List.of(), "512m", 16);
  }

  /** Tiny numbers for CI: correctness only. */
  static BenchOptions smoke(Path out) {
    return new BenchOptions(out, 20, 30, 5, 50, 50, List.of(64, 256), 16, 50, 8, false, 64, defaultClasspath(),
        List.of("-Xmx256m"), "256m", 4);
  }

  static BenchOptions parse(String[] args) {
    BenchOptions o = defaults();
    for (int i = 0; i + 1 < args.length; i += 2) {
      String v = args[i + 1];
      o = switch (args[i]) {
        case "--out" -> new BenchOptions(Path.of(v), o.sites, o.fleet, o.warmup, o.latencyRotations, o.rotations,
            o.concurrency, o.fleetConcurrency, o.floorRotations, o.floorConcurrency, o.jfr, o.jfrConcurrency,
            o.serviceClasspath, o.serviceJvmOptions, o.simulatorXmx, o.poolSize);
        case "--sites" -> new BenchOptions(o.out, Integer.parseInt(v), Math.max(o.fleet, Integer.parseInt(v)),
            o.warmup, o.latencyRotations, o.rotations, o.concurrency, o.fleetConcurrency, o.floorRotations,
            o.floorConcurrency, o.jfr, o.jfrConcurrency, o.serviceClasspath, o.serviceJvmOptions, o.simulatorXmx,
            o.poolSize);
        case "--fleet" -> new BenchOptions(o.out, Math.min(o.sites, Integer.parseInt(v)), Integer.parseInt(v),
            o.warmup, o.latencyRotations, o.rotations, o.concurrency, o.fleetConcurrency, o.floorRotations,
            o.floorConcurrency, o.jfr, o.jfrConcurrency, o.serviceClasspath, o.serviceJvmOptions, o.simulatorXmx,
            o.poolSize);
        case "--warmup" -> new BenchOptions(o.out, o.sites, o.fleet, Integer.parseInt(v), o.latencyRotations,
            o.rotations, o.concurrency, o.fleetConcurrency, o.floorRotations, o.floorConcurrency, o.jfr,
            o.jfrConcurrency, o.serviceClasspath, o.serviceJvmOptions, o.simulatorXmx, o.poolSize);
        case "--latency-rotations" -> new BenchOptions(o.out, o.sites, o.fleet, o.warmup, Integer.parseInt(v),
            o.rotations, o.concurrency, o.fleetConcurrency, o.floorRotations, o.floorConcurrency, o.jfr,
            o.jfrConcurrency, o.serviceClasspath, o.serviceJvmOptions, o.simulatorXmx, o.poolSize);
        case "--rotations" -> new BenchOptions(o.out, o.sites, o.fleet, o.warmup, o.latencyRotations,
            Integer.parseInt(v), o.concurrency, o.fleetConcurrency, o.floorRotations, o.floorConcurrency, o.jfr,
            o.jfrConcurrency, o.serviceClasspath, o.serviceJvmOptions, o.simulatorXmx, o.poolSize);
        case "--concurrency" -> new BenchOptions(o.out, o.sites, o.fleet, o.warmup, o.latencyRotations, o.rotations,
            Arrays.stream(v.split(",")).map(String::trim).filter(s -> !s.isEmpty()).map(Integer::valueOf).toList(),
            o.fleetConcurrency, o.floorRotations, o.floorConcurrency, o.jfr, o.jfrConcurrency, o.serviceClasspath,
            o.serviceJvmOptions, o.simulatorXmx, o.poolSize);
        case "--fleet-concurrency" -> new BenchOptions(o.out, o.sites, o.fleet, o.warmup, o.latencyRotations,
            o.rotations, o.concurrency, Integer.parseInt(v), o.floorRotations, o.floorConcurrency, o.jfr,
            o.jfrConcurrency, o.serviceClasspath, o.serviceJvmOptions, o.simulatorXmx, o.poolSize);
        case "--floor-rotations" -> new BenchOptions(o.out, o.sites, o.fleet, o.warmup, o.latencyRotations,
            o.rotations, o.concurrency, o.fleetConcurrency, Integer.parseInt(v), o.floorConcurrency, o.jfr,
            o.jfrConcurrency, o.serviceClasspath, o.serviceJvmOptions, o.simulatorXmx, o.poolSize);
        case "--floor-concurrency" -> new BenchOptions(o.out, o.sites, o.fleet, o.warmup, o.latencyRotations,
            o.rotations, o.concurrency, o.fleetConcurrency, o.floorRotations, Integer.parseInt(v), o.jfr,
            o.jfrConcurrency, o.serviceClasspath, o.serviceJvmOptions, o.simulatorXmx, o.poolSize);
        case "--jfr" -> new BenchOptions(o.out, o.sites, o.fleet, o.warmup, o.latencyRotations, o.rotations,
            o.concurrency, o.fleetConcurrency, o.floorRotations, o.floorConcurrency, Boolean.parseBoolean(v),
            o.jfrConcurrency, o.serviceClasspath, o.serviceJvmOptions, o.simulatorXmx, o.poolSize);
        case "--service-classpath" -> new BenchOptions(o.out, o.sites, o.fleet, o.warmup, o.latencyRotations,
            o.rotations, o.concurrency, o.fleetConcurrency, o.floorRotations, o.floorConcurrency, o.jfr,
            o.jfrConcurrency, v, o.serviceJvmOptions, o.simulatorXmx, o.poolSize);
        case "--service-jvm-options" -> new BenchOptions(o.out, o.sites, o.fleet, o.warmup, o.latencyRotations,
            o.rotations, o.concurrency, o.fleetConcurrency, o.floorRotations, o.floorConcurrency, o.jfr,
            o.jfrConcurrency, o.serviceClasspath, splitOptions(v), o.simulatorXmx, o.poolSize);
        case "--simulator-xmx" -> new BenchOptions(o.out, o.sites, o.fleet, o.warmup, o.latencyRotations,
            o.rotations, o.concurrency, o.fleetConcurrency, o.floorRotations, o.floorConcurrency, o.jfr,
            o.jfrConcurrency, o.serviceClasspath, o.serviceJvmOptions, v, o.poolSize);
        case "--pool-size" -> new BenchOptions(o.out, o.sites, o.fleet, o.warmup, o.latencyRotations,
            o.rotations, o.concurrency, o.fleetConcurrency, o.floorRotations, o.floorConcurrency, o.jfr,
            o.jfrConcurrency, o.serviceClasspath, o.serviceJvmOptions, o.simulatorXmx, Integer.parseInt(v));
        default -> throw new IllegalArgumentException("unknown option " + args[i]);
      };
    }
    if (args.length % 2 != 0) {
      throw new IllegalArgumentException("options come in --name value pairs");
    }
    return o;
  }

  private static List<String> splitOptions(String v) {
    List<String> out = new ArrayList<>();
    for (String s : v.trim().split("\\s+")) {
      if (!s.isEmpty()) {
        out.add(s);
      }
    }
    return out;
  }

  /** Surefire's test class path when run as a test, else this JVM's. */
  static String defaultClasspath() {
    String surefire = System.getProperty("surefire.test.class.path");
    return surefire != null && !surefire.isBlank() ? surefire : System.getProperty("java.class.path");
  }
}
