package controlplane.device.push;

import static org.assertj.core.api.Assertions.assertThat;

import controlplane.core.bus.Addresses;
import controlplane.core.bus.DeviceTarget;
import controlplane.core.bus.Fields;
import controlplane.core.bus.RepairRequest;
import controlplane.device.DeviceConfig;
import controlplane.device.client.ApiConnection;
import controlplane.device.client.ClientOptions;
import controlplane.device.client.RouterOsClient;
import controlplane.device.testing.FakeRouter;
import controlplane.device.testing.UserRouter;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** {@code op: repair}: the reconcile account sets the API user's password, on a scripted router over real sockets. */
@ExtendWith(VertxExtension.class)
class RepairOperationTest {

  private static final String USER = "altostrat-api";
  private static final String RECONCILE = "cp-reconcile";
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

  private JsonObject repair(int port, String reconcilePassword) throws Exception {
    RepairRequest request = new RepairRequest(new DeviceTarget("site-1", "127.0.0.1", port, false, USER), RECONCILE,
        reconcilePassword, "fresh-pw", 5_000L);
    return await(vertx.eventBus().<JsonObject>request(Addresses.DEVICE_PUSH_ANY, request.toJson()).map(m -> m.body()));
  }

  @Test
  @DisplayName("the reconcile account sets a fresh password on the API user, ends its sessions, and it logs in")
  void repairs() throws Exception {
    UserRouter state = new UserRouter().user(USER, "changed-by-someone").user(RECONCILE, "rec-pw");
    FakeRouter router = await(FakeRouter.start(vertx, state));
    RouterOsClient client = RouterOsClient.create(vertx, ClientOptions.defaults());
    try {
      ApiConnection stale = await(client.connect("127.0.0.1", router.port(), false)
          .compose(c -> c.login(USER, "changed-by-someone").map(c)));
      JsonObject reply = repair(router.port(), "rec-pw");
      assertThat(reply.getString(Fields.OUTCOME)).as(reply.encode()).isEqualTo("applied");
      assertThat(state.password(USER)).isEqualTo("fresh-pw");
      assertThat(state.password(RECONCILE)).isEqualTo("rec-pw");
      // The router ends the session before it answers; the client sees the close a moment later.
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
      while (!stale.isClosed() && System.nanoTime() < deadline) {
        Thread.sleep(10);
      }
      assertThat(stale.isClosed()).as("the API user's stale session is ended").isTrue();
      assertThat(reply.encode()).doesNotContain("fresh-pw").doesNotContain("rec-pw");
    } finally {
      await(client.close());
    }
  }

  @Test
  @DisplayName("a reconcile account that does not log in changes nothing: not_applied")
  void refused() throws Exception {
    UserRouter state = new UserRouter().user(USER, "changed-by-someone").user(RECONCILE, "rec-pw");
    FakeRouter router = await(FakeRouter.start(vertx, state));
    JsonObject reply = repair(router.port(), "wrong");
    assertThat(reply.getString(Fields.OUTCOME)).isEqualTo("not_applied");
    assertThat(reply.getString(Fields.FAILURE)).isEqualTo("device_rejected_credentials");
    assertThat(state.password(USER)).isEqualTo("changed-by-someone");
  }

  @Test
  @DisplayName("a reconcile account without the right is not_applied; a connection lost after /user/set is unknown")
  void refusedOrLost() throws Exception {
    UserRouter noRight = new UserRouter().user(USER, "x").user(RECONCILE, "rec-pw")
        .trapOnUserSet("not enough permissions");
    JsonObject refused = repair(await(FakeRouter.start(vertx, noRight)).port(), "rec-pw");
    assertThat(refused.getString(Fields.OUTCOME)).isEqualTo("not_applied");
    assertThat(refused.getString(Fields.MESSAGE)).contains("not enough permissions");

    UserRouter dropping = new UserRouter().user(USER, "x").user(RECONCILE, "rec-pw").dropOnUserSet();
    JsonObject lost = repair(await(FakeRouter.start(vertx, dropping)).port(), "rec-pw");
    assertThat(lost.getString(Fields.OUTCOME)).isEqualTo("unknown");
  }
}
