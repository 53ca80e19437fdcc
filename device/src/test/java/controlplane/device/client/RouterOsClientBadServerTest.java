package controlplane.device.client;

import static org.assertj.core.api.Assertions.assertThat;

import controlplane.device.protocol.ParserLimits;
import controlplane.device.protocol.Sentence;
import controlplane.device.protocol.SentenceEncoder;
import controlplane.device.testing.FakeRouter;
import controlplane.device.testing.RouterBehaviours;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.net.NetServerOptions;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import java.util.HexFormat;
import java.util.List;
import java.util.function.Function;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The client against servers that misbehave: every case ends in a classified {@link ApiException}. */
@ExtendWith(VertxExtension.class)
class RouterOsClientBadServerTest {

  private static final ClientOptions FAST = ClientOptions.defaults()
      .withConnectTimeoutMs(1000)
      .withCommandTimeoutMs(1000);

  /** Connects with {@code options}, runs {@code action}, and hands over its failure and the connection state. */
  private static Future<Outcome> run(Vertx vertx, FakeRouter.Behaviour behaviour, ClientOptions options,
      Function<ApiConnection, Future<?>> action) {
    RouterOsClient client = RouterOsClient.create(vertx, options);
    return FakeRouter.start(vertx, behaviour)
        .compose(router -> client.connect("127.0.0.1", router.port(), false))
        .compose(c -> action.apply(c).transform(ar -> Future.succeededFuture(
            new Outcome(ar.cause(), c.isClosed()))))
        .eventually(client::close);
  }

  record Outcome(Throwable failure, boolean closed) {
    ApiException.Kind kind() {
      assertThat(failure).isInstanceOf(ApiException.class);
      return ((ApiException) failure).kind();
    }
  }

  @Test
  @DisplayName("a server that closes at once: login fails with CLOSED")
  void closesAtOnce(Vertx vertx, VertxTestContext ctx) {
    FakeRouter.Behaviour closer = new FakeRouter.Behaviour() {
      @Override
      public void onConnect(FakeRouter.Session session) {
        session.close();
      }

      @Override
      public void onCommand(FakeRouter.Session session, Sentence command) {
      }
    };
    run(vertx, closer, FAST, c -> c.login("admin", "pw"))
        .onComplete(ctx.succeeding(out -> ctx.verify(() -> {
          assertThat(out.kind()).isEqualTo(ApiException.Kind.CLOSED);
          assertThat(out.closed()).isTrue();
          ctx.completeNow();
        })));
  }

  @Test
  @DisplayName("a server that accepts and never answers: the command fails with TIMEOUT and the connection closes")
  void neverAnswers(Vertx vertx, VertxTestContext ctx) {
    run(vertx, RouterBehaviours.silent(), FAST, c -> c.login("admin", "pw"))
        .onComplete(ctx.succeeding(out -> ctx.verify(() -> {
          assertThat(out.kind()).isEqualTo(ApiException.Kind.TIMEOUT);
          assertThat(((ApiException) out.failure()).commandSent()).isTrue();
          assertThat(out.closed()).isTrue();
          ctx.completeNow();
        })));
  }

  @Test
  @DisplayName("a TLS connect to a server that never handshakes fails with CONNECT_TIMEOUT")
  void tlsNeverHandshakes(Vertx vertx, VertxTestContext ctx) {
    RouterOsClient client = RouterOsClient.create(vertx, FAST.withTrustAll(true));
    vertx.createNetServer(new NetServerOptions().setHost("127.0.0.1").setPort(0)).connectHandler(s -> { })
        .listen()
        .compose(server -> client.connect("127.0.0.1", server.actualPort(), true))
        .eventually(client::close)
        .onComplete(ctx.failing(err -> ctx.verify(() -> {
          assertThat(((ApiException) err).kind()).isEqualTo(ApiException.Kind.CONNECT_TIMEOUT);
          ctx.completeNow();
        })));
  }

