package controlplane.config;

import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The keys a configuration may name: every section and leaf of {@code defaults.yaml} (read at run time, so a key
 * added there is known at once), and anything inside a free-form map. Refuses the others with the nearest known key,
 * whether they come from a {@code --config} file or a {@code CP_} variable.
 */
final class ConfigKeys {

  /**
   * Maps whose keys are data, not configuration keys: {@code crypto.keys} maps key ids of the operator's choosing to
   * keys. Any other map, empty in the defaults or not, takes only the keys the defaults give it.
   */
  static final Set<String> FREE_FORM = Set.of("crypto.keys");

  /** {@code CP_} variables read by a command rather than the configuration. */
  static final Set<String> NOT_CONFIGURATION = Set.of(RouterLoginCheck.PASSWORD_ENV,
      RotateFleetCommand.TOKEN_ENV);

  private final Set<String> known;

  private ConfigKeys(Set<String> known) {
    this.known = known;
  }

  static ConfigKeys of(JsonObject defaults) {
    Set<String> known = new LinkedHashSet<>();
    collect(defaults, "", known);
    return new ConfigKeys(known);
  }

  /** Throws {@link UnknownKeyException} naming each key of {@code tree} that is not known; says where from. */
  void refuseUnknown(JsonObject tree, String origin) {
    List<String> unknown = new ArrayList<>();
    unknownIn(tree, "", unknown);
    if (!unknown.isEmpty()) {
      List<String> problems = unknown.stream().map(key -> "unknown configuration key " + key
        + ClosestKey.to(key, known).map(k -> " (did you mean " + k + "?)").orElse("")).toList();
      throw new UnknownKeyException(origin + ": " + String.join("; ", problems));
    }
  }

  /**
   * Throws {@link UnknownKeyException} naming each {@code CP_} variable of {@code env} that sets no key of
   * {@code config} (defaults and file merged, so the entries of a free-form map the file gives count). Variables not
   * starting with {@code CP_} are not ours and are ignored.
   */
  void refuseUnknownVariables(Map<String, String> env, JsonObject config) {
    Map<String, String> keyByVariable = new LinkedHashMap<>();
    variables(config, EnvOverrides.PREFIX, "", keyByVariable);
    List<String> problems = new ArrayList<>();
    for (String name : env.keySet().stream().sorted().toList()) {
      if (name.startsWith(EnvOverrides.PREFIX) && !keyByVariable.containsKey(name)
          && !NOT_CONFIGURATION.contains(name)) {
        problems.add("unknown configuration variable " + name + ClosestKey.to(name, keyByVariable.keySet())
            .map(v -> " (did you mean " + v + ", for " + keyByVariable.get(v) + "?)").orElse(""));
      }
    }
    if (!problems.isEmpty()) {
      throw new UnknownKeyException(String.join("; ", problems));
    }
  }

  /** Each variable {@link EnvOverrides} reads for {@code node}, with its key: CP_HTTP_PORT for http.port. */
  private static void variables(JsonObject node, String namePrefix, String pathPrefix, Map<String, String> out) {
    for (String key : node.fieldNames()) {
      String name = namePrefix + EnvOverrides.upperSnake(key);
      out.put(name, pathPrefix + key);
      if (node.getValue(key) instanceof JsonObject child) {
        variables(child, name + "_", pathPrefix + key + ".", out);
      }
    }
  }

  private void unknownIn(JsonObject node, String prefix, List<String> out) {
    for (String key : node.fieldNames()) {
      String path = prefix + key;
      if (!known.contains(path)) {
        out.add(path);
      } else if (!FREE_FORM.contains(path) && node.getValue(key) instanceof JsonObject child) {
        unknownIn(child, path + ".", out);
      }
    }
  }

  private static void collect(JsonObject node, String prefix, Set<String> out) {
    for (String key : node.fieldNames()) {
      String path = prefix + key;
      out.add(path);
      if (node.getValue(key) instanceof JsonObject child && !FREE_FORM.contains(path)) {
        collect(child, path + ".", out);
      }
    }
  }
}
