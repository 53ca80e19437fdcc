package controlplane.simulator;

import static org.assertj.core.api.Assertions.assertThat;

import controlplane.device.client.ApiConnection;
import controlplane.device.client.ApiException;
import controlplane.device.client.CertificateFingerprint;
import controlplane.device.client.ClientOptions;
import controlplane.device.client.Reply;
import controlplane.device.client.RouterOsClient;
import controlplane.device.client.Trap;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The device module's client against the simulator: what a rotation relies on. */
@ExtendWith(VertxExtension.class)
class DeviceClientTest {

  private static final String FLEET = """
      routers:
        - name: plain
          address: 127.77.4.1
          port: 8728
          apiSslPort: 8729
          version: "7.15.3"
          users:
            - { name: admin, group: full, password: "" }
            - { name: altostrat-api, group: full, password: "bootstrap" }
        - name: modern
          address: 127.77.4.2
          port: 8728
          version: "7.19.1"
          users: [ { name: altostrat-api, group: full, password: "bootstrap" } ]
        - name: legacy
          address: 127.77.4.3
          port: 8728
          version: "6.48.6"
          login: legacy
          users: [ { name: altostrat-api, group: full, password: "bootstrap" } ]
        - name: rotate
          address: 127.77.4.4
          port: 8728
          version: "7.15.3"
          users: [ { name: altostrat-api, group: full, password: "bootstrap" } ]
        - name: faulty
          address: 127.77.4.5
          port: 8728
          version: "7.15.3"
          users: [ { name: altostrat-api, group: full, password: "bootstrap" } ]
      """;

  private static Simulator sim;
  private static RouterOsClient client;

  @BeforeAll
  static void deploy(Vertx vertx, VertxTestContext ctx) {
    SimulatorVerticle verticle = new SimulatorVerticle(Fleet.fromYaml(FLEET), null);
    client = RouterOsClient.create(vertx, ClientOptions.defaults().withCommandTimeoutMs(5000));
    vertx.deployVerticle(verticle).onComplete(ctx.succeeding(id -> {
      sim = verticle.simulator();
      ctx.completeNow();
    }));
  }

  private static Future<ApiConnection> login(String router, String user, String password) {
    SimulatedRouter r = sim.router(router).orElseThrow();
    return client.connect(r.address(), r.port(), false)
        .compose(c -> c.login(user, password).map(c));
  }

  private static Future<Reply> exec(ApiConnection c, String command, Map<String, String> attrs, String... queries) {
    return c.execute(command, attrs, List.of(queries));
  }

  @Test
  @DisplayName("plain login then a print")
  void plainLogin(VertxTestContext ctx) {
    login("plain", "altostrat-api", "bootstrap")
        .compose(c -> exec(c, "/system/identity/print", Map.of()).eventually(c::close))
        .onComplete(ctx.succeeding(reply -> ctx.verify(() -> {
          assertThat(reply.ok()).isTrue();
          assertThat(reply.rows()).containsExactly(Map.of("name", "plain"));
          ctx.completeNow();
        })));
  }

  @Test
  @DisplayName("legacy login through the =ret= challenge")
  void legacyLogin(VertxTestContext ctx) {
    login("legacy", "altostrat-api", "bootstrap")
        .compose(c -> exec(c, "/system/resource/print", Map.of()).eventually(c::close))
        .onComplete(ctx.succeeding(reply -> ctx.verify(() -> {
          assertThat(reply.rows().get(0)).containsEntry("version", "6.48.6 (stable)");
          ctx.completeNow();
        })));
  }

  @Test
  @DisplayName("a wrong password fails the login")
  void wrongPassword(VertxTestContext ctx) {
    login("legacy", "altostrat-api", "wrong").onComplete(ctx.failing(e -> ctx.verify(() -> {
      assertThat(e).isInstanceOf(ApiException.class);
      assertThat(((ApiException) e).kind()).isEqualTo(ApiException.Kind.LOGIN_FAILED);
      ctx.completeNow();
    })));
  }

