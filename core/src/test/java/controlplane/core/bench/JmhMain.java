package controlplane.core.bench;

import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.options.ChainedOptionsBuilder;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;

/** Runs {@link SealingBenchmark}; argument {@code quick}: 2 warm-up and 3 measurement iterations of 1 s. */
public final class JmhMain {

  private JmhMain() {
  }

  public static void main(String[] args) throws Exception {
    ChainedOptionsBuilder options = new OptionsBuilder().include(SealingBenchmark.class.getName() + ".*");
    if (args.length > 0 && args[0].equals("quick")) {
      options.warmupIterations(2).measurementIterations(3).warmupTime(TimeValue.seconds(1))
          .measurementTime(TimeValue.seconds(1));
    }
    new Runner(options.build()).run();
  }
}
