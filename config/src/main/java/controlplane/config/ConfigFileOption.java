package controlplane.config;

import java.nio.file.Path;
import picocli.CommandLine.Option;

/**
 * {@code --config FILE}, taken by the service and by the commands that read its configuration. A command given none
 * uses the one given before the command's name ({@code --config FILE token}), so both orders mean the same.
 */
final class ConfigFileOption {

  @Option(names = "--config", paramLabel = "FILE",
      description = "YAML configuration over the built-in defaults; CP_* environment variables override both")
  Path file;

  /** This option's file, else {@code outer}'s (the one given before the command's name), else null. */
  Path orElse(ConfigFileOption outer) {
    return file != null ? file : outer.file;
  }
}
