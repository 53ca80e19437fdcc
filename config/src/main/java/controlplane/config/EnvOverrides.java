package controlplane.config;

import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.Map;

/**
 * Applies {@code CP_*} environment variables to a configuration tree. Every key path that the tree already has
 * (defaults name every key) can be set: {@code http.port} from {@code CP_HTTP_PORT}, {@code auth.jwt.hs256Secret}
 * from {@code CP_AUTH_JWT_HS256_SECRET}. Values take the type of the value they replace; arrays accept JSON or a
 * comma-separated list, objects accept JSON.
 */
public final class EnvOverrides {

  public static final String PREFIX = "CP_";

  private EnvOverrides() {
  }

  /** Returns {@code config} with the overrides applied in place. */
  public static JsonObject apply(JsonObject config, Map<String, String> env) {
    walk(config, PREFIX, env);
    return config;
  }

  private static void walk(JsonObject node, String prefix, Map<String, String> env) {
    for (String key : node.fieldNames().toArray(new String[0])) {
      String name = prefix + upperSnake(key);
      Object current = node.getValue(key);
      String raw = env.get(name);
      if (raw != null) {
        node.put(key, convert(name, raw, current));
      } else if (current instanceof JsonObject child && !child.isEmpty()) {
        walk(child, name + "_", env);
      }
    }
  }

  private static Object convert(String name, String raw, Object current) {
    try {
      if (current instanceof Integer || current instanceof Long) {
        return Long.parseLong(raw.trim());
      }
      if (current instanceof Boolean) {
        String v = raw.trim().toLowerCase();
        if (!v.equals("true") && !v.equals("false")) {
          throw new IllegalArgumentException(name + " must be true or false");
        }
        return Boolean.parseBoolean(v);
      }
      if (current instanceof JsonArray) {
        String v = raw.trim();
        if (v.startsWith("[")) {
          return new JsonArray(v);
        }
        JsonArray out = new JsonArray();
        for (String part : v.split(",")) {
          if (!part.isBlank()) {
            out.add(part.trim());
          }
        }
        return out;
      }
      if (current instanceof JsonObject) {
        return new JsonObject(raw);
      }
      return raw;
    } catch (NumberFormatException | DecodeException e) {
      throw new IllegalArgumentException(name + " has an invalid value", e);
    }
  }

  /** {@code hs256Secret} -> {@code HS256_SECRET}, {@code maxBodyBytes} -> {@code MAX_BODY_BYTES}. */
  static String upperSnake(String key) {
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < key.length(); i++) {
      char c = key.charAt(i);
      if (Character.isUpperCase(c) && i > 0 && !Character.isUpperCase(key.charAt(i - 1))) {
        sb.append('_');
      }
      sb.append(Character.toUpperCase(c));
    }
    return sb.toString();
  }
}
