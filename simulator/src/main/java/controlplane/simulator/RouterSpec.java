package controlplane.simulator;

import java.util.List;
import java.util.Objects;

/**
 * The configuration of one simulated router. Immutable and shareable: routers generated in bulk share their
 * user and group lists.
 *
 * @param name router name, unique in a fleet
 * @param address the address its services listen on
 * @param port the {@code api} service port
 * @param apiSslPort the {@code api-ssl} (TLS) service port, or 0 when api-ssl is disabled
 * @param version RouterOS version such as {@code 7.15.3}
 * @param login login style
 * @param identity {@code /system/identity} name
 * @param users initial users
 * @param groups groups besides the built-ins {@code full}, {@code write}, {@code read}
 * @param faults initial faults
 */
public record RouterSpec(String name, String address, int port, int apiSslPort, String version, LoginStyle login,
    String identity, List<UserSpec> users, List<GroupSpec> groups, Faults faults) {

  public RouterSpec {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(address, "address");
    Objects.requireNonNull(version, "version");
    Objects.requireNonNull(login, "login");
    if (port < 0 || port > 65535 || apiSslPort < 0 || apiSslPort > 65535) {
      throw new IllegalArgumentException("port out of range for router " + name);
    }
    identity = identity == null ? "MikroTik" : identity;
    users = List.copyOf(users);
    groups = groups == null ? List.of() : List.copyOf(groups);
    faults = faults == null ? Faults.NONE : faults;
  }

  /** A router with plain login, no api-ssl, no extra groups and no faults. */
  public static RouterSpec of(String name, String address, int port, String version, List<UserSpec> users) {
    return new RouterSpec(name, address, port, 0, version, LoginStyle.PLAIN, name, users, List.of(), Faults.NONE);
  }

  public RouterSpec withLogin(LoginStyle style) {
    return new RouterSpec(name, address, port, apiSslPort, version, style, identity, users, groups, faults);
  }

  public RouterSpec withApiSslPort(int sslPort) {
    return new RouterSpec(name, address, port, sslPort, version, login, identity, users, groups, faults);
  }

  public RouterSpec withGroups(List<GroupSpec> extraGroups) {
    return new RouterSpec(name, address, port, apiSslPort, version, login, identity, users, extraGroups, faults);
  }

  public RouterSpec withFaults(Faults initial) {
    return new RouterSpec(name, address, port, apiSslPort, version, login, identity, users, groups, initial);
  }

  public RouterSpec withUsers(List<UserSpec> newUsers) {
    return new RouterSpec(name, address, port, apiSslPort, version, login, identity, newUsers, groups, faults);
  }
}