  @Test
  @DisplayName("a 1 GiB length prefix followed by a flood: PROTOCOL error, nothing buffered for it")
  void oneGibPrefix(Vertx vertx, VertxTestContext ctx) {
    FakeRouter.Behaviour huge = (session, cmd) -> {
      session.write(Buffer.buffer(HexFormat.of().parseHex("f040000000")));
      session.write(Buffer.buffer(new byte[4 * 1024 * 1024]));
    };
    run(vertx, huge, FAST, c -> c.execute(Sentence.of("/system/resource/print")))
        .onComplete(ctx.succeeding(out -> ctx.verify(() -> {
          assertThat(out.kind()).isEqualTo(ApiException.Kind.PROTOCOL);
          assertThat(out.failure().getMessage()).contains("exceeds the limit");
          assertThat(out.closed()).isTrue();
          ctx.completeNow();
        })));
  }

  @Test
  @DisplayName("a reserved control byte: PROTOCOL error and the connection closes")
  void controlByte(Vertx vertx, VertxTestContext ctx) {
    FakeRouter.Behaviour control = (session, cmd) -> session.write(Buffer.buffer(new byte[] {(byte) 0xF8, 0}));
    run(vertx, control, FAST, c -> c.login("admin", "pw"))
        .onComplete(ctx.succeeding(out -> ctx.verify(() -> {
          assertThat(out.kind()).isEqualTo(ApiException.Kind.PROTOCOL);
          assertThat(out.failure().getMessage()).contains("control byte");
          assertThat(out.closed()).isTrue();
          ctx.completeNow();
        })));
  }

  @Test
  @DisplayName("a reply with an unknown tag, or none, is a PROTOCOL error")
  void unknownTag(Vertx vertx, VertxTestContext ctx) {
    FakeRouter.Behaviour wrongTag = (session, cmd) -> session.raw("!done", ".tag=not-yours");
    FakeRouter.Behaviour noTag = (session, cmd) -> session.raw("!done");
    Future.all(
            run(vertx, wrongTag, FAST, c -> c.execute(Sentence.of("/a"))),
            run(vertx, noTag, FAST, c -> c.execute(Sentence.of("/a"))))
        .onComplete(ctx.succeeding(all -> ctx.verify(() -> {
          List<Outcome> outs = all.list();
          assertThat(outs).allSatisfy(o -> assertThat(o.kind()).isEqualTo(ApiException.Kind.PROTOCOL));
          assertThat(outs.get(0).failure().getMessage()).contains("unknown tag");
          assertThat(outs.get(1).failure().getMessage()).contains("without a tag");
          ctx.completeNow();
        })));
  }

  @Test
  @DisplayName("an endless !re stream is cut off by maxReplyRows with a PROTOCOL error")
  void endlessRowsBounded(Vertx vertx, VertxTestContext ctx) {
    run(vertx, endlessRows(), FAST.withMaxReplyRows(1000), c -> c.execute(Sentence.of("/log/print")))
        .onComplete(ctx.succeeding(out -> ctx.verify(() -> {
          assertThat(out.kind()).isEqualTo(ApiException.Kind.PROTOCOL);
          assertThat(out.failure().getMessage()).contains("1000 rows");
          assertThat(out.closed()).isTrue();
          ctx.completeNow();
        })));
  }

  @Test
  @DisplayName("an endless !re stream with default bounds ends in TIMEOUT or the row bound, whichever comes first")
  void endlessRowsTimeout(Vertx vertx, VertxTestContext ctx) {
    run(vertx, endlessRows(), FAST, c -> c.execute(Sentence.of("/log/print")))
        .onComplete(ctx.succeeding(out -> ctx.verify(() -> {
          assertThat(out.kind()).isIn(ApiException.Kind.TIMEOUT, ApiException.Kind.PROTOCOL);
          assertThat(out.closed()).isTrue();
          ctx.completeNow();
        })));
  }

