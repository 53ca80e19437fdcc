package controlplane.device.push;

import static org.assertj.core.api.Assertions.assertThat;

import controlplane.core.bus.Addresses;
import controlplane.core.bus.DeviceOp;
import controlplane.core.bus.Failure;
import controlplane.core.bus.Fields;
import controlplane.device.DeviceConfig;
import controlplane.device.client.ApiConnection;
import controlplane.device.client.ClientOptions;
import controlplane.device.client.RouterOsClient;
import controlplane.device.testing.FakeRouter;
import controlplane.device.testing.UserRouter;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.NetServerOptions;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The device-push verticle against an in-test RouterOS-speaking server, over the event bus. */
@ExtendWith(VertxExtension.class)
class DevicePushVerticleTest {

  private static final String USER = "altostrat-api";
  private static final String EDGE = "10.9.8.7";

  private SimpleMeterRegistry registry;

  @BeforeEach
  void deploy(Vertx vertx, VertxTestContext ctx) {
    registry = new SimpleMeterRegistry();
    DeviceConfig config = new DeviceConfig(List.of(EDGE, "*"), 2000, 2000, false, null);
    vertx.deployVerticle(new DevicePushVerticle(config, registry)).onComplete(ctx.succeedingThenComplete());
  }

  private static JsonObject request(String op, int port, String newPassword, String... loginPasswords) {
    JsonObject req = new JsonObject()
        .put(Fields.OP, op)
        .put(Fields.TARGET, new JsonObject().put(Fields.SITE_ID, "site-1").put(Fields.HOST, "127.0.0.1")
            .put(Fields.PORT, port).put(Fields.TLS, false).put(Fields.USERNAME, USER))
        .put(Fields.LOGIN_PASSWORDS, new JsonArray(Arrays.asList(loginPasswords)));
    if (newPassword != null) {
      req.put(Fields.NEW_PASSWORD, newPassword);
    }
    return req;
  }

  private static Future<JsonObject> send(Vertx vertx, String address, JsonObject req) {
    return vertx.eventBus().<JsonObject>request(address, req).map(m -> m.body());
  }

  private double timerCount(String op, String outcome) {
    var timer = registry.find(DevicePushVerticle.TIMER).tag("op", op).tag("outcome", outcome).timer();
    return timer == null ? 0 : timer.count();
  }

  @Test
  @DisplayName("apply: once the sender's budget is spent, the password change is never sent (not_applied,"
      + " device_timeout) and the router keeps its password")
  void budgetSpentBeforeTheChange(Vertx vertx, VertxTestContext ctx) {
    UserRouter state = new UserRouter().user(USER, "old");
    FakeRouter.start(vertx, state)
        .compose(router -> send(vertx, Addresses.devicePush(EDGE),
            request(DeviceOp.APPLY.wire(), router.port(), "new-pw", "old").put(Fields.BUDGET_MS, 0)))
        .onComplete(ctx.succeeding(reply -> ctx.verify(() -> {
          assertThat(reply.getString(Fields.OUTCOME)).isEqualTo("not_applied");
          assertThat(reply.getString(Fields.FAILURE)).isEqualTo(Failure.DEVICE_TIMEOUT.id());
          assertThat(state.password(USER)).isEqualTo("old");
          ctx.completeNow();
        })));
  }

  @Test
  @DisplayName("apply: falls back to the second password, sets the new one, ends the stale session, verifies")
  void applySucceeds(Vertx vertx, VertxTestContext ctx) {
    UserRouter state = new UserRouter().user("admin", "").user(USER, "old");
    RouterOsClient client = RouterOsClient.create(vertx, ClientOptions.defaults());
    FakeRouter.start(vertx, state).compose(router -> {
      Future<ApiConnection> stale = client.connect("127.0.0.1", router.port(), false)
          .compose(c -> c.login(USER, "old").map(c));
      return stale.compose(staleConn -> send(vertx, Addresses.devicePush(EDGE),
              request(DeviceOp.APPLY.wire(), router.port(), "new-pw", "wrong", "old"))
          .map(reply -> List.of(reply, staleConn)));
    }).compose(res -> untilNoSessions(vertx, state, 50).map(res)).eventually(client::close).onComplete(ctx.succeeding(res -> ctx.verify(() -> {
      JsonObject reply = (JsonObject) res.get(0);
      assertThat(reply.getString(Fields.OUTCOME)).as(reply.encode()).isEqualTo("applied");
      assertThat(reply.getInteger(Fields.LOGIN_INDEX)).isEqualTo(1);
      assertThat(reply.containsKey(Fields.FAILURE)).isFalse();
      assertThat(state.password(USER)).isEqualTo("new-pw");
      assertThat(((ApiConnection) res.get(1)).isClosed()).as("stale session ended").isTrue();
      assertThat(state.activeSessions(USER)).as("the push's own sessions end after its reply").isZero();
      assertThat(timerCount("apply", "applied")).isEqualTo(1);
      assertThat(reply.encode()).doesNotContain("new-pw").doesNotContain("old");
      ctx.completeNow();
    })));
  }

