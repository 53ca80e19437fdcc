package controlplane.config;

import controlplane.core.CoreConfig;
import controlplane.http.HttpConfig;
import controlplane.simulator.SimulatorConfig;
import io.vertx.core.json.JsonObject;
import io.vertx.pgclient.PgConnectOptions;
import java.net.URI;
import java.security.KeyFactory;
import java.security.spec.X509EncodedKeySpec;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.TreeSet;

/**
 * The one line a starting service logs to say how it runs, e.g. {@code mode: production (external PostgreSQL at
 * db:5432/cp, 2 sealing keys, active k2025, JWT RS256 keys, simulator off)}. Names and counts only: never a key, a
 * secret or the database password.
 */
final class ModeLine {

  private ModeLine() {
  }

  /**
   * With the roles: a process of all three roles, not clustered, says the line below; any other says its roles and,
   * without core, neither database nor sealing keys (it has none), e.g. {@code mode: device only (edges
   * [edge-a], simulator off; cluster cp as 10.0.0.5:5701 (event bus 5702, mutual TLS), joining ...)}.
   */
  static String text(Mode mode, java.util.Set<Role> roles, JsonObject config, EmbeddedInstall embedded) {
    ClusterConfig cluster = ClusterConfig.fromJson(config);
    boolean all = roles.size() == Role.values().length;
    String line;
    if (roles.contains(Role.CORE)) {
      line = text(mode, config, embedded);
    } else {
      List<String> parts = new ArrayList<>();
      if (roles.contains(Role.API)) {
        parts.add(jwt(HttpConfig.fromJson(config)));
      }
      if (roles.contains(Role.DEVICE)) {
        parts.add("edges " + controlplane.device.DeviceConfig.fromJson(config).edges());
      }
      parts.add("simulator " + (SimulatorConfig.fromJson(config).enabled() ? "on" : "off"));
      line = "mode: no database (" + String.join(", ", parts) + ")";
    }
    if (!all) {
      line += "; roles " + Role.labels(roles);
    }
    if (cluster.enabled()) {
      line += "; " + cluster.describe();
    }
    return line;
  }

  /** {@code embedded} is the embedded install in embedded mode, null in production. */
  static String text(Mode mode, JsonObject config, EmbeddedInstall embedded) {
    List<String> parts = new ArrayList<>();
    parts.add(database(config, embedded));
    CoreConfig.Crypto crypto = CoreConfig.fromJson(config).crypto();
    if (embedded != null && embedded.secrets().sealingKey()) {
      parts.add("sealing key " + crypto.activeKey() + " from dataDir");
    } else {
      int n = crypto.keys().size();
      parts.add(n + (n == 1 ? " sealing key" : " sealing keys") + ", active " + crypto.activeKey());
    }
    parts.add(embedded != null && embedded.secrets().jwtSecret() ? "JWT HS256 development secret from dataDir"
        : jwt(HttpConfig.fromJson(config)));
    parts.add("simulator " + (SimulatorConfig.fromJson(config).enabled() ? "on" : "off"));
    return "mode: " + mode.label() + " (" + String.join(", ", parts) + ")";
  }

  private static String database(JsonObject config, EmbeddedInstall embedded) {
    if (embedded != null) {
      return "embedded PostgreSQL on 127.0.0.1:" + embedded.database().port() + " in "
          + ControlPlane.dataDir(config).resolve("postgres") + ", password authentication";
    }
    PgConnectOptions o = PgConnectOptions.fromUri(config.getJsonObject("database").getString("url"));
    return "external PostgreSQL at " + o.getHost() + ":" + o.getPort() + "/" + o.getDatabase();
  }

  private static String jwt(HttpConfig http) {
    List<String> sources = new ArrayList<>();
    if (http.hs256Secret() != null) {
      sources.add("HS256 secret");
    }
    if (!http.publicKeys().isEmpty()) {
      TreeSet<String> algorithms = new TreeSet<>();
      http.publicKeys().forEach(pem -> algorithms.add(algorithm(pem)));
      sources.add(String.join("/", algorithms) + (http.publicKeys().size() == 1 ? " key" : " keys"));
    }
    if (http.jwksUrl() != null) {
      String host;
      try {
        host = URI.create(http.jwksUrl()).getHost();
      } catch (IllegalArgumentException e) {
        host = null;
      }
      sources.add("JWKS from " + (host == null ? "auth.jwt.jwksUrl" : host));
    }
    return "JWT " + String.join(" + ", sources);
  }

  /** RS256 for an RSA public key, ES256 for an EC one (as the HTTP verticle reads them). */
  private static String algorithm(String pem) {
    try {
      byte[] der = Base64.getDecoder().decode(pem.replaceAll("-----[A-Z ]+-----", "").replaceAll("\\s", ""));
      for (String[] candidate : new String[][] {{"RSA", "RS256"}, {"EC", "ES256"}}) {
        try {
          KeyFactory.getInstance(candidate[0]).generatePublic(new X509EncodedKeySpec(der));
          return candidate[1];
        } catch (Exception notThisType) {
          // try the next
        }
      }
    } catch (IllegalArgumentException notBase64) {
      // named below
    }
    return "unreadable";
  }
}
