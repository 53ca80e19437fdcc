package controlplane.simulator.impl;

/** Dotted-quad IPv4 addresses as unsigned ints, for consecutive address ranges and {@code address} filters. */
public final class Ipv4 {

  private Ipv4() {
  }

  /** The address as a 32-bit value (in a long, unsigned). */
  public static long parse(String text) {
    String[] parts = text.trim().split("\\.");
    if (parts.length != 4) {
      throw new IllegalArgumentException("not an IPv4 address: " + text);
    }
    long v = 0;
    for (String p : parts) {
      int octet;
      try {
        octet = Integer.parseInt(p);
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException("not an IPv4 address: " + text, e);
      }
      if (octet < 0 || octet > 255) {
        throw new IllegalArgumentException("not an IPv4 address: " + text);
      }
      v = v << 8 | octet;
    }
    return v;
  }

  public static String format(long v) {
    if (v < 0 || v > 0xFFFFFFFFL) {
      throw new IllegalArgumentException("address out of range");
    }
    return (v >>> 24 & 0xFF) + "." + (v >>> 16 & 0xFF) + "." + (v >>> 8 & 0xFF) + "." + (v & 0xFF);
  }

  /**
   * Whether {@code remote} is allowed by a RouterOS {@code address} list such as {@code 10.0.0.0/8,192.168.1.5}.
   * An empty list allows every address; a non-IPv4 remote matches only an empty list.
   */
  public static boolean allowed(String list, String remote) {
    if (list == null || list.isBlank()) {
      return true;
    }
    long addr;
    try {
      addr = parse(remote);
    } catch (IllegalArgumentException e) {
      return false;
    }
    for (String entry : list.split(",")) {
      String e = entry.trim();
      if (e.isEmpty()) {
        continue;
      }
      int slash = e.indexOf('/');
      try {
        long net = parse(slash < 0 ? e : e.substring(0, slash));
        int bits = slash < 0 ? 32 : Integer.parseInt(e.substring(slash + 1));
        long mask = bits == 0 ? 0 : (0xFFFFFFFFL << (32 - bits)) & 0xFFFFFFFFL;
        if ((addr & mask) == (net & mask)) {
          return true;
        }
      } catch (IllegalArgumentException ignored) {
        // an entry we cannot read allows nothing
      }
    }
    return false;
  }
}
