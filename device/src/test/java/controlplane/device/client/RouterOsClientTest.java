package controlplane.device.client;

import static org.assertj.core.api.Assertions.assertThat;

import controlplane.device.protocol.Sentence;
import controlplane.device.testing.FakeRouter;
import controlplane.device.testing.RouterBehaviours;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.net.NetServerOptions;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(VertxExtension.class)
class RouterOsClientTest {

  private RouterOsClient client;

  @BeforeEach
  void setUp(Vertx vertx) {
    client = RouterOsClient.create(vertx, ClientOptions.defaults().withCommandTimeoutMs(3000));
  }

  @AfterEach
  void tearDown(VertxTestContext ctx) {
    client.close().onComplete(ctx.succeedingThenComplete());
  }

  private Future<ApiConnection> connect(FakeRouter router) {
    return client.connect("127.0.0.1", router.port(), false);
  }

  @Test
  @DisplayName("a plain login with the right password succeeds and sends name and password in one /login")
  void plainLogin(Vertx vertx, VertxTestContext ctx) {
    FakeRouter.start(vertx, RouterBehaviours.plainLogin("admin", "s3cret"))
        .compose(router -> connect(router).compose(c -> c.login("admin", "s3cret")).map(router))
        .onComplete(ctx.succeeding(router -> ctx.verify(() -> {
          Sentence login = router.received().get(0);
          assertThat(login.head()).isEqualTo("/login");
          assertThat(login.attribute("name")).isEqualTo("admin");
          assertThat(login.attribute("password")).isEqualTo("s3cret");
          assertThat(login.tag()).isNotNull();
          ctx.completeNow();
        })));
  }

  @Test
  @DisplayName("a refused login fails with LOGIN_FAILED carrying the router's message")
  void refusedLogin(Vertx vertx, VertxTestContext ctx) {
    FakeRouter.start(vertx, RouterBehaviours.plainLogin("admin", "s3cret"))
        .compose(router -> connect(router).compose(c -> c.login("admin", "wrong")))
        .onComplete(ctx.failing(err -> ctx.verify(() -> {
          assertThat(err).isInstanceOf(ApiException.class);
          assertThat(((ApiException) err).kind()).isEqualTo(ApiException.Kind.LOGIN_FAILED);
          assertThat(err.getMessage()).contains("invalid user name or password").doesNotContain("wrong");
          ctx.completeNow();
        })));
  }

  @Test
  @DisplayName("when !done carries =ret=, the client answers the MD5 challenge of ROUTEROS-API.md")
  void legacyLogin(Vertx vertx, VertxTestContext ctx) {
    FakeRouter.Behaviour legacy = (session, cmd) -> {
      if (cmd.attribute("response") == null) {
        session.reply(cmd, "!done", "=ret=259e0bc05acd6f46926dc2f809ed1bba");
      } else if ("00c7fd865183a43a772dde231f6d0bff13".equals(cmd.attribute("response"))) {
        session.reply(cmd, "!done");
      } else {
        session.reply(cmd, "!trap", "=message=cannot log in").reply(cmd, "!done");
      }
    };
    FakeRouter.start(vertx, legacy)
        .compose(router -> connect(router)
            .compose(c -> c.login("admin", "test")
                .compose(v -> c.login("admin", "nottest").transform(ar -> Future.succeededFuture(ar.cause()))))
            .map(err -> Map.entry(router, err)))
        .onComplete(ctx.succeeding(result -> ctx.verify(() -> {
          List<Sentence> received = result.getKey().received();
          assertThat(received).hasSize(4);
          assertThat(received.get(1).attribute("name")).isEqualTo("admin");
          assertThat(received.get(1).attribute("response")).isEqualTo("00c7fd865183a43a772dde231f6d0bff13");
          assertThat(result.getValue()).isInstanceOfSatisfying(ApiException.class, e -> {
            assertThat(e.kind()).isEqualTo(ApiException.Kind.LOGIN_FAILED);
            assertThat(e.getMessage()).contains("cannot log in");
          });
          ctx.completeNow();
        })));
  }