  @Test
  @DisplayName("a password rotation: /user/print ?name= then /user/set; new password in, old one out")
  void rotation(VertxTestContext ctx) {
    login("rotate", "altostrat-api", "bootstrap")
        .compose(c -> exec(c, "/user/print", Map.of(), "?name=altostrat-api")
            .compose(found -> exec(c, "/user/set",
                Map.of(".id", found.rows().get(0).get(".id"), "password", "rotated-2")))
            .eventually(c::close))
        .compose(set -> {
          assertThat(set.ok()).isTrue();
          return login("rotate", "altostrat-api", "rotated-2");
        })
        .compose(ApiConnection::close)
        .compose(v -> login("rotate", "altostrat-api", "bootstrap"))
        .onComplete(ctx.failing(e -> ctx.verify(() -> {
          assertThat(((ApiException) e).kind()).isEqualTo(ApiException.Kind.LOGIN_FAILED);
          assertThat(sim.router("rotate").orElseThrow().user("altostrat-api").orElseThrow().password())
              .isEqualTo("rotated-2");
          ctx.completeNow();
        })));
  }

  @Test
  @DisplayName("traps carry their categories, several traps before one !done included")
  void traps(VertxTestContext ctx) {
    login("plain", "admin", "").compose(c -> Future.all(
            exec(c, "/user/frobnicate", Map.of()),
            exec(c, "/ip/adress/print", Map.of()),
            exec(c, "/user/set", Map.of(".id", "*1", "group", "nonexistent")),
            exec(c, "/user/set", Map.of(".id", "*77", "password", "x")))
        .eventually(c::close))
        .onComplete(ctx.succeeding(all -> ctx.verify(() -> {
          assertThat(((Reply) all.resultAt(0)).traps()).containsExactly(new Trap(0, "no such command"));
          assertThat(((Reply) all.resultAt(1)).traps()).containsExactly(new Trap(0, "no such command"));
          assertThat(((Reply) all.resultAt(2)).traps()).containsExactly(
              new Trap(1, "input does not match any value of group"));
          assertThat(((Reply) all.resultAt(3)).traps()).containsExactly(new Trap(null, "no such item (4)"));
          assertThat(((Reply) all.resultAt(3)).ok()).isFalse();
          ctx.completeNow();
        })));
  }

  @Test
  @DisplayName("many tagged commands in flight at once each get their own reply")
  void interleaved(VertxTestContext ctx) {
    login("plain", "admin", "").compose(c -> {
      List<Future<Reply>> replies = new ArrayList<>();
      for (int i = 0; i < 30; i++) {
        String user = i % 2 == 0 ? "admin" : "altostrat-api";
        replies.add(exec(c, "/user/print", Map.of(".proplist", "name"), "?name=" + user));
      }
      return Future.all(replies).map(replies).eventually(c::close);
    }).onComplete(ctx.succeeding(replies -> ctx.verify(() -> {
      for (int i = 0; i < replies.size(); i++) {
        String user = i % 2 == 0 ? "admin" : "altostrat-api";
        assertThat(replies.get(i).result().rows()).containsExactly(Map.of("name", user));
      }
      ctx.completeNow();
    })));
  }

  @Test
  @DisplayName("!empty from 7.18 on; nothing of the kind on 7.15")
  void empty(VertxTestContext ctx) {
    Future<Reply> modern = login("modern", "altostrat-api", "bootstrap")
        .compose(c -> exec(c, "/user/print", Map.of(), "?name=nobody").eventually(c::close));
    Future<Reply> old = login("plain", "admin", "")
        .compose(c -> exec(c, "/user/print", Map.of(), "?name=nobody").eventually(c::close));
    Future.all(modern, old).onComplete(ctx.succeeding(v -> ctx.verify(() -> {
      assertThat(modern.result().empty()).isTrue();
      assertThat(modern.result().rows()).isEmpty();
      assertThat(modern.result().ok()).isTrue();
      assertThat(old.result().empty()).isFalse();
      assertThat(old.result().rows()).isEmpty();
      ctx.completeNow();
    })));
  }

