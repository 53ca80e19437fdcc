package controlplane.core.network;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class NetworkRuleTest {

  private static final InetAddress OWN = IpLiterals.parse("10.20.30.40");
  private static final NetworkRule PRODUCTION = NetworkRule.of(NetworkRule.PRODUCTION_DENIED, List.of(),
      () -> List.of(OWN));
  private static final NetworkRule EMBEDDED = NetworkRule.of(NetworkRule.EMBEDDED_DENIED, List.of(),
      () -> List.of(OWN));

  @ParameterizedTest
  @ValueSource(strings = {"127.0.0.1", "127.255.0.9", "::1", "::ffff:127.0.0.1", "169.254.169.254", "fe80::1",
      "0.0.0.0", "0.1.2.3", "::", "224.0.0.1", "239.255.255.250", "ff02::1", "10.20.30.40"})
  @DisplayName("production denies loopback, link-local, unspecified, multicast and the host's own addresses")
  void productionDenies(String address) {
    assertThat(PRODUCTION.permits(IpLiterals.parse(address))).isFalse();
  }

  @ParameterizedTest
  @ValueSource(strings = {"10.20.30.41", "100.64.1.23", "192.168.88.1", "172.16.0.1", "203.0.113.5", "2001:db8::1",
      "fd00::1"})
  @DisplayName("production permits any other router address, private networks included")
  void productionPermits(String address) {
    assertThat(PRODUCTION.permits(IpLiterals.parse(address))).isTrue();
  }

  @Test
  @DisplayName("embedded permits loopback (the bundled simulator) and denies the rest of the defaults")
  void embedded() {
    assertThat(EMBEDDED.permits(IpLiterals.parse("127.0.0.1"))).isTrue();
    assertThat(EMBEDDED.permits(IpLiterals.parse("::1"))).isTrue();
    assertThat(EMBEDDED.permits(IpLiterals.parse("169.254.169.254"))).isFalse();
    assertThat(EMBEDDED.permits(OWN)).isFalse();
    assertThat(EMBEDDED.permits(IpLiterals.parse("224.0.0.1"))).isFalse();
  }

  @Test
  @DisplayName("with allowed networks, only those (and never a denied one inside them)")
  void allowedOnly() {
    NetworkRule rule = NetworkRule.of(List.of("10.9.0.0/16"), List.of("10.0.0.0/8", "fd00::/8"), List::of);
    assertThat(rule.permits(IpLiterals.parse("10.1.2.3"))).isTrue();
    assertThat(rule.permits(IpLiterals.parse("fd12::1"))).isTrue();
    assertThat(rule.permits(IpLiterals.parse("10.9.0.1"))).isFalse();
    assertThat(rule.permits(IpLiterals.parse("192.168.1.1"))).isFalse();
    assertThat(rule.permits(IpLiterals.parse("2001:db8::1"))).isFalse();
  }

  @Test
  @DisplayName("the host's addresses are asked for only when a list names them, and exclude loopback")
  void hostAddresses() {
    NetworkRule.of(List.of("loopback"), List.of(), () -> {
      throw new AssertionError("not needed");
    });
    assertThat(NetworkRule.hostAddresses()).noneMatch(InetAddress::isLoopbackAddress);
    assertThat(NetworkRule.of(List.of(), List.of(), List::of).permits(IpLiterals.parse("127.0.0.1"))).isTrue();
  }
}
