package controlplane.simulator;

import controlplane.simulator.impl.FleetYaml;
import controlplane.simulator.impl.Ipv4;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The routers a simulator runs: those listed one by one, plus optionally a block of identical generated routers.
 * Loaded from the fleet file (YAML, see {@link #fromYaml(String)}).
 *
 * @param routers routers listed one by one
 * @param generate many identical routers on consecutive addresses, or null
 */
public record Fleet(List<RouterSpec> routers, Generate generate) {

  public Fleet {
    routers = List.copyOf(routers);
  }

  /**
   * The {@code generate} block: {@code count} routers named {@code gen-1..gen-N} on consecutive IPv4 addresses from
   * {@code firstAddress}, all on the same port, sharing one version, login style, user list and faults.
   */
  public record Generate(int count, String firstAddress, int port, String version, LoginStyle login,
      List<UserSpec> users, Faults faults) {

    public Generate {
      if (count < 0) {
        throw new IllegalArgumentException("generate.count must not be negative");
      }
      Objects.requireNonNull(firstAddress, "generate.firstAddress");
      Objects.requireNonNull(version, "generate.version");
      login = login == null ? LoginStyle.PLAIN : login;
      users = List.copyOf(users);
      faults = faults == null ? Faults.NONE : faults;
      Ipv4.parse(firstAddress); // fails early on a bad address
    }

    /** The {@code i}-th generated router, counting from 0; every router shares the user list. */
    public RouterSpec router(int i) {
      String name = "gen-" + (i + 1);
      String address = Ipv4.format(Ipv4.parse(firstAddress) + i);
      return new RouterSpec(name, address, port, 0, version, login, name, users, List.of(), faults);
    }
  }

  /** A fleet of the given routers and no generate block. */
  public static Fleet of(List<RouterSpec> routers) {
    return new Fleet(routers, null);
  }

  /** Every router: the listed ones, then the generated ones. */
  public List<RouterSpec> allRouters() {
    int extra = generate == null ? 0 : generate.count();
    List<RouterSpec> all = new ArrayList<>(routers.size() + extra);
    all.addAll(routers);
    for (int i = 0; i < extra; i++) {
      all.add(generate.router(i));
    }
    return all;
  }

  /**
   * Parses a fleet file. Keys, exactly: top level {@code routers}, {@code generate}; per router {@code name address
   * port version login identity users faults} and the optional extensions {@code apiSslPort} and {@code groups}
   * ({@code {name, policy: "api,read"}}); per user {@code name group password} and optional {@code address
   * disabled}; faults {@code refuseConnections neverAnswer delayMs closeAfterCommand: {command, when:
   * beforeApply|afterApply} rejectLogins}; generate {@code count firstAddress port version users} and optional
   * {@code login faults}. Unknown keys are rejected so that a typo is not silently ignored.
   *
   * @throws IllegalArgumentException on malformed content
   */
  public static Fleet fromYaml(String yaml) {
    return FleetYaml.parse(yaml);
  }

  /** Reads and parses a fleet file (blocking). */
  public static Fleet load(Path file) throws IOException {
    return fromYaml(Files.readString(file, StandardCharsets.UTF_8));
  }

  /**
   * The built-in demo fleet: r1..r4 on 127.0.0.1 ports 18728..18731 running 6.48.6 (legacy login), 7.15.3, 7.19.1 and
   * 7.19.1, each with {@code admin} (group full, empty password) and {@code altostrat-api} (group full, password
   * {@code bootstrap-1} .. {@code bootstrap-4}).
   */
  public static Fleet demo() {
    String[] versions = {"6.48.6", "7.15.3", "7.19.1", "7.19.1"};
    List<RouterSpec> routers = new ArrayList<>();
    for (int i = 0; i < versions.length; i++) {
      String name = "r" + (i + 1);
      List<UserSpec> users = List.of(new UserSpec("admin", "full", ""),
          new UserSpec("altostrat-api", "full", "bootstrap-" + (i + 1)));
      RouterSpec spec = RouterSpec.of(name, "127.0.0.1", 18728 + i, versions[i], users);
      routers.add(i == 0 ? spec.withLogin(LoginStyle.LEGACY) : spec);
    }
    return of(routers);
  }
}