  @Test
  @DisplayName("a server trickling its reply one byte a second: TIMEOUT")
  void trickle(Vertx vertx, VertxTestContext ctx) {
    FakeRouter.Behaviour trickle = (session, cmd) -> {
      Buffer reply = SentenceEncoder.encode(List.of("!done", ".tag=" + cmd.tag()));
      int[] next = {0};
      boolean[] open = {true};
      session.socket().closeHandler(v -> open[0] = false);
      session.vertx().setPeriodic(1000, id -> {
        if (next[0] >= reply.length() || !open[0]) {
          session.vertx().cancelTimer(id);
          return;
        }
        session.write(reply.getBuffer(next[0], next[0] + 1));
        next[0]++;
      });
    };
    run(vertx, trickle, FAST.withCommandTimeoutMs(2500), c -> c.execute(Sentence.of("/system/identity/print")))
        .onComplete(ctx.succeeding(out -> ctx.verify(() -> {
          assertThat(out.kind()).isEqualTo(ApiException.Kind.TIMEOUT);
          assertThat(out.closed()).isTrue();
          ctx.completeNow();
        })));
  }

  @Test
  @DisplayName("a sentence beyond the configured limits is a PROTOCOL error")
  void sentenceOverLimit(Vertx vertx, VertxTestContext ctx) {
    FakeRouter.Behaviour big = (session, cmd) -> session.reply(cmd, "!re", "=data=" + "x".repeat(5000));
    run(vertx, big, FAST.withLimits(new ParserLimits(1024, 4096, 64)), c -> c.execute(Sentence.of("/file/print")))
        .onComplete(ctx.succeeding(out -> ctx.verify(() -> {
          assertThat(out.kind()).isEqualTo(ApiException.Kind.PROTOCOL);
          ctx.completeNow();
        })));
  }

  @Test
  @DisplayName("a flood of !re rows beyond maxReplyBytes: PROTOCOL error naming the bound, the connection closes")
  void rowFloodBeyondByteCap(Vertx vertx, VertxTestContext ctx) {
    run(vertx, endlessRows("x".repeat(1024)), FAST.withMaxReplyBytes(64 * 1024),
        c -> c.execute(Sentence.of("/log/print")))
        .onComplete(ctx.succeeding(out -> ctx.verify(() -> {
          assertThat(out.kind()).isEqualTo(ApiException.Kind.PROTOCOL);
          assertThat(out.failure().getMessage()).contains("reply exceeds 65536 bytes");
          assertThat(((ApiException) out.failure()).commandSent()).isTrue();
          assertThat(out.closed()).isTrue();
          ctx.completeNow();
        })));
  }

  @Test
  @DisplayName("a word larger than maxReplyBytes is refused before it is buffered: PROTOCOL, closed")
  void wordBeyondReplyCap(Vertx vertx, VertxTestContext ctx) {
    FakeRouter.Behaviour big = (session, cmd) -> session.reply(cmd, "!re", "=data=" + "x".repeat(40 * 1024));
    run(vertx, big, FAST.withMaxReplyBytes(32 * 1024), c -> c.execute(Sentence.of("/file/print")))
        .onComplete(ctx.succeeding(out -> ctx.verify(() -> {
          assertThat(out.kind()).isEqualTo(ApiException.Kind.PROTOCOL);
          assertThat(out.failure().getMessage()).contains("word of").contains("exceeds the limit of 32768");
          assertThat(out.closed()).isTrue();
          ctx.completeNow();
        })));
  }

  @Test
  @DisplayName("a sentence that never ends: PROTOCOL error at the reply bound, the connection closes")
  void neverEndingSentence(Vertx vertx, VertxTestContext ctx) {
    FakeRouter.Behaviour endless = (session, cmd) -> {
      session.write(Buffer.buffer()
          .appendBuffer(SentenceEncoder.appendWord(Buffer.buffer(), "!re"))
          .appendBuffer(SentenceEncoder.appendWord(Buffer.buffer(), ".tag=" + cmd.tag())));
      Buffer word = SentenceEncoder.appendWord(Buffer.buffer(), "=data=" + "y".repeat(1000));
      boolean[] open = {true};
      session.socket().closeHandler(v -> open[0] = false);
      session.vertx().setPeriodic(1, id -> {
        if (!open[0]) {
          session.vertx().cancelTimer(id);
        } else if (!session.socket().writeQueueFull()) {
          session.write(word);
        }
      });
    };
    run(vertx, endless, FAST.withMaxReplyBytes(64 * 1024), c -> c.execute(Sentence.of("/log/print")))
        .onComplete(ctx.succeeding(out -> ctx.verify(() -> {
          assertThat(out.kind()).isEqualTo(ApiException.Kind.PROTOCOL);
          assertThat(out.failure().getMessage()).contains("sentence exceeds the limit of 65536 bytes");
          assertThat(out.closed()).isTrue();
          ctx.completeNow();
        })));
  }

