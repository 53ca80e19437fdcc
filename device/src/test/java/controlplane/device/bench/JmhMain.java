package controlplane.device.bench;

import java.util.Collection;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.options.ChainedOptionsBuilder;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;

/**
 * Runs {@link CodecBenchmark} and prints MB/s (10^6 bytes per second of encoded stream). Arguments: {@code quick}
 * for 2 warm-up and 3 measurement iterations of 1 s (the default is the annotations': 3 and 5).
 */
public final class JmhMain {

  private JmhMain() {
  }

  public static void main(String[] args) throws Exception {
    ChainedOptionsBuilder options = new OptionsBuilder().include(CodecBenchmark.class.getName() + ".*");
    if (args.length > 0 && args[0].equals("quick")) {
      options.warmupIterations(2).measurementIterations(3).warmupTime(TimeValue.seconds(1))
          .measurementTime(TimeValue.seconds(1));
    }
    Collection<RunResult> results = new Runner(options.build()).run();
    int bytes = CodecBenchmark.streamBytes();
    System.out.printf("%ncodec: one operation = a /user/print reply of %d sentences, %d bytes%n",
        CodecBenchmark.ROWS + 1, bytes);
    System.out.printf("%-10s %-12s %14s %12s%n", "benchmark", "chunkBytes", "ops/s", "MB/s");
    for (RunResult r : results) {
      String name = r.getParams().getBenchmark();
      name = name.substring(name.lastIndexOf('.') + 1);
      double ops = r.getPrimaryResult().getScore();
      String chunk = String.valueOf(r.getParams().getParam("chunkBytes"));
      System.out.printf("%-10s %-12s %14.0f %12.1f  (+-%.1f%%)%n", name, chunk, ops,
          ops * bytes / 1e6, 100 * r.getPrimaryResult().getScoreError() / ops);
    }
  }
}
