package controlplane.simulator.impl;

import controlplane.simulator.Faults;
import controlplane.simulator.Fleet;
import controlplane.simulator.GroupSpec;
import controlplane.simulator.LoginStyle;
import controlplane.simulator.RouterSpec;
import controlplane.simulator.UserSpec;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

/** Reads the fleet file; see {@link Fleet#fromYaml(String)} for the keys. */
public final class FleetYaml {

  private static final Set<String> TOP = Set.of("routers", "generate");
  private static final Set<String> ROUTER = Set.of("name", "address", "port", "version", "login", "identity",
      "users", "faults", "apiSslPort", "groups");
  private static final Set<String> USER = Set.of("name", "group", "password", "address", "disabled");
  private static final Set<String> GROUP = Set.of("name", "policy");
  private static final Set<String> FAULTS = Set.of("refuseConnections", "neverAnswer", "delayMs",
      "closeAfterCommand", "rejectLogins");
  private static final Set<String> CLOSE = Set.of("command", "when");
  private static final Set<String> GENERATE = Set.of("count", "firstAddress", "port", "version", "users", "login",
      "faults");

  private static final String DEFAULT_ADDRESS = "127.0.0.1";
  private static final int DEFAULT_PORT = 8728;
  private static final String DEFAULT_VERSION = "7.15.3";

  private FleetYaml() {
  }

  public static Fleet parse(String text) {
    Object doc = new Yaml(new SafeConstructor(new LoaderOptions())).load(text);
    if (doc == null) {
      return Fleet.of(List.of());
    }
    Map<String, Object> root = map(doc, "fleet file");
    checkKeys(root, TOP, "fleet file");
    List<RouterSpec> routers = new ArrayList<>();
    Set<String> names = new HashSet<>();
    Set<String> endpoints = new HashSet<>();
    for (Object o : list(root.get("routers"), "routers")) {
      RouterSpec r = router(map(o, "router"));
      if (!names.add(r.name())) {
        throw new IllegalArgumentException("duplicate router name " + r.name());
      }
      if (!endpoints.add(r.address() + ":" + r.port())) {
        throw new IllegalArgumentException("two routers on " + r.address() + ":" + r.port());
      }
      routers.add(r);
    }
    Fleet.Generate gen = root.get("generate") == null ? null : generate(map(root.get("generate"), "generate"));
    return new Fleet(routers, gen);
  }

  private static RouterSpec router(Map<String, Object> m) {
    String name = str(m.get("name"), null);
    if (name == null || name.isBlank()) {
      throw new IllegalArgumentException("a router needs a name");
    }
    String where = "router " + name;
    checkKeys(m, ROUTER, where);
    List<GroupSpec> groups = new ArrayList<>();
    for (Object o : list(m.get("groups"), where + " groups")) {
      Map<String, Object> g = map(o, where + " group");
      checkKeys(g, GROUP, where + " group");
      groups.add(GroupSpec.of(required(g, "name", where + " group"), str(g.get("policy"), "")));
    }
    List<UserSpec> users = m.containsKey("users") ? users(m.get("users"), where)
        : List.of(new UserSpec("admin", "full", ""));
    return new RouterSpec(name, str(m.get("address"), DEFAULT_ADDRESS), integer(m.get("port"), DEFAULT_PORT),
        integer(m.get("apiSslPort"), 0), str(m.get("version"), DEFAULT_VERSION),
        LoginStyle.parse(str(m.get("login"), "plain")), str(m.get("identity"), name), users, groups,
        faults(m.get("faults"), where));
  }

  private static Fleet.Generate generate(Map<String, Object> m) {
    checkKeys(m, GENERATE, "generate");
    return new Fleet.Generate(integer(m.get("count"), 0), required(m, "firstAddress", "generate"),
        integer(m.get("port"), DEFAULT_PORT), str(m.get("version"), DEFAULT_VERSION),
        LoginStyle.parse(str(m.get("login"), "plain")), users(m.get("users"), "generate"),
        faults(m.get("faults"), "generate"));
  }

  private static List<UserSpec> users(Object value, String where) {
    List<UserSpec> out = new ArrayList<>();
    Set<String> names = new HashSet<>();
    for (Object o : list(value, where + " users")) {
      Map<String, Object> u = map(o, where + " user");
      checkKeys(u, USER, where + " user");
      UserSpec user = new UserSpec(required(u, "name", where + " user"), str(u.get("group"), "full"),
          str(u.get("password"), ""), str(u.get("address"), ""), bool(u.get("disabled"), false));
      if (!names.add(user.name())) {
        throw new IllegalArgumentException(where + ": duplicate user " + user.name());
      }
      out.add(user);
    }
    return out;
  }

  private static Faults faults(Object value, String where) {
    if (value == null) {
      return Faults.NONE;
    }
    Map<String, Object> f = map(value, where + " faults");
    checkKeys(f, FAULTS, where + " faults");
    Faults.CloseAfterCommand close = null;
    if (f.get("closeAfterCommand") != null) {
      Map<String, Object> c = map(f.get("closeAfterCommand"), where + " closeAfterCommand");
      checkKeys(c, CLOSE, where + " closeAfterCommand");
      close = new Faults.CloseAfterCommand(required(c, "command", where + " closeAfterCommand"),
          Faults.Phase.parse(str(c.get("when"), "beforeApply")));
    }
    return new Faults(bool(f.get("refuseConnections"), false), bool(f.get("neverAnswer"), false),
        integer(f.get("delayMs"), 0), close, bool(f.get("rejectLogins"), false));
  }

  private static void checkKeys(Map<String, Object> m, Set<String> allowed, String where) {
    for (String k : m.keySet()) {
      if (!allowed.contains(k)) {
        throw new IllegalArgumentException(where + ": unknown key '" + k + "' (allowed: "
            + String.join(", ", new java.util.TreeSet<>(allowed)) + ")");
      }
    }
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> map(Object o, String where) {
    if (!(o instanceof Map)) {
      throw new IllegalArgumentException(where + " must be a mapping");
    }
    for (Object k : ((Map<?, ?>) o).keySet()) {
      if (!(k instanceof String)) {
        throw new IllegalArgumentException(where + ": keys must be strings");
      }
    }
    return (Map<String, Object>) o;
  }

  private static List<?> list(Object o, String where) {
    if (o == null) {
      return List.of();
    }
    if (!(o instanceof List)) {
      throw new IllegalArgumentException(where + " must be a list");
    }
    return (List<?>) o;
  }

  private static String required(Map<String, Object> m, String key, String where) {
    String v = str(m.get(key), null);
    if (v == null || v.isBlank()) {
      throw new IllegalArgumentException(where + ": '" + key + "' is required");
    }
    return v;
  }

  private static String str(Object o, String dflt) {
    return o == null ? dflt : String.valueOf(o);
  }

  private static int integer(Object o, int dflt) {
    if (o == null) {
      return dflt;
    }
    if (o instanceof Number n) {
      return n.intValue();
    }
    try {
      return Integer.parseInt(o.toString().trim());
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("not an integer: " + o, e);
    }
  }

  private static boolean bool(Object o, boolean dflt) {
    if (o == null) {
      return dflt;
    }
    if (o instanceof Boolean b) {
      return b;
    }
    return switch (o.toString().trim().toLowerCase(java.util.Locale.ROOT)) {
      case "true", "yes" -> true;
      case "false", "no" -> false;
      default -> throw new IllegalArgumentException("not a boolean: " + o);
    };
  }
}
