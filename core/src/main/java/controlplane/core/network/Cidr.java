package controlplane.core.network;

import java.net.InetAddress;
import java.util.Arrays;

/**
 * An IPv4 or IPv6 network, {@code 10.0.0.0/8} or {@code fe80::/10}; a bare address is a /32 or /128. Host bits given
 * in the text are ignored ({@code 10.1.2.3/8} is {@code 10.0.0.0/8}). An IPv4-mapped IPv6 network
 * ({@code ::ffff:127.0.0.0/104}) is the IPv4 network it maps, as such addresses are compared in their IPv4 form.
 */
public final class Cidr {

  private final byte[] network;
  private final int prefix;

  private Cidr(byte[] address, int prefix) {
    this.network = mask(address, prefix);
    this.prefix = prefix;
  }

  /** Parses {@code text}; an {@link IllegalArgumentException} names what is wrong, never looks a name up. */
  public static Cidr parse(String text) {
    String t = text == null ? "" : text.trim();
    int slash = t.indexOf('/');
    String literal = slash < 0 ? t : t.substring(0, slash);
    InetAddress address = IpLiterals.parse(literal);
    if (address == null) {
      throw new IllegalArgumentException("'" + t + "' is not an IP address or network");
    }
    byte[] bytes = address.getAddress();
    int max = literal.contains(":") ? 128 : 32;
    int prefix = max;
    if (slash >= 0) {
      String bits = t.substring(slash + 1);
      if (!bits.matches("[0-9]{1,3}") || Integer.parseInt(bits) > max) {
        throw new IllegalArgumentException("'" + t + "' has a prefix length that is not 0 to " + max);
      }
      prefix = Integer.parseInt(bits);
    }
    // IpLiterals reads an IPv4-mapped literal as the IPv4 address: its prefix counts from bit 96.
    if (bytes.length == 4 && max == 128) {
      if (prefix < 96) {
        throw new IllegalArgumentException("'" + t + "' mixes IPv4-mapped and other IPv6 addresses");
      }
      prefix -= 96;
    }
    return new Cidr(bytes, prefix);
  }

  /** The network of exactly {@code address}. */
  public static Cidr of(InetAddress address) {
    return new Cidr(address.getAddress(), address.getAddress().length * 8);
  }

  /** Whether {@code address} is in this network (an IPv4 address is never in an IPv6 network, nor the reverse). */
  public boolean contains(InetAddress address) {
    byte[] a = address.getAddress();
    return a.length == network.length && Arrays.equals(mask(a, prefix), network);
  }

  private static byte[] mask(byte[] address, int prefix) {
    byte[] out = address.clone();
    for (int i = 0; i < out.length; i++) {
      int keep = Math.max(0, Math.min(8, prefix - i * 8));
      out[i] = (byte) (out[i] & (0xff00 >> keep));
    }
    return out;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Cidr c && c.prefix == prefix && Arrays.equals(c.network, network);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(network) * 31 + prefix;
  }

  @Override
  public String toString() {
    return IpLiterals.format(network) + "/" + prefix;
  }
}
