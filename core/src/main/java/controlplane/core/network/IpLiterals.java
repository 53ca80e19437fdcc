package controlplane.core.network;

import io.netty.util.NetUtil;
import java.net.InetAddress;

/**
 * IP address literals, read and written without any name lookup (safe on an event loop). An IPv4-mapped IPv6
 * literal reads as the IPv4 address it maps, so that one address has one form.
 */
public final class IpLiterals {

  private IpLiterals() {
  }

  /** The address {@code text} spells (IPv4 dotted quad, IPv6 with or without brackets), or null if it is a name. */
  public static InetAddress parse(String text) {
    return text == null ? null : NetUtil.createInetAddressFromIpAddressString(text.trim());
  }

  /** The canonical text of {@code address}: dotted quad, or RFC 5952 IPv6 ({@code 2001:db8::1}), no scope. */
  public static String format(InetAddress address) {
    return NetUtil.toAddressString(address);
  }

  /** The same for the 4 or 16 bytes of an address. */
  public static String format(byte[] address) {
    return NetUtil.bytesToIpAddress(address);
  }
}