  @Test
  @DisplayName("apply: a refusal whose message carries CR/LF and ANSI escapes reaches core printable and short")
  void applyHostileTrap(Vertx vertx, VertxTestContext ctx) {
    String hostile = "\u001b[2J\u001b[31mno\r\nWARN forged: password=hunter2\u0007" + "#".repeat(400);
    UserRouter state = new UserRouter().user(USER, "old").trapOnUserSet(hostile);
    FakeRouter.start(vertx, state)
        .compose(router -> send(vertx, Addresses.devicePush(EDGE),
            request(DeviceOp.APPLY.wire(), router.port(), "new-pw", "old")))
        .onComplete(ctx.succeeding(reply -> ctx.verify(() -> {
          assertThat(reply.getString(Fields.OUTCOME)).isEqualTo("not_applied");
          assertThat(reply.getString(Fields.FAILURE)).isEqualTo(Failure.DEVICE_REJECTED_CREDENTIALS.id());
          String message = reply.getString(Fields.MESSAGE);
          assertThat(message).startsWith("password change refused: ?[2J?[31mno??WARN forged: password=hunter2?#")
              .endsWith("\u2026").doesNotContain("\r").doesNotContain("\n").doesNotContain("\u001b");
          assertThat(message.length()).isEqualTo("password change refused: ".length() + 200);
          assertThat(state.password(USER)).isEqualTo("old");
          ctx.completeNow();
        })));
  }

  @Test
  @DisplayName("apply: the router drops the connection right after receiving /user/set -> unknown")
  void applyDropAfterSet(Vertx vertx, VertxTestContext ctx) {
    UserRouter state = new UserRouter().user(USER, "old").dropOnUserSet();
    FakeRouter.start(vertx, state)
        .compose(router -> send(vertx, Addresses.DEVICE_PUSH_ANY,
            request(DeviceOp.APPLY.wire(), router.port(), "new-pw", "old")))
        .onComplete(ctx.succeeding(reply -> ctx.verify(() -> {
          assertThat(reply.getString(Fields.OUTCOME)).isEqualTo("unknown");
          assertThat(reply.getString(Fields.FAILURE)).isEqualTo(Failure.DEVICE_OUTCOME_UNKNOWN.id());
          assertThat(reply.getInteger(Fields.LOGIN_INDEX)).isZero();
          assertThat(timerCount("apply", "unknown")).isEqualTo(1);
          ctx.completeNow();
        })));
  }

  @Test
  @DisplayName("apply: every login refused -> not_applied, device_rejected_credentials, nothing changed")
  void applyAllLoginsRefused(Vertx vertx, VertxTestContext ctx) {
    UserRouter state = new UserRouter().user(USER, "old").rejectLogins();
    FakeRouter.start(vertx, state)
        .compose(router -> send(vertx, Addresses.devicePush(EDGE),
            request(DeviceOp.APPLY.wire(), router.port(), "new-pw", "old", "pending", "previous"))
            .map(reply -> List.of(reply, router)))
        .onComplete(ctx.succeeding(res -> ctx.verify(() -> {
          JsonObject reply = (JsonObject) res.get(0);
          FakeRouter router = (FakeRouter) res.get(1);
          assertThat(reply.getString(Fields.OUTCOME)).isEqualTo("not_applied");
          assertThat(reply.getString(Fields.FAILURE)).isEqualTo(Failure.DEVICE_REJECTED_CREDENTIALS.id());
          assertThat(reply.getInteger(Fields.LOGIN_INDEX)).isEqualTo(-1);
          assertThat(router.received()).extracting(s -> s.head()).containsOnly("/login").hasSize(3);
          assertThat(state.password(USER)).isEqualTo("old");
          ctx.completeNow();
        })));
  }

