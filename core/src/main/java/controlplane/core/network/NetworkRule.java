package controlplane.core.network;

import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.function.Supplier;

/**
 * Which router addresses the control plane may dial: none in a denied network and, when allowed networks are given,
 * only those in one of them. Entries are CIDRs, bare addresses or {@link NetworkGroup} names.
 */
public final class NetworkRule {

  /** The denied networks of a production deployment (an external database). */
  public static final List<String> PRODUCTION_DENIED = List.of(NetworkGroup.LOOPBACK.id(), NetworkGroup.LINK_LOCAL.id(),
      NetworkGroup.UNSPECIFIED.id(), NetworkGroup.MULTICAST.id(), NetworkGroup.HOST_ADDRESSES.id());

  /** The same less loopback, where the bundled simulator's routers live: the embedded (one-process) default. */
  public static final List<String> EMBEDDED_DENIED = PRODUCTION_DENIED.subList(1, PRODUCTION_DENIED.size());

  private final List<Cidr> denied;
  private final List<Cidr> allowed;

  private NetworkRule(List<Cidr> denied, List<Cidr> allowed) {
    this.denied = List.copyOf(denied);
    this.allowed = List.copyOf(allowed);
  }

  /**
   * The rule of {@code deniedEntries} and {@code allowedEntries} (empty: any address not denied), with
   * {@code hostAddresses} asked only when an entry names {@link NetworkGroup#HOST_ADDRESSES}.
   */
  public static NetworkRule of(List<String> deniedEntries, List<String> allowedEntries,
                               Supplier<List<InetAddress>> hostAddresses) {
    return new NetworkRule(networks(deniedEntries, hostAddresses), networks(allowedEntries, hostAddresses));
  }

  /** Checks every entry of {@code entries}; the first bad one fails, named with {@code key}. */
  public static void validate(String key, List<String> entries) {
    for (String entry : entries) {
      if (NetworkGroup.byId(entry) == null) {
        try {
          Cidr.parse(entry);
        } catch (IllegalArgumentException e) {
          throw new IllegalArgumentException(key + ": " + e.getMessage() + "; give a CIDR, an address or one of "
              + Arrays.stream(NetworkGroup.values()).map(NetworkGroup::id).toList());
        }
      }
    }
  }

  /** Whether a router at {@code address} may be dialled. */
  public boolean permits(InetAddress address) {
    return denied.stream().noneMatch(n -> n.contains(address))
        && (allowed.isEmpty() || allowed.stream().anyMatch(n -> n.contains(address)));
  }

  /**
   * The addresses of this host's network interfaces, loopback ones aside (the {@code loopback} group is about
   * those). Blocking: it asks the operating system.
   */
  public static List<InetAddress> hostAddresses() {
    List<InetAddress> out = new ArrayList<>();
    try {
      for (NetworkInterface nic : Collections.list(NetworkInterface.getNetworkInterfaces())) {
        nic.inetAddresses().filter(a -> !a.isLoopbackAddress()).forEach(out::add);
      }
    } catch (SocketException e) {
      throw new IllegalStateException("cannot list this host's network interfaces", e);
    }
    return out;
  }

  private static List<Cidr> networks(List<String> entries, Supplier<List<InetAddress>> hostAddresses) {
    List<Cidr> out = new ArrayList<>();
    for (String entry : entries) {
      NetworkGroup group = NetworkGroup.byId(entry);
      if (group == NetworkGroup.HOST_ADDRESSES) {
        hostAddresses.get().forEach(a -> out.add(Cidr.of(a)));
      } else if (group != null) {
        out.addAll(group.networks());
      } else {
        out.add(Cidr.parse(entry));
      }
    }
    return out;
  }

  @Override
  public String toString() {
    return "denied " + denied + (allowed.isEmpty() ? "" : ", allowed only " + allowed);
  }
}
