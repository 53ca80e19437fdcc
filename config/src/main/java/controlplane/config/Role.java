package controlplane.config;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * What a process does ({@code roles}): {@code api} serves the HTTP API, {@code core} owns the database (rotation,
 * reconciler, housekeeping and the other background work), {@code device} dials routers for the edges of
 * {@code device.edges}. All three by default: the single process. Every process serves {@code /health/*} and
 * {@code /metrics} on {@code http.port}, whatever its roles.
 */
enum Role {
  API, CORE, DEVICE;

  /** The roles of {@code config}: a list or, from a {@code CP_ROLES} variable, a comma-separated text. */
  static Set<Role> of(JsonObject config) {
    Object value = config.getValue("roles");
    List<String> names = new ArrayList<>();
    if (value == null) {
      return EnumSet.allOf(Role.class);
    } else if (value instanceof JsonArray array) {
      array.forEach(v -> names.add(String.valueOf(v)));
    } else {
      for (String s : value.toString().split(",")) {
        names.add(s);
      }
    }
    Set<Role> roles = EnumSet.noneOf(Role.class);
    for (String name : names) {
      String n = name.trim().toUpperCase(Locale.ROOT);
      if (n.isEmpty()) {
        continue;
      }
      try {
        roles.add(Role.valueOf(n));
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException("roles: unknown role " + name.trim() + " (api, core or device)");
      }
    }
    if (roles.isEmpty()) {
      throw new IllegalArgumentException("roles is empty: name at least one of api, core and device");
    }
    return roles;
  }

  String label() {
    return name().toLowerCase(Locale.ROOT);
  }

  static String labels(Set<Role> roles) {
    return roles.stream().map(Role::label).collect(Collectors.joining("+"));
  }
}
