package controlplane.device.push;

import static org.assertj.core.api.Assertions.assertThat;

import controlplane.core.bus.Addresses;
import controlplane.core.bus.ApplyReply;
import controlplane.core.bus.ApplyRequest;
import controlplane.core.bus.DeviceOutcome;
import controlplane.core.bus.DeviceTarget;
import controlplane.core.bus.Fields;
import controlplane.device.DeviceConfig;
import controlplane.device.client.ClientOptions;
import controlplane.device.client.RouterOsClient;
import controlplane.device.protocol.Sentence;
import controlplane.device.testing.FakeRouter;
import controlplane.device.testing.UserRouter;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The verify connection of an apply is opened beside the first one, before the change, and logs in only after it;
 * one that is not there when needed (closed by the router, or never opened) is replaced by a fresh one, so opening it
 * early never turns an applied change into an unknown outcome.
 */
@ExtendWith(VertxExtension.class)
class EarlyVerifyConnectionTest {

  private static final String USER = "altostrat-api";
  private Vertx vertx;

  @BeforeEach
  void deploy(Vertx vertx) throws Exception {
    this.vertx = vertx;
    DeviceConfig config = new DeviceConfig(List.of("*"), 2000, 2000, false, null);
    await(vertx.deployVerticle(new DevicePushVerticle(config, new SimpleMeterRegistry())));
  }

  private static <T> T await(Future<T> f) throws Exception {
    return f.toCompletionStage().toCompletableFuture().get(20, TimeUnit.SECONDS);
  }

  /** A {@link UserRouter} that notes the connections open when {@code /user/set} arrives, and may close the others. */
  private static final class Watched implements FakeRouter.Behaviour {
    final UserRouter state;
    final boolean closeOthersOnUserSet;
    final List<FakeRouter.Session> open = new CopyOnWriteArrayList<>();
    final AtomicInteger ended = new AtomicInteger();
    volatile int openAtUserSet = -1;

    Watched(UserRouter state, boolean closeOthersOnUserSet) {
      this.state = state;
      this.closeOthersOnUserSet = closeOthersOnUserSet;
    }

    @Override
    public void onConnect(FakeRouter.Session session) {
      open.add(session);
      session.socket().endHandler(v -> {
        open.remove(session);
        ended.incrementAndGet();
      });
      state.onConnect(session);
    }

    @Override
    public void onCommand(FakeRouter.Session session, Sentence command) {
      if (command.head().equals("/user/set")) {
        openAtUserSet = open.size();
        if (closeOthersOnUserSet) {
          open.stream().filter(s -> s != session).forEach(FakeRouter.Session::close);
        }
      }
      state.onCommand(session, command);
    }
  }

  private JsonObject apply(int port, String... logins) throws Exception {
    ApplyRequest request = new ApplyRequest(new DeviceTarget("site-1", "127.0.0.1", port, false, USER), "new-pw",
        List.of(logins), 5_000L);
    return await(vertx.eventBus().<JsonObject>request(Addresses.DEVICE_PUSH_ANY, request.toJson()).map(m -> m.body()));
  }

  private static void awaitTrue(java.util.function.BooleanSupplier condition) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
    while (!condition.getAsBoolean() && System.nanoTime() < deadline) {
      Thread.sleep(10);
    }
  }

  @Test
  @DisplayName("the verify connection is open before the change, proves the new password, and nothing stays open")
  void openedBesideTheFirst() throws Exception {
    Watched router = new Watched(new UserRouter().user(USER, "old-pw"), false);
    FakeRouter server = await(FakeRouter.start(vertx, router));
    JsonObject reply = apply(server.port(), "old-pw");
    assertThat(reply.getString(Fields.OUTCOME)).as(reply.encode()).isEqualTo("applied");
    assertThat(router.openAtUserSet).as("connections open when /user/set arrived").isEqualTo(2);
    assertThat(server.connections()).isEqualTo(2);
    assertThat(router.state.password(USER)).isEqualTo("new-pw");
    awaitTrue(() -> router.open.isEmpty());
    assertThat(router.open).isEmpty();
    assertThat(router.state.activeSessions(USER)).isZero();
  }

  @Test
  @DisplayName("a verify connection the router closed before its login is replaced by a fresh one: still applied")
  void closedEarlyIsReplaced() throws Exception {
    Watched router = new Watched(new UserRouter().user(USER, "old-pw"), true);
    FakeRouter server = await(FakeRouter.start(vertx, router));
    JsonObject reply = apply(server.port(), "old-pw");
    assertThat(reply.getString(Fields.OUTCOME)).as(reply.encode()).isEqualTo("applied");
    assertThat(server.connections()).as("first, the early verify connection, its replacement").isEqualTo(3);
    assertThat(router.state.password(USER)).isEqualTo("new-pw");
  }

  @Test
  @DisplayName("when no password logs in, the early verify connection is closed too: not_applied, nothing open")
  void closedWhenNotNeeded() throws Exception {
    Watched router = new Watched(new UserRouter().user(USER, "old-pw"), false);
    FakeRouter server = await(FakeRouter.start(vertx, router));
    JsonObject reply = apply(server.port(), "wrong-1", "wrong-2");
    assertThat(reply.getString(Fields.OUTCOME)).isEqualTo("not_applied");
    assertThat(router.state.password(USER)).isEqualTo("old-pw");
    awaitTrue(() -> router.open.isEmpty());
    assertThat(router.open).as("connections left open").isEmpty();
    assertThat(router.ended.get()).isEqualTo(server.connections());
  }

  @Test
  @DisplayName("a verify connection that never opened: a fresh one is opened after the change")
  void neverOpened() throws Exception {
    UserRouter state = new UserRouter().user(USER, "new-pw");
    FakeRouter server = await(FakeRouter.start(vertx, state));
    RouterOsClient client = RouterOsClient.create(vertx, ClientOptions.defaults());
    try {
      ApplyRequest request = new ApplyRequest(new DeviceTarget("site-1", "127.0.0.1", server.port(), false, USER),
          "new-pw", List.of("old-pw"), 5_000L);
      PushRequest push = PushRequest.parse(request.toJson());
      ApplyReply reply = await(VerifyAndEndSessions.run(client, push, 0, null,
          Future.failedFuture(new IllegalStateException("refused"))));
      assertThat(reply.outcome()).isEqualTo(DeviceOutcome.APPLIED);
      assertThat(server.connections()).isEqualTo(1);
    } finally {
      await(client.close());
    }
  }
}
