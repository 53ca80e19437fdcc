package controlplane.config;

import controlplane.core.ConfigurationException;
import controlplane.core.CoreConfig;
import controlplane.http.HttpConfig;
import io.vertx.core.json.JsonObject;
import java.util.Set;

/**
 * Keys whose values must agree with each other, checked before anything starts; each refusal is a
 * {@link ConfigurationException} naming the keys.
 */
final class ConsistencyChecks {

  private ConsistencyChecks() {
  }

  /**
   * With core: the rotation lease outlasts one device operation ({@link CoreConfig.Rotation#problem()}). With the
   * api: {@code http.requestTimeoutMs} covers the longest request core may work on
   * ({@link CoreConfig.Rotation#longestRequestMs()}), read from this process's {@code rotation.deviceTimeoutMs}.
   */
  static void check(Set<Role> roles, JsonObject config) {
    CoreConfig.Rotation rotation;
    try {
      rotation = CoreConfig.Rotation.fromJson(config);
    } catch (NumberFormatException e) {
      throw new ConfigurationException("rotation: passwordLength, leaseSeconds and deviceTimeoutMs must be numbers");
    }
    if (roles.contains(Role.CORE)) {
      String problem = rotation.problem();
      if (problem != null) {
        throw new ConfigurationException(problem);
      }
    }
    if (roles.contains(Role.API)) {
      long requestTimeoutMs = HttpConfig.fromJson(config).requestTimeoutMs();
      if (requestTimeoutMs < rotation.longestRequestMs()) {
        throw new ConfigurationException("http.requestTimeoutMs (" + requestTimeoutMs + ") must be at least "
            + rotation.longestRequestMs() + ": one request may wait for two device operations of"
            + " rotation.deviceTimeoutMs (" + rotation.deviceTimeoutMs() + " ms each: a verified enrolment probes the"
            + " router, then rotates its password) and " + CoreConfig.Rotation.REQUEST_MARGIN_MS + " ms of database"
            + " work; a shorter wait answers 504 while the change may still land");
      }
    }
  }
}
