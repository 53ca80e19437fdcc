package controlplane.core.network;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigInteger;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Arrays;
import net.jqwik.api.ForAll;
import net.jqwik.api.Label;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class CidrTest {

  @ParameterizedTest
  @CsvSource({
      "10.0.0.0/8, 10.255.1.2, true",
      "10.0.0.0/8, 11.0.0.0, false",
      "10.1.2.3/8, 10.200.0.1, true",
      "127.0.0.0/8, 127.10.20.30, true",
      "169.254.0.0/16, 169.254.169.254, true",
      "192.0.2.1, 192.0.2.1, true",
      "192.0.2.1, 192.0.2.2, false",
      "0.0.0.0/0, 203.0.113.9, true",
      "0.0.0.0/0, ::1, false",
      "::/0, 127.0.0.1, false",
      "fe80::/10, fe80::1, true",
      "fe80::/10, febf:ffff::1, true",
      "fe80::/10, fec0::1, false",
      "::1/128, ::1, true",
      "::1/128, ::2, false",
      "ff00::/8, ff02::1, true",
      "'::ffff:127.0.0.0/104', 127.0.0.1, true",
      "'::ffff:127.0.0.0/104', 128.0.0.1, false",
      "127.0.0.0/8, '::ffff:127.0.0.1', true",
      "2001:db8::/32, 2001:db8:ffff::1, true",
      "2001:db8::/32, 2001:db9::1, false"})
  @DisplayName("contains: by prefix, within one address family; an IPv4-mapped address is its IPv4 address")
  void contains(String cidr, String address, boolean expected) {
    assertThat(Cidr.parse(cidr).contains(IpLiterals.parse(address))).isEqualTo(expected);
  }

  @ParameterizedTest
  @CsvSource({"10.1.2.3/8, 10.0.0.0/8", "192.0.2.7, 192.0.2.7/32", "'2001:DB8:0:0::1/64', 2001:db8::/64",
      "::1, ::1/128", "'::ffff:10.0.0.0/104', 10.0.0.0/8", "' 172.16.0.0/12 ', 172.16.0.0/12"})
  @DisplayName("the canonical form masks host bits and writes IPv6 the RFC 5952 way")
  void canonical(String text, String canonical) {
    assertThat(Cidr.parse(text)).hasToString(canonical).isEqualTo(Cidr.parse(canonical));
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "router.example", "10.0.0.0/", "10.0.0.0/33", "::/129", "10.0.0.0/-1", "10.0.0.0/8/8",
      "300.0.0.0/8", "10.0.0/8", "'::ffff:10.0.0.0/64'", "10.0.0.0/ 8", "10.0.0.0/0x8"})
  @DisplayName("anything but an address with an optional prefix length is refused, without any name lookup")
  void refuses(String text) {
    assertThatThrownBy(() -> Cidr.parse(text)).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  @DisplayName("a network of one address contains that address only")
  void single() throws UnknownHostException {
    InetAddress a = InetAddress.getByAddress(new byte[] {(byte) 198, 51, 100, 7});
    assertThat(Cidr.of(a).contains(a)).isTrue();
    assertThat(Cidr.of(a)).hasToString("198.51.100.7/32");
  }

  @Property(tries = 500)
  @Label("every address whose first prefix bits are the network's is in it, and flipping any of them leaves it")
  void prefixBitsDecide(@ForAll @Size(16) byte[] base, @ForAll @Size(16) byte[] other, @ForAll boolean v6,
                        @ForAll @IntRange(max = 128) int prefixIn, @ForAll @IntRange(max = 127) int flipIn)
      throws UnknownHostException {
    int length = v6 ? 16 : 4;
    int bits = length * 8;
    int prefix = prefixIn % (bits + 1);
    byte[] network = Arrays.copyOf(base, length);
    Cidr cidr = Cidr.parse(IpLiterals.format(network) + "/" + prefix);

    // Same first prefix bits as the network, anything after them.
    BigInteger mask = BigInteger.ONE.shiftLeft(bits).subtract(BigInteger.ONE)
        .xor(BigInteger.ONE.shiftLeft(bits - prefix).subtract(BigInteger.ONE));
    BigInteger inside = new BigInteger(1, network).and(mask)
        .or(new BigInteger(1, Arrays.copyOf(other, length)).andNot(mask));
    assertThat(cidr.contains(address(inside, length))).isTrue();

    if (prefix > 0) {
      BigInteger outside = inside.flipBit(bits - 1 - flipIn % prefix);
      assertThat(cidr.contains(address(outside, length))).isFalse();
    }
  }

  @Property(tries = 300)
  @Label("parse(toString()) is the same network, and its text is stable")
  void roundTrip(@ForAll @Size(16) byte[] base, @ForAll boolean v6, @ForAll @IntRange(max = 128) int prefixIn) {
    int length = v6 ? 16 : 4;
    byte[] network = Arrays.copyOf(base, length);
    if (length == 16 && isMappedOrCompatible(network)) {
      return; // those read as IPv4 (see contains): a different network, by design
    }
    Cidr cidr = Cidr.parse(IpLiterals.format(network) + "/" + prefixIn % (length * 8 + 1));
    assertThat(Cidr.parse(cidr.toString())).isEqualTo(cidr).hasToString(cidr.toString());
  }

  @Property(tries = 300)
  @Label("an IPv4 address and its IPv4-mapped IPv6 form are in the same IPv4 networks")
  void mappedIsIpv4(@ForAll @Size(4) byte[] v4, @ForAll @Size(4) byte[] net, @ForAll @IntRange(max = 32) int prefix) {
    Cidr cidr = Cidr.parse(IpLiterals.format(net) + "/" + prefix);
    InetAddress plain = IpLiterals.parse(IpLiterals.format(v4));
    InetAddress mapped = IpLiterals.parse("::ffff:" + IpLiterals.format(v4));
    assertThat(cidr.contains(mapped)).isEqualTo(cidr.contains(plain));
  }

  private static boolean isMappedOrCompatible(byte[] a) {
    for (int i = 0; i < 10; i++) {
      if (a[i] != 0) {
        return false;
      }
    }
    return (a[10] == 0 && a[11] == 0) || (a[10] == (byte) 0xff && a[11] == (byte) 0xff);
  }

  private static InetAddress address(BigInteger value, int length) throws UnknownHostException {
    byte[] raw = value.toByteArray();
    byte[] out = new byte[length];
    int n = Math.min(raw.length, length);
    System.arraycopy(raw, raw.length - n, out, length - n, n);
    return InetAddress.getByAddress(out);
  }
}
