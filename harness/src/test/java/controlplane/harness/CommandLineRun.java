package controlplane.harness;

import java.io.PrintWriter;
import java.io.StringWriter;
import picocli.CommandLine;

/** A harness program's command line run through picocli: its exit status and what it printed. */
public record CommandLineRun(int status, String out, String err) {

  /** Executes {@code command} with {@code args}, as its main does. */
  public static CommandLineRun execute(Object command, String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int status = HarnessCommandLine.of(command).setOut(new PrintWriter(out)).setErr(new PrintWriter(err))
        .execute(args);
    return new CommandLineRun(status, out.toString(), err.toString());
  }

  /** {@code command} with {@code args} parsed into it, not executed. */
  public static <T> T parsed(T command, String... args) {
    new CommandLine(command).parseArgs(args);
    return command;
  }
}