  @Test
  @DisplayName("apply: nobody listening -> not_applied, device_unreachable")
  void applyUnreachable(Vertx vertx, VertxTestContext ctx) {
    closedPort(vertx)
        .compose(port -> send(vertx, Addresses.DEVICE_PUSH_ANY, request(DeviceOp.APPLY.wire(), port, "new-pw", "old")))
        .onComplete(ctx.succeeding(reply -> ctx.verify(() -> {
          assertThat(reply.getString(Fields.OUTCOME)).isEqualTo("not_applied");
          assertThat(reply.getString(Fields.FAILURE)).isEqualTo(Failure.DEVICE_UNREACHABLE.id());
          ctx.completeNow();
        })));
  }

  @Test
  @DisplayName("probe: stops at the first password that logs in and reports its index")
  void probe(Vertx vertx, VertxTestContext ctx) {
    UserRouter state = new UserRouter().user(USER, "pending");
    FakeRouter.start(vertx, state)
        .compose(router -> send(vertx, Addresses.DEVICE_PUSH_ANY,
            request(DeviceOp.PROBE.wire(), router.port(), null, "current", "pending", "previous"))
            .map(reply -> List.of(reply, router)))
        .onComplete(ctx.succeeding(res -> ctx.verify(() -> {
          JsonObject reply = (JsonObject) res.get(0);
          assertThat(reply.getBoolean(Fields.REACHABLE)).isTrue();
          assertThat(reply.getInteger(Fields.LOGIN_INDEX)).isEqualTo(1);
          assertThat(((FakeRouter) res.get(1)).received()).hasSize(2);
          assertThat(timerCount("probe", "logged_in")).isEqualTo(1);
          ctx.completeNow();
        })));
  }

  @Test
  @DisplayName("probe: nobody listening -> reachable false, login_index -1, device_unreachable")
  void probeUnreachable(Vertx vertx, VertxTestContext ctx) {
    closedPort(vertx)
        .compose(port -> send(vertx, Addresses.DEVICE_PUSH_ANY, request(DeviceOp.PROBE.wire(), port, null, "x")))
        .onComplete(ctx.succeeding(reply -> ctx.verify(() -> {
          assertThat(reply.getBoolean(Fields.REACHABLE)).isFalse();
          assertThat(reply.getInteger(Fields.LOGIN_INDEX)).isEqualTo(-1);
          assertThat(reply.getString(Fields.FAILURE)).isEqualTo(Failure.DEVICE_UNREACHABLE.id());
          ctx.completeNow();
        })));
  }

  @Test
  @DisplayName("a malformed request fails with internal_error and a message without passwords")
  void malformed(Vertx vertx, VertxTestContext ctx) {
    JsonObject req = request(DeviceOp.APPLY.wire(), 8728, null, "secret-old");
    send(vertx, Addresses.DEVICE_PUSH_ANY, req).onComplete(ctx.failing(err -> ctx.verify(() -> {
      assertThat(err).isInstanceOf(ReplyException.class);
      assertThat(Failure.of(err)).isEqualTo(Failure.INTERNAL_ERROR);
      assertThat(err.getMessage()).contains("new_password").doesNotContain("secret-old");
      ctx.completeNow();
    })));
  }

  /** The push closes its connections after replying; the router sees the close a moment later. */
  private static Future<Void> untilNoSessions(Vertx vertx, UserRouter state, int triesLeft) {
    if (state.activeSessions(USER) == 0 || triesLeft == 0) {
      return Future.succeededFuture();
    }
    return vertx.timer(100).compose(t -> untilNoSessions(vertx, state, triesLeft - 1));
  }

  private static Future<Integer> closedPort(Vertx vertx) {
    return vertx.createNetServer(new NetServerOptions().setHost("127.0.0.1").setPort(0)).connectHandler(s -> { })
        .listen()
        .compose(server -> server.close().map(server.actualPort()));
  }
}
