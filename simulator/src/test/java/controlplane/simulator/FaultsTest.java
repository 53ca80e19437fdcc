package controlplane.simulator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import controlplane.device.protocol.Sentence;
import java.net.ConnectException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** Every fault, switched from code at run time, observed over raw sockets. */
class FaultsTest {

  private static SimulatorFixture sim;
  private static SimulatedRouter router;

  @BeforeAll
  static void start() throws Exception {
    sim = SimulatorFixture.start("""
        routers:
          - name: f
            address: 127.77.2.1
            port: 8728
            users: [ { name: api, group: full, password: "old" } ]
          - name: bystander
            address: 127.77.2.2
            port: 8728
            users: [ { name: api, group: full, password: "old" } ]
          - name: fromfile
            address: 127.77.2.3
            port: 8728
            faults: { rejectLogins: true, delayMs: 5 }
        """);
    router = sim.router("f");
  }

  @AfterAll
  static void stop() throws Exception {
    sim.close();
  }

  @AfterEach
  void heal() throws Exception {
    await(router.faults(Faults.NONE));
    router.setPassword("api", "old");
  }

  private static void await(io.vertx.core.Future<?> f) throws Exception {
    f.toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  private static Sentence s(String... words) {
    return Sentence.of(words);
  }

  @Test
  @DisplayName("faults from the fleet file are in force at start")
  void fromFile() throws Exception {
    assertThat(sim.router("fromfile").faults()).isEqualTo(Faults.NONE.withRejectLogins(true).withDelayMs(5));
    try (RawClient c = RawClient.connect(sim.router("fromfile"))) {
      assertThat(c.call("/login", "=name=admin", "=password=")).containsExactly(
          s("!trap", "=message=invalid user name or password (6)"), s("!done"));
    }
  }

  @Test
  @DisplayName("refuseConnections: connections are refused until it is cleared; other routers are unaffected")
  void refuse() throws Exception {
    await(router.faults(Faults.NONE.withRefuseConnections(true)));
    // The listener is closed; a connection the kernel had already queued may still be accepted and reset at once,
    // so the first refusal is awaited (bounded) rather than expected of the very first attempt.
    boolean refused = false;
    for (int attempt = 0; attempt < 50 && !refused; attempt++) {
      try (RawClient c = RawClient.connect(router)) {
        Thread.sleep(100);
      } catch (ConnectException e) {
        refused = true;
      }
    }
    assertThat(refused).as("connections refused").isTrue();
    assertThatThrownBy(() -> RawClient.connect(router)).isInstanceOf(ConnectException.class);
    try (RawClient other = RawClient.connect(sim.router("bystander"))) {
      other.login("api", "old");
    }
    await(router.faults(Faults.NONE));
    try (RawClient c = RawClient.connect(router)) {
      c.login("api", "old");
    }
  }

  @Test
  @DisplayName("neverAnswer: commands are read and dropped; answers resume for commands sent after it is cleared")
  void neverAnswer() throws Exception {
    try (RawClient c = RawClient.connect(router)) {
      await(router.faults(Faults.NONE.withNeverAnswer(true)));
      c.send("/login", "=name=api", "=password=old", ".tag=dropped");
      assertThat(c.silentFor(500)).isTrue();
      await(router.faults(Faults.NONE));
      assertThat(c.call("/login", "=name=api", "=password=old", ".tag=kept")).containsExactly(s("!done", ".tag=kept"));
    }
  }

  @Test
  @DisplayName("delayMs: replies are held back in order, and /cancel interrupts a held-back command")
  void delay() throws Exception {
    try (RawClient c = RawClient.connect(router).login("api", "old")) {
      await(router.faults(Faults.NONE.withDelayMs(300)));
      c.send("/system/identity/print", ".tag=a");
      c.send("/system/identity/print", ".tag=b");
      c.send("/cancel", "=tag=b", ".tag=c");
      assertThat(c.readReply()).containsExactly(s("!re", ".tag=a", "=name=f"), s("!done", ".tag=a"));
      assertThat(c.readReply()).containsExactly(s("!trap", ".tag=b", "=category=2", "=message=interrupted"),
          s("!done", ".tag=b"));
      assertThat(c.readReply()).containsExactly(s("!done", ".tag=c"));
    }
  }

  @Test
  @DisplayName("closeAfterCommand beforeApply: the connection drops and the change is not made")
  void closeBeforeApply() throws Exception {
    await(router.faults(Faults.NONE.withCloseAfterCommand("/user/set", Faults.Phase.BEFORE_APPLY)));
    try (RawClient c = RawClient.connect(router).login("api", "old")) {
      c.send("/user/set", "=numbers=api", "=password=new");
      assertThat(c.closedByRouter()).isTrue();
    }
    assertThat(router.user("api").orElseThrow().password()).isEqualTo("old");
    try (RawClient c = RawClient.connect(router)) {
      c.login("api", "old");
    }
  }

  @Test
  @DisplayName("closeAfterCommand afterApply: the connection drops without a reply and the change is made")
  void closeAfterApply() throws Exception {
    await(router.faults(Faults.NONE.withCloseAfterCommand("/user/set", Faults.Phase.AFTER_APPLY)));
    try (RawClient c = RawClient.connect(router).login("api", "old")) {
      c.send("/user/set", "=numbers=api", "=password=new");
      assertThat(c.closedByRouter()).isTrue();
    }
    try (RawClient c = RawClient.connect(router)) {
      c.login("api", "new");
    }
  }

  @Test
  @DisplayName("rejectLogins: the right password is refused with the ordinary message, until cleared")
  void rejectLogins() throws Exception {
    await(router.faults(Faults.NONE.withRejectLogins(true)));
    try (RawClient c = RawClient.connect(router)) {
      assertThat(c.call("/login", "=name=api", "=password=old")).containsExactly(
          s("!trap", "=message=invalid user name or password (6)"), s("!done"));
      await(router.faults(Faults.NONE));
      c.login("api", "old");
    }
  }
}
