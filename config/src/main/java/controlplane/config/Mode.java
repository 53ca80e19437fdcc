package controlplane.config;

import io.vertx.core.json.JsonObject;

/**
 * How the service runs, decided by {@code database.url} alone. <b>Embedded</b> (not set): PostgreSQL embedded in
 * {@code dataDir}, a sealing key and an HS256 secret generated there, a printed token, the bundled simulator.
 * <b>Production</b> (set): nothing generated, no token printed, every key configured ({@link ModeRequirements}), the
 * simulator only when {@code simulator.enabled} is set to true.
 */
enum Mode {
  EMBEDDED, PRODUCTION;

  static Mode of(JsonObject config) {
    String url = config.getJsonObject("database", new JsonObject()).getString("url");
    return url == null || url.isBlank() ? EMBEDDED : PRODUCTION;
  }

  /**
   * {@code simulator.enabled} left unset becomes this mode's default: on when embedded with the core role (the
   * all-in-one process), off in production and in any process without core.
   */
  void defaultSimulator(JsonObject config, java.util.Set<Role> roles) {
    JsonObject simulator = config.getJsonObject("simulator");
    if (simulator == null) {
      config.put("simulator", simulator = new JsonObject());
    }
    if (simulator.getValue("enabled") == null) {
      simulator.put("enabled", this == EMBEDDED && roles.contains(Role.CORE));
    }
  }

  String label() {
    return name().toLowerCase(java.util.Locale.ROOT);
  }
}
