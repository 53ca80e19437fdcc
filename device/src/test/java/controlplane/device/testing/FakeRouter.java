package controlplane.device.testing;

import controlplane.device.protocol.ParserLimits;
import controlplane.device.protocol.Sentence;
import controlplane.device.protocol.SentenceEncoder;
import controlplane.device.protocol.SentenceParser;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.net.KeyCertOptions;
import io.vertx.core.net.NetServer;
import io.vertx.core.net.NetServerOptions;
import io.vertx.core.net.NetSocket;
import io.vertx.core.net.PemKeyCertOptions;
import io.vertx.core.net.ServerSSLOptions;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A tiny RouterOS-speaking server for tests, written with the codec: each accepted connection gets a fresh
 * parser, and every command is handed to a {@link Behaviour} that answers (or misbehaves) through a
 * {@link Session}.
 */
public final class FakeRouter {

  /** Decides what the server does with each command and each new connection. */
  public interface Behaviour {
    default void onConnect(Session session) {
    }

    void onCommand(Session session, Sentence command);
  }

  /** One accepted connection. */
  public static final class Session {
    private final NetSocket socket;
    private final Vertx vertx;

    Session(NetSocket socket, Vertx vertx) {
      this.socket = socket;
      this.vertx = vertx;
    }

    public Vertx vertx() {
      return vertx;
    }

    public NetSocket socket() {
      return socket;
    }

    /** Sends a reply to {@code command}: {@code words[0]}, then the command's tag if any, then the rest. */
    public Session reply(Sentence command, String... words) {
      List<String> out = new ArrayList<>();
      out.add(words[0]);
      if (command != null && command.tag() != null) {
        out.add(".tag=" + command.tag());
      }
      for (int i = 1; i < words.length; i++) {
        out.add(words[i]);
      }
      socket.write(SentenceEncoder.encode(out));
      return this;
    }

    /** Sends a sentence exactly as given. */
    public Session raw(String... words) {
      socket.write(SentenceEncoder.encode(List.of(words)));
      return this;
    }

    public Session write(Buffer bytes) {
      socket.write(bytes);
      return this;
    }

    public void close() {
      socket.close();
    }
  }

  private final NetServer server;
  private final List<Sentence> received = new CopyOnWriteArrayList<>();
  private final AtomicInteger connections = new AtomicInteger();

  private FakeRouter(NetServer server) {
    this.server = server;
  }

  /** Starts a plain server on a free loopback port. */
  public static Future<FakeRouter> start(Vertx vertx, Behaviour behaviour) {
    return start(vertx, behaviour, new NetServerOptions());
  }

  /** Starts a TLS server with the test certificate under {@code tls/} (it names 127.0.0.1 and localhost). */
  public static Future<FakeRouter> startTls(Vertx vertx, Behaviour behaviour) {
    return startTls(vertx, behaviour,
        new PemKeyCertOptions().setCertPath("tls/router-cert.pem").setKeyPath("tls/router-key.pem"));
  }

  /** Starts a TLS server presenting {@code certificate}. */
  public static Future<FakeRouter> startTls(Vertx vertx, Behaviour behaviour, KeyCertOptions certificate) {
    return start(vertx, behaviour, new NetServerOptions().setSsl(true).setKeyCertOptions(certificate));
  }

  private static Future<FakeRouter> start(Vertx vertx, Behaviour behaviour, NetServerOptions options) {
    NetServer server = vertx.createNetServer(options.setHost("127.0.0.1").setPort(0));
    FakeRouter router = new FakeRouter(server);
    server.connectHandler(socket -> {
      router.connections.incrementAndGet();
      Session session = new Session(socket, vertx);
      SentenceParser parser = new SentenceParser(ParserLimits.DEFAULT, s -> {
        router.received.add(s);
        behaviour.onCommand(session, s);
      }).errorHandler(e -> socket.close());
      socket.handler(parser);
      behaviour.onConnect(session);
    });
    return server.listen().map(router);
  }

  public int port() {
    return server.actualPort();
  }

  /** From now on a TLS server presents {@code certificate} to new connections. */
  public Future<FakeRouter> presentCertificate(KeyCertOptions certificate) {
    return server.updateSSLOptions(new ServerSSLOptions().setKeyCertOptions(certificate), true).map(this);
  }

  /** Every command received, over all connections, in order of arrival. */
  public List<Sentence> received() {
    return received;
  }

  public int connections() {
    return connections.get();
  }

  public Future<Void> close() {
    return server.close();
  }
}
