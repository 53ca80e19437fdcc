package controlplane.config;

import java.io.ByteArrayInputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/** One run of the jar's command line in this JVM: its exit status and what it wrote to standard output and error. */
record CommandRun(int status, String out, String err) {

  static CommandRun of(String... args) {
    return with(Map.of(), "", args);
  }

  /** Runs {@code args} with {@code env} as the environment and {@code stdin} as standard input. */
  static CommandRun with(Map<String, String> env, String stdin, String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int status = Main.commandLine(env, new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8)))
        .setOut(new PrintWriter(out, true))
        .setErr(new PrintWriter(err, true))
        .execute(args);
    return new CommandRun(status, out.toString(), err.toString());
  }
}