  @Test
  @DisplayName("/quit ends the session with !fatal and the connection is closed")
  void quit(VertxTestContext ctx) {
    login("plain", "admin", "").compose(c -> c.quit().map(c))
        .onComplete(ctx.succeeding(c -> ctx.verify(() -> {
          assertThat(c.isClosed()).isTrue();
          ctx.completeNow();
        })));
  }

  @Test
  @DisplayName("api-ssl: TLS with the simulator's self-signed certificate, pinned by its fingerprint")
  void tls(Vertx vertx, VertxTestContext ctx) throws Exception {
    SimulatedRouter r = sim.router("plain").orElseThrow();
    assertThat(r.certificatePem()).startsWith("-----BEGIN CERTIFICATE-----");
    String pin = CertificateFingerprint.of((X509Certificate) CertificateFactory.getInstance("X.509")
        .generateCertificate(new ByteArrayInputStream(r.certificatePem().getBytes(StandardCharsets.US_ASCII))));
    RouterOsClient tls = RouterOsClient.create(vertx, ClientOptions.defaults());
    tls.connect(r.address(), r.apiSslPort(), true, pin)
        .compose(c -> c.login("altostrat-api", "bootstrap")
            .compose(v -> exec(c, "/ip/service/print", Map.of(".proplist", "port"), "?name=api-ssl"))
            .eventually(c::close))
        .onComplete(ctx.succeeding(reply -> ctx.verify(() -> {
          assertThat(reply.rows()).containsExactly(Map.of("port", "8729"));
          ctx.completeNow();
        })));
  }

  @Test
  @DisplayName("a delayed router makes the client time out; a refusing one fails the connect")
  void timeoutAndRefusal(Vertx vertx, VertxTestContext ctx) {
    SimulatedRouter r = sim.router("faulty").orElseThrow();
    RouterOsClient impatient = RouterOsClient.create(vertx, ClientOptions.defaults().withCommandTimeoutMs(200));
    impatient.connect(r.address(), r.port(), false)
        .compose(c -> c.login("altostrat-api", "bootstrap").map(c))
        .compose(c -> r.faults(Faults.NONE.withDelayMs(3000)).compose(v -> exec(c, "/system/identity/print",
            Map.of())))
        .recover(e -> {
          ctx.verify(() -> assertThat(((ApiException) e).kind()).isEqualTo(ApiException.Kind.TIMEOUT));
          return r.faults(Faults.NONE.withRefuseConnections(true))
              .compose(v -> impatient.connect(r.address(), r.port(), false))
              .map((Reply) null);
        })
        .onComplete(ctx.failing(e -> ctx.verify(() -> {
          assertThat(((ApiException) e).kind()).isEqualTo(ApiException.Kind.CONNECT_FAILED);
          r.faults(Faults.NONE).onComplete(ctx.succeedingThenComplete());
        })));
  }

  @Test
  @DisplayName("closeAfterCommand afterApply: the client sees the connection lost, the change is made")
  void closeAfterApply(VertxTestContext ctx) {
    SimulatedRouter r = sim.router("faulty").orElseThrow();
    r.faults(Faults.NONE.withCloseAfterCommand("/user/set", Faults.Phase.AFTER_APPLY))
        .compose(v -> login("faulty", "altostrat-api", "bootstrap"))
        .compose(c -> exec(c, "/user/set", Map.of("numbers", "altostrat-api", "password", "p2")))
        .onComplete(ctx.failing(e -> ctx.verify(() -> {
          assertThat(((ApiException) e).kind()).isEqualTo(ApiException.Kind.CLOSED);
          r.faults(Faults.NONE)
              .compose(v -> login("faulty", "altostrat-api", "p2"))
              .compose(c -> {
                r.setPassword("altostrat-api", "bootstrap");
                return c.close();
              })
              .onComplete(ctx.succeedingThenComplete());
        })));
  }
}
