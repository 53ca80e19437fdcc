package controlplane.harness.bench;

import java.nio.file.Path;
import java.util.List;

/**
 * What one {@link SoakRun} does ({@link SoakCommand} reads it from the command line).
 *
 * @param out folder for soak.json, soak-report.txt and the logs
 * @param sites sites enrolled, one simulated router each
 * @param concurrency rotations kept in flight
 * @param minutes how long the rotations go on
 * @param sampleSeconds period of the samples of the service process
 * @param serviceClasspath class path of the service process
 * @param serviceJvmOptions JVM options of the service process
 * @param simulatorXmx the simulator's -Xmx
 * @param poolSize database.poolSize of the service
 */
record SoakOptions(Path out, int sites, int concurrency, double minutes, int sampleSeconds, String serviceClasspath,
                   List<String> serviceJvmOptions, String simulatorXmx, int poolSize) {

  SoakOptions {
    if (sites < 1 || concurrency < 1 || minutes <= 0 || minutes > 24 * 60 || sampleSeconds < 1) {
      throw new IllegalArgumentException("need sites, concurrency, sample-seconds >= 1 and 0 < minutes <= 1440");
    }
  }

  static SoakOptions defaults() {
    return new SoakOptions(Path.of("target", "soak"), 1000, 64, 5, 10, BenchOptions.defaultClasspath(), List.of(),
        "512m", 16);
  }
}