  @Test
  @DisplayName("execute sends the command, =attributes=, ?queries in order and one .tag, and collects !re rows")
  void executeWords(Vertx vertx, VertxTestContext ctx) {
    FakeRouter.Behaviour users = (session, cmd) -> session
        .reply(cmd, "!re", "=.id=*2", "=name=bob", "=comment=a=b")
        .reply(cmd, "!re", "=.id=*3", "=name=eve", "=comment=")
        .reply(cmd, "!done");
    Map<String, String> attrs = new LinkedHashMap<>();
    attrs.put(".proplist", ".id,name,comment");
    FakeRouter.start(vertx, users)
        .compose(router -> connect(router)
            .compose(c -> c.execute("/user/print", attrs, List.of("name=bob", "?=name=eve", "?#|")))
            .map(reply -> Map.entry(router, reply)))
        .onComplete(ctx.succeeding(result -> ctx.verify(() -> {
          Sentence sent = result.getKey().received().get(0);
          assertThat(sent.words()).hasSize(6);
          assertThat(sent.words().subList(0, 5))
              .containsExactly("/user/print", "=.proplist=.id,name,comment", "?name=bob", "?=name=eve", "?#|");
          assertThat(sent.words().get(5)).startsWith(".tag=");
          Reply reply = result.getValue();
          assertThat(reply.ok()).isTrue();
          assertThat(reply.empty()).isFalse();
          assertThat(reply.rows()).containsExactly(
              Map.of(".id", "*2", "name", "bob", "comment", "a=b"),
              Map.of(".id", "*3", "name", "eve", "comment", ""));
          ctx.completeNow();
        })));
  }

  @Test
  @DisplayName("several traps before !done are collected with category and message; absent category is null")
  void traps(Vertx vertx, VertxTestContext ctx) {
    FakeRouter.Behaviour trapping = (session, cmd) -> session
        .reply(cmd, "!trap", "=category=1", "=message=input does not match any value of group")
        .reply(cmd, "!trap", "=message=not enough permissions")
        .reply(cmd, "!done");
    FakeRouter.start(vertx, trapping)
        .compose(router -> connect(router).compose(c -> c.execute(Sentence.of("/user/set", "=.id=*9"))))
        .onComplete(ctx.succeeding(reply -> ctx.verify(() -> {
          assertThat(reply.ok()).isFalse();
          assertThat(reply.traps()).containsExactly(
              new Trap(1, "input does not match any value of group"),
              new Trap(null, "not enough permissions"));
          ctx.completeNow();
        })));
  }

  @Test
  @DisplayName("!empty then !done gives an empty, successful reply")
  void empty(Vertx vertx, VertxTestContext ctx) {
    FakeRouter.Behaviour empty = (session, cmd) -> session.reply(cmd, "!empty").reply(cmd, "!done");
    FakeRouter.start(vertx, empty)
        .compose(router -> connect(router).compose(c -> c.execute(Sentence.of("/user/print", "?name=nobody"))))
        .onComplete(ctx.succeeding(reply -> ctx.verify(() -> {
          assertThat(reply.empty()).isTrue();
          assertThat(reply.rows()).isEmpty();
          assertThat(reply.ok()).isTrue();
          ctx.completeNow();
        })));
  }

  @Test
  @DisplayName("interleaved commands are matched by tag even when answered in reverse order")
  void interleaved(Vertx vertx, VertxTestContext ctx) {
    List<Sentence> held = new ArrayList<>();
    FakeRouter.Behaviour reverse = (session, cmd) -> {
      held.add(cmd);
      if (held.size() == 3) {
        for (int i = 2; i >= 0; i--) {
          Sentence c = held.get(i);
          session.reply(c, "!re", "=name=" + c.head()).reply(c, "!done", "=ret=" + c.head());
        }
      }
    };
    FakeRouter.start(vertx, reverse)
        .compose(this::connect)
        .compose(c -> Future.all(
            c.execute(Sentence.of("/a")), c.execute(Sentence.of("/b")), c.execute(Sentence.of("/c"))))
        .onComplete(ctx.succeeding(all -> ctx.verify(() -> {
          List<Reply> replies = all.list();
          assertThat(replies).extracting(r -> r.done().get("ret")).containsExactly("/a", "/b", "/c");
          assertThat(replies).extracting(r -> r.rows().get(0).get("name")).containsExactly("/a", "/b", "/c");
          ctx.completeNow();
        })));
  }

