package controlplane.core.network;

import java.util.Arrays;
import java.util.List;

/** Named sets of networks that {@code enrolment.deniedNetworks} and {@code allowedNetworks} may list by name. */
public enum NetworkGroup {
  LOOPBACK("loopback", "127.0.0.0/8", "::1/128"),
  LINK_LOCAL("link-local", "169.254.0.0/16", "fe80::/10"),
  /** "This network" (0.0.0.0/8, which Linux dials as the host itself) and the IPv6 unspecified address. */
  UNSPECIFIED("unspecified", "0.0.0.0/8", "::/128"),
  MULTICAST("multicast", "224.0.0.0/4", "ff00::/8"),
  /** The addresses of this host's network interfaces, loopback ones aside; enumerated when core starts. */
  HOST_ADDRESSES("host-addresses");

  private final String id;
  private final List<Cidr> networks;

  NetworkGroup(String id, String... networks) {
    this.id = id;
    this.networks = Arrays.stream(networks).map(Cidr::parse).toList();
  }

  /** The name used in the configuration, e.g. {@code link-local}. */
  public String id() {
    return id;
  }

  /** The fixed networks of this group ({@link #HOST_ADDRESSES} has none: they depend on the host). */
  List<Cidr> networks() {
    return networks;
  }

  /** The group named {@code name}, or null. */
  public static NetworkGroup byId(String name) {
    for (NetworkGroup g : values()) {
      if (g.id.equals(name)) {
        return g;
      }
    }
    return null;
  }
}
