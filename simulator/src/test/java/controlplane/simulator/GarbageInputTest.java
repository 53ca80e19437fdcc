package controlplane.simulator;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.util.List;
import net.jqwik.api.ForAll;
import net.jqwik.api.Label;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.Size;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;
import controlplane.device.protocol.Sentence;

/** A client that sends garbage only ever harms its own connection: every router keeps serving everyone else. */
class GarbageInputTest {

  private static SimulatorFixture sim;

  @BeforeContainer
  static void start() throws Exception {
    sim = SimulatorFixture.start("""
        routers:
          - { name: victim, address: 127.9.0.1, port: 28740, version: "7.15.3", login: plain, identity: victim,
              users: [ { name: admin, group: full, password: "a" } ] }
          - { name: bystander, address: 127.9.0.2, port: 28740, version: "7.19.1", login: plain, identity: bystander,
              users: [ { name: admin, group: full, password: "b" } ] }
        """);
  }

  @AfterContainer
  static void stop() throws Exception {
    sim.close();
  }

  @Property(tries = 60)
  @Label("random bytes sent to one router leave that router and every other one serving fresh logins")
  void garbageIsContained(@ForAll @Size(min = 1, max = 512) byte[] garbage) throws Exception {
    try (RawClient open = RawClient.connect(sim.router("bystander")).login("admin", "b");
         RawClient attacker = RawClient.connect(sim.router("victim"))) {
      try {
        attacker.sendRaw(garbage);
      } catch (IOException closedMidWrite) {
        // the router closed the attacker's connection while it was still writing: contained, as it should be
      }
      // The attacker's own connection may be closed or may wait for the rest of a word; either is fine.
      assertThat(open.call("/system/identity/print")).contains(Sentence.of("!re", "=name=bystander"));
    }
    try (RawClient fresh = RawClient.connect(sim.router("victim")).login("admin", "a")) {
      assertThat(fresh.call("/system/identity/print")).contains(Sentence.of("!re", "=name=victim"));
    }
  }

  @Property(tries = 20)
  @Label("a control byte (>= 0xF8) first closes that connection at once")
  void controlByteCloses(@ForAll("controlBytes") byte first) throws Exception {
    try (RawClient attacker = RawClient.connect(sim.router("victim"))) {
      attacker.sendRaw(new byte[] {first, 1, 2, 3});
      assertThat(attacker.closedByRouter()).isTrue();
    }
  }

  @net.jqwik.api.Provide
  net.jqwik.api.Arbitrary<Byte> controlBytes() {
    return net.jqwik.api.Arbitraries.of(List.of((byte) 0xF8, (byte) 0xF9, (byte) 0xFA, (byte) 0xFB, (byte) 0xFC,
        (byte) 0xFD, (byte) 0xFE, (byte) 0xFF));
  }
}
