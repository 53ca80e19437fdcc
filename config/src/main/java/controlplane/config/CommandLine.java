package controlplane.config;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** The few arguments the jar takes: an optional command, {@code --config FILE} and {@code --name value} options. */
record CommandLine(String command, Path configFile, Map<String, String> options) {

  static final String USAGE = """
      usage: java -jar control-plane.jar [--config FILE]                 run the service
             java -jar control-plane.jar token [--config FILE] --org ORG --scope "SCOPES" [--sub NAME] [--ttl SECONDS]
             java -jar control-plane.jar login --host HOST --port PORT --user USER --password PASSWORD [--tls true]
             java -jar control-plane.jar reseal [--config FILE]            re-seal every stored password under crypto.activeKey
             java -jar control-plane.jar help""";

  static CommandLine parse(String[] args) {
    String command = "run";
    Path config = null;
    Map<String, String> options = new HashMap<>();
    int i = 0;
    if (args.length > 0 && !args[0].startsWith("--")) {
      command = args[0];
      i = 1;
      if (!List.of("run", "token", "login", "reseal", "help").contains(command)) {
        throw new IllegalArgumentException("unknown command: " + command);
      }
    }
    for (; i < args.length; i++) {
      String a = args[i];
      if (!a.startsWith("--") || a.length() == 2) {
        throw new IllegalArgumentException("unexpected argument: " + a);
      }
      String name = a.substring(2);
      if (i + 1 >= args.length) {
        throw new IllegalArgumentException("--" + name + " needs a value");
      }
      String value = args[++i];
      if (name.equals("config")) {
        config = Path.of(value);
      } else {
        options.put(name, value);
      }
    }
    return new CommandLine(command, config, Map.copyOf(options));
  }

  String option(String name, String fallback) {
    return options.getOrDefault(name, fallback);
  }
}