  /** CR/LF (a forged log line) and ANSI escapes (terminal colours), then far more than 200 characters. */
  private static final String HOSTILE = "\u001b[31mdenied\r\n2025-01-01 ERROR forged line\u001b[0m" + "!".repeat(500);

  @Test
  @DisplayName("a trap message with CR/LF and ANSI escapes comes out printable and at most 200 characters")
  void hostileTrapMessage(Vertx vertx, VertxTestContext ctx) {
    FakeRouter.Behaviour trap = (session, cmd) -> session.reply(cmd, "!trap", "=category=1", "=message=" + HOSTILE)
        .reply(cmd, "!done");
    run(vertx, trap, FAST, c -> c.execute(Sentence.of("/user/set")).compose(reply -> Future.failedFuture(
            new IllegalStateException(reply.traps().get(0).message()))))
        .onComplete(ctx.succeeding(out -> ctx.verify(() -> {
          String message = out.failure().getMessage();
          assertPrintable(message);
          assertThat(message).startsWith("?[31mdenied??2025-01-01 ERROR forged line?[0m!!!").endsWith("\u2026");
          assertThat(message.codePointCount(0, message.length())).isEqualTo(RouterText.MAX_CHARS);
          ctx.completeNow();
        })));
  }

  @Test
  @DisplayName("hostile text in a login refusal, a !fatal or an unknown reply word reaches the error printable")
  void hostileTextInErrors(Vertx vertx, VertxTestContext ctx) {
    FakeRouter.Behaviour refuse = (session, cmd) -> session.reply(cmd, "!trap", "=message=" + HOSTILE)
        .reply(cmd, "!done");
    FakeRouter.Behaviour fatal = (session, cmd) -> session.raw("!fatal", HOSTILE);
    FakeRouter.Behaviour word = (session, cmd) -> session.reply(cmd, "!" + HOSTILE);
    Future.all(
            run(vertx, refuse, FAST, c -> c.login("admin", "pw")),
            run(vertx, fatal, FAST, c -> c.execute(Sentence.of("/a"))),
            run(vertx, word, FAST, c -> c.execute(Sentence.of("/a"))))
        .onComplete(ctx.succeeding(all -> ctx.verify(() -> {
          List<Outcome> outs = all.list();
          assertThat(outs).extracting(Outcome::kind).containsExactly(ApiException.Kind.LOGIN_FAILED,
              ApiException.Kind.FATAL, ApiException.Kind.PROTOCOL);
          outs.forEach(o -> assertPrintable(o.failure().getMessage()));
          ctx.completeNow();
        })));
  }

  private static void assertPrintable(String text) {
    assertThat(text).doesNotContain("\r").doesNotContain("\n").doesNotContain("\u001b");
    assertThat(text.length()).isLessThan(300);
  }

  /** Answers any command with !re rows forever, in batches, until the client hangs up. */
  private static FakeRouter.Behaviour endlessRows() {
    return endlessRows("");
  }

  /** Answers any command with !re rows (each carrying {@code padding}) forever, until the client hangs up. */
  private static FakeRouter.Behaviour endlessRows(String padding) {
    return (session, cmd) -> {
      Buffer batch = Buffer.buffer();
      for (int i = 0; i < 200; i++) {
        batch.appendBuffer(SentenceEncoder.encode(List.of("!re", ".tag=" + cmd.tag(), "=message=row " + i + padding)));
      }
      boolean[] open = {true};
      session.socket().closeHandler(v -> open[0] = false);
      session.vertx().setPeriodic(1, id -> {
        if (!open[0]) {
          session.vertx().cancelTimer(id);
        } else if (!session.socket().writeQueueFull()) {
          session.write(batch);
        }
      });
    };
  }
}
