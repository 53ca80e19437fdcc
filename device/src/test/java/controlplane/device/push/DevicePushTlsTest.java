package controlplane.device.push;

import static org.assertj.core.api.Assertions.assertThat;

import controlplane.core.bus.Addresses;
import controlplane.core.bus.DeviceOp;
import controlplane.core.bus.Failure;
import controlplane.core.bus.Fields;
import controlplane.device.DeviceConfig;
import controlplane.device.testing.FakeRouter;
import controlplane.device.testing.TestCertificate;
import controlplane.device.testing.UserRouter;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * API-SSL routers through the device-push verticle: a probe reports the certificate it saw (what an enrolment pins),
 * apply and probe hold the router to the target's pin, and a refused certificate is
 * {@code device_certificate_mismatch} with nothing sent to the router.
 */
@ExtendWith(VertxExtension.class)
class DevicePushTlsTest {

  private static final String USER = "altostrat-api";
  /** The edge of a second verticle that trusts a CA ({@code device.trustPem}). */
  private static final String CA_EDGE = "edge-ca";

  private final TestCertificate first = TestCertificate.selfSigned("router-tls");
  private final TestCertificate second = TestCertificate.selfSigned("router-tls");

  @BeforeEach
  void deploy(Vertx vertx, VertxTestContext ctx, @TempDir Path dir) throws Exception {
    Path trustPem = Files.writeString(dir.resolve("ca.pem"), first.pem(), StandardCharsets.US_ASCII);
    vertx.deployVerticle(new DevicePushVerticle(new DeviceConfig(List.of("*"), 10_000, 10_000, false, null),
            new SimpleMeterRegistry()))
        .compose(x -> vertx.deployVerticle(new DevicePushVerticle(
            new DeviceConfig(List.of(CA_EDGE), 10_000, 10_000, false, trustPem.toString()), new SimpleMeterRegistry())))
        .onComplete(ctx.succeedingThenComplete());
  }

  private static JsonObject request(String op, int port, String pin, String newPassword, String... logins) {
    JsonObject target = new JsonObject().put(Fields.SITE_ID, "site-tls").put(Fields.HOST, "127.0.0.1")
        .put(Fields.PORT, port).put(Fields.TLS, true).put(Fields.USERNAME, USER);
    if (pin != null) {
      target.put(Fields.TLS_FINGERPRINT, pin);
    }
    JsonObject req = new JsonObject().put(Fields.OP, op).put(Fields.TARGET, target)
        .put(Fields.LOGIN_PASSWORDS, new JsonArray(Arrays.asList(logins)));
    return newPassword == null ? req : req.put(Fields.NEW_PASSWORD, newPassword);
  }

  private static Future<JsonObject> send(Vertx vertx, String address, JsonObject req) {
    return vertx.eventBus().<JsonObject>request(address, req).map(m -> m.body());
  }

  @Test
  @DisplayName("probe without a pin: logs in and reports the certificate the router presented")
  void probeReportsTheCertificate(Vertx vertx, VertxTestContext ctx) {
    FakeRouter.startTls(vertx, new UserRouter().user(USER, "boot"), first.keyCert())
        .compose(router -> send(vertx, Addresses.DEVICE_PUSH_ANY,
            request(DeviceOp.PROBE.wire(), router.port(), null, null, "wrong", "boot")))
        .onComplete(ctx.succeeding(reply -> ctx.verify(() -> {
          assertThat(reply.getBoolean(Fields.REACHABLE)).isTrue();
          assertThat(reply.getInteger(Fields.LOGIN_INDEX)).isEqualTo(1);
          assertThat(reply.getString(Fields.TLS_FINGERPRINT)).isEqualTo(first.fingerprint());
          ctx.completeNow();
        })));
  }

  @Test
  @DisplayName("apply with the pin: applied; after the router switches certificate: device_certificate_mismatch,"
      + " nothing sent, the password unchanged")
  void applyHeldToThePin(Vertx vertx, VertxTestContext ctx) {
    UserRouter state = new UserRouter().user(USER, "old");
    FakeRouter.startTls(vertx, state, first.keyCert()).compose(router -> send(vertx, Addresses.DEVICE_PUSH_ANY,
            request(DeviceOp.APPLY.wire(), router.port(), first.fingerprint(), "new-1", "old"))
        .compose(applied -> router.presentCertificate(second.keyCert()).map(r -> List.of(applied,
            router.received().size())))
        .compose(before -> send(vertx, Addresses.DEVICE_PUSH_ANY,
                request(DeviceOp.APPLY.wire(), router.port(), first.fingerprint(), "new-2", "new-1"))
            .map(refused -> List.of(before.get(0), refused, before.get(1), router.received().size()))))
        .onComplete(ctx.succeeding(out -> ctx.verify(() -> {
          JsonObject applied = (JsonObject) out.get(0);
          JsonObject refused = (JsonObject) out.get(1);
          assertThat(applied.getString(Fields.OUTCOME)).as(applied.encode()).isEqualTo("applied");
          assertThat(refused.getString(Fields.OUTCOME)).isEqualTo("not_applied");
          assertThat(refused.getString(Fields.FAILURE)).isEqualTo(Failure.DEVICE_CERTIFICATE_MISMATCH.id());
          assertThat(refused.getString(Fields.MESSAGE)).contains(second.fingerprint());
          assertThat(out.get(3)).as("commands received after the switch").isEqualTo(out.get(2));
          assertThat(state.password(USER)).isEqualTo("new-1");
          ctx.completeNow();
        })));
  }

  @Test
  @DisplayName("probe with a stated pin the router does not present: device_certificate_mismatch, inconclusive")
  void statedPinMismatch(Vertx vertx, VertxTestContext ctx) {
    FakeRouter.startTls(vertx, new UserRouter().user(USER, "boot"), second.keyCert())
        .compose(router -> send(vertx, Addresses.DEVICE_PUSH_ANY,
            request(DeviceOp.PROBE.wire(), router.port(), first.fingerprint(), null, "boot"))
            .map(reply -> List.of(reply, router.received().size())))
        .onComplete(ctx.succeeding(out -> ctx.verify(() -> {
          JsonObject reply = (JsonObject) out.get(0);
          assertThat(reply.getBoolean(Fields.REACHABLE)).isFalse();
          assertThat(reply.getString(Fields.FAILURE)).isEqualTo(Failure.DEVICE_CERTIFICATE_MISMATCH.id());
          assertThat(reply.containsKey(Fields.TLS_FINGERPRINT)).isFalse();
          assertThat(out.get(1)).isEqualTo(0);
          ctx.completeNow();
        })));
  }

  @Test
  @DisplayName("trustPem: a certificate it issued, but for another host name than 127.0.0.1, is refused")
  void trustPemOtherHostName(Vertx vertx, VertxTestContext ctx) {
    FakeRouter.startTls(vertx, new UserRouter().user(USER, "boot"), first.keyCert())
        .compose(router -> send(vertx, Addresses.devicePush(CA_EDGE),
            request(DeviceOp.PROBE.wire(), router.port(), null, null, "boot")))
        .onComplete(ctx.succeeding(reply -> ctx.verify(() -> {
          assertThat(reply.getBoolean(Fields.REACHABLE)).isFalse();
          assertThat(reply.getString(Fields.FAILURE)).isEqualTo(Failure.DEVICE_CERTIFICATE_MISMATCH.id());
          assertThat(reply.getString(Fields.MESSAGE)).contains("not trusted by device.trustPem");
          ctx.completeNow();
        })));
  }
}
