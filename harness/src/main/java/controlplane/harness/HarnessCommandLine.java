package controlplane.harness;

import java.io.PrintWriter;
import picocli.CommandLine;
import picocli.CommandLine.UnmatchedArgumentException;

/**
 * How every harness program reads its command line: picocli, {@code --help} prints the usage (exit 0), a bad command
 * line prints what is wrong, picocli's suggestions and the usage (exit 2; picocli alone leaves the usage out when it
 * has a suggestion).
 */
public final class HarnessCommandLine {

  private HarnessCommandLine() {
  }

  /** Runs {@code command} (a picocli {@code @Command}) on {@code args} and exits with its status. */
  public static void exit(Object command, String[] args) {
    System.exit(of(command).execute(args));
  }

  public static CommandLine of(Object command) {
    return new CommandLine(command).setParameterExceptionHandler((e, args) -> {
      CommandLine line = e.getCommandLine();
      PrintWriter err = line.getErr();
      err.println(e.getMessage());
      UnmatchedArgumentException.printSuggestions(e, err);
      line.usage(err, line.getColorScheme());
      return line.getCommandSpec().exitCodeOnInvalidInput();
    });
  }
}