  @Test
  @DisplayName("/quit succeeds on !fatal and leaves the connection closed; later commands fail CLOSED")
  void quit(Vertx vertx, VertxTestContext ctx) {
    FakeRouter.start(vertx, RouterBehaviours.plainLogin("admin", ""))
        .compose(this::connect)
        .compose(c -> c.login("admin", "").compose(v -> c.quit()).map(c))
        .compose(c -> {
          assertThat(c.isClosed()).isTrue();
          return c.execute(Sentence.of("/system/identity/print"));
        })
        .onComplete(ctx.failing(err -> ctx.verify(() -> {
          assertThat(((ApiException) err).kind()).isEqualTo(ApiException.Kind.CLOSED);
          assertThat(((ApiException) err).commandSent()).isFalse();
          ctx.completeNow();
        })));
  }

  @Test
  @DisplayName("an unsolicited !fatal fails every pending command with FATAL and closes the connection")
  void fatal(Vertx vertx, VertxTestContext ctx) {
    FakeRouter.Behaviour fatal = (session, cmd) -> {
      if (cmd.head().equals("/second")) {
        session.raw("!fatal", "out of memory");
      }
    };
    FakeRouter.start(vertx, fatal)
        .compose(this::connect)
        .compose(c -> {
          Future<Reply> first = c.execute(Sentence.of("/first"));
          Future<Reply> second = c.execute(Sentence.of("/second"));
          return Future.join(first, second).transform(ar -> Future.succeededFuture(
              List.of(first.cause(), second.cause(), c.isClosed())));
        })
        .onComplete(ctx.succeeding(res -> ctx.verify(() -> {
          assertThat(((ApiException) res.get(0)).kind()).isEqualTo(ApiException.Kind.FATAL);
          assertThat(((ApiException) res.get(1)).kind()).isEqualTo(ApiException.Kind.FATAL);
          assertThat(((ApiException) res.get(1)).getMessage()).contains("out of memory");
          assertThat(res.get(2)).isEqualTo(true);
          ctx.completeNow();
        })));
  }

  @Test
  @DisplayName("beyond maxPendingCommands, execute fails fast with TOO_MANY_PENDING and sends nothing")
  void tooManyPending(Vertx vertx, VertxTestContext ctx) {
    RouterOsClient small = RouterOsClient.create(vertx, ClientOptions.defaults().withMaxPendingCommands(2));
    FakeRouter.start(vertx, RouterBehaviours.silent())
        .compose(router -> small.connect("127.0.0.1", router.port(), false).compose(c -> {
          c.execute(Sentence.of("/one"));
          c.execute(Sentence.of("/two"));
          return c.execute(Sentence.of("/three")).eventually(() -> small.close());
        }))
        .onComplete(ctx.failing(err -> ctx.verify(() -> {
          assertThat(((ApiException) err).kind()).isEqualTo(ApiException.Kind.TOO_MANY_PENDING);
          assertThat(((ApiException) err).commandSent()).isFalse();
          ctx.completeNow();
        })));
  }

  @Test
  @DisplayName("close() fails every pending command with CLOSED")
  void closeFailsPending(Vertx vertx, VertxTestContext ctx) {
    FakeRouter.start(vertx, RouterBehaviours.silent())
        .compose(this::connect)
        .compose(c -> {
          Future<Reply> a = c.execute(Sentence.of("/a"));
          Future<Reply> b = c.execute(Sentence.of("/b"));
          return c.close().compose(v -> Future.join(a, b)).transform(ar -> Future.succeededFuture(
              List.of(a.cause(), b.cause())));
        })
        .onComplete(ctx.succeeding(causes -> ctx.verify(() -> {
          assertThat(causes).allSatisfy(t -> assertThat(t).isInstanceOfSatisfying(ApiException.class, e -> {
            assertThat(e.kind()).isEqualTo(ApiException.Kind.CLOSED);
            assertThat(e.commandSent()).isTrue();
          }));
          ctx.completeNow();
        })));
  }

  @Test
  @DisplayName("a connection refused fails with CONNECT_FAILED")
  void refused(Vertx vertx, VertxTestContext ctx) {
    vertx.createNetServer(new NetServerOptions().setHost("127.0.0.1").setPort(0)).connectHandler(s -> { })
        .listen()
        .compose(server -> server.close().map(server.actualPort()))
        .compose(port -> client.connect("127.0.0.1", port, false))
        .onComplete(ctx.failing(err -> ctx.verify(() -> {
          assertThat(((ApiException) err).kind()).isEqualTo(ApiException.Kind.CONNECT_FAILED);
          ctx.completeNow();
        })));
  }
}
