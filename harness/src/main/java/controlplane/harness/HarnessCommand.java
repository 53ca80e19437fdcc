package controlplane.harness;

import java.util.concurrent.Callable;
import java.util.function.Supplier;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParseResult;
import picocli.CommandLine.Spec;

/**
 * What every harness program's {@code @Command} has: {@code --help}, and values that do not hold together (the
 * options records' checks) refused like any bad command line, with exit status 2. Run it with
 * {@link HarnessCommandLine}.
 */
public abstract class HarnessCommand implements Callable<Integer> {

  @Spec
  private CommandSpec spec;

  @Option(names = {"-h", "--help"}, usageHelp = true, description = "Print this help and exit.")
  private boolean help;

  /** The options given on the command line, as opposed to those left at their default. */
  protected ParseResult given() {
    return spec.commandLine().getParseResult();
  }

  /** {@code options.get()}, or a bad command line when it throws {@link IllegalArgumentException}. */
  protected <T> T checked(Supplier<T> options) {
    try {
      return options.get();
    } catch (IllegalArgumentException e) {
      throw refused(e.getMessage());
    }
  }

  /** A bad command line: {@code why}, then the usage; exit status 2. */
  protected ParameterException refused(String why) {
    return new ParameterException(spec.commandLine(), why);
  }
}
