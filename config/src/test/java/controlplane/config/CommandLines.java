package controlplane.config;

import java.util.Map;

/** The jar's command line for tests outside this package: {@link CommandRun} with a public face. */
public final class CommandLines {

  /** One run's exit status and what it wrote. */
  public record Result(int status, String out, String err) {
  }

  /** Runs {@code args} with {@code env} as the environment and nothing on standard input. */
  public static Result run(Map<String, String> env, String... args) {
    CommandRun run = CommandRun.with(env, "", args);
    return new Result(run.status(), run.out(), run.err());
  }

  private CommandLines() {
  }
}
