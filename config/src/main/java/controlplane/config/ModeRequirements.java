package controlplane.config;

import controlplane.core.ConfigurationException;
import controlplane.core.CoreConfig;
import controlplane.core.DatabaseTls;
import controlplane.core.crypto.KeyRing;
import controlplane.http.HttpConfig;
import io.vertx.core.json.JsonObject;
import io.vertx.pgclient.PgConnectOptions;

/**
 * The keys a mode cannot start without, checked before anything starts. Each failure is a
 * {@link ConfigurationException} whose message names the missing key (never a value).
 */
final class ModeRequirements {

  private static final String PRODUCTION = "production mode (database.url is set) generates no ";

  private ModeRequirements() {
  }

  /** Everything the service needs: the sealing keys and the JWT verification keys. */
  static void check(Mode mode, JsonObject config) {
    sealingKeys(mode, config);
    jwt(mode, config);
  }

  /**
   * What the {@code roles} need: core the database and the sealing keys; api the JWT keys (configured ones when this
   * process has no core, whose data directory would hold a development secret); device nothing. A clustered core
   * needs {@code database.url}: the processes of a cluster share one PostgreSQL, never one embedded each.
   */
  static void check(Mode mode, java.util.Set<Role> roles, JsonObject config, boolean clustered) {
    if (roles.contains(Role.CORE)) {
      if (clustered && mode == Mode.EMBEDDED) {
        throw new ConfigurationException("database.url is not set: a clustered process with the core role shares "
            + "one PostgreSQL with the other core processes; the embedded database is for a single process");
      }
      sealingKeys(mode, config);
    }
    if (roles.contains(Role.API)) {
      if (!roles.contains(Role.CORE) && !HttpConfig.fromJson(config).hasKeys()) {
        throw new ConfigurationException("auth.jwt.hs256Secret, auth.jwt.publicKeys or auth.jwt.jwksUrl is not set:"
            + " a process with the api role and without core generates no JWT secret (docs/OPERATIONS.md)");
      }
      jwt(mode, config);
    }
  }

  /**
   * A well-formed database.url in production, its TLS parameters usable ({@link DatabaseTls#problem()});
   * crypto.keys and crypto.activeKey in production, well-formed in both.
   */
  static void sealingKeys(Mode mode, JsonObject config) {
    JsonObject crypto = config.getJsonObject("crypto", new JsonObject());
    JsonObject keys = crypto.getJsonObject("keys", new JsonObject());
    String active = crypto.getString("activeKey");
    if (mode == Mode.PRODUCTION) {
      String url = config.getJsonObject("database").getString("url");
      String tlsProblem = DatabaseTls.of(url).problem();
      if (tlsProblem != null) {
        throw new ConfigurationException(tlsProblem);
      }
      try {
        PgConnectOptions.fromUri(url);
      } catch (RuntimeException e) {
        throw new ConfigurationException("database.url is not a postgresql://user:password@host:port/database URL");
      }
      if (keys.isEmpty()) {
        throw new ConfigurationException("crypto.keys is not set: " + PRODUCTION + "sealing key; configure "
            + "crypto.keys and crypto.activeKey (docs/OPERATIONS.md)");
      }
      if (active == null || active.isBlank()) {
        throw new ConfigurationException("crypto.activeKey is not set: " + PRODUCTION + "sealing key; name the key "
            + "of crypto.keys that seals new values (docs/OPERATIONS.md)");
      }
    }
    if (!keys.isEmpty()) {
      try {
        KeyRing.of(CoreConfig.fromJson(config).crypto());
      } catch (IllegalArgumentException e) {
        throw new ConfigurationException(e.getMessage());
      }
    }
  }

  /** A JWT key source in production; issuer and audience with public keys or a JWKS, in both modes. */
  static void jwt(Mode mode, JsonObject config) {
    HttpConfig http = HttpConfig.fromJson(config);
    if (mode == Mode.PRODUCTION && !http.hasKeys()) {
      throw new ConfigurationException("auth.jwt.hs256Secret, auth.jwt.publicKeys or auth.jwt.jwksUrl is not set: "
          + PRODUCTION + "JWT secret (docs/OPERATIONS.md)");
    }
    if (!http.publicKeys().isEmpty() || http.jwksUrl() != null) {
      String source = http.jwksUrl() != null ? "auth.jwt.jwksUrl" : "auth.jwt.publicKeys";
      if (http.issuer() == null) {
        throw new ConfigurationException("auth.jwt.issuer is not set: it is required with " + source);
      }
      if (http.audience() == null) {
        throw new ConfigurationException("auth.jwt.audience is not set: it is required with " + source);
      }
    }
  }
}
