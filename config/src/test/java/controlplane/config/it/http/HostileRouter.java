package controlplane.config.it.http;

import controlplane.device.protocol.ParserLimits;
import controlplane.device.protocol.Sentence;
import controlplane.device.protocol.SentenceEncoder;
import controlplane.device.protocol.SentenceParser;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.net.NetServer;
import io.vertx.core.net.NetServerOptions;
import io.vertx.core.net.NetSocket;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A RouterOS API server on a real loopback socket that misbehaves on purpose, written with the device's codec:
 * {@link #trapping} takes any login and answers the password change with a trap whose message is {@link #MESSAGE}
 * (CR, LF, control and bidi characters, over 1,000 characters); {@link #flooding} answers the login with {@code !re}
 * rows of {@code rowBytes} each, without end, until the client hangs up.
 */
final class HostileRouter {

  /** A trap message no log line, error body or audit row should carry as it is. */
  static final String MESSAGE = "bad\r\nX-Injected: yes\r\n\u001b[31mred\u0000\u0007\u202Eevil\u2028"
      + "A".repeat(1_200) + "THE-END";

  private final NetServer server;

  private HostileRouter(NetServer server) {
    this.server = server;
  }

  static Future<HostileRouter> trapping(Vertx vertx) {
    return start(vertx, (connection, command) -> {
      if ("/user/set".equals(command.head()) || "/password".equals(command.head())) {
        reply(connection.socket(), command, "!trap", "=message=" + MESSAGE);
      }
      reply(connection.socket(), command, "!done");
    });
  }

  static Future<HostileRouter> flooding(Vertx vertx, int rowBytes) {
    String word = "=data=" + "x".repeat(rowBytes);
    return start(vertx, (connection, command) -> flood(vertx, connection, command, word));
  }

  /**
   * Rows in batches, each batch once the socket's write queue has room, so the flood costs the test no memory; until
   * the client closes the connection.
   */
  private static void flood(Vertx vertx, Connection connection, Sentence command, String word) {
    if (connection.closed.get()) {
      return;
    }
    for (int i = 0; i < 16; i++) {
      reply(connection.socket, command, "!re", word);
    }
    if (connection.socket.writeQueueFull()) {
      connection.socket.drainHandler(v -> flood(vertx, connection, command, word));
    } else {
      vertx.runOnContext(v -> flood(vertx, connection, command, word));
    }
  }

  private record Connection(NetSocket socket, AtomicBoolean closed) {
  }

  private interface Behaviour {
    void onCommand(Connection connection, Sentence command);
  }

  private static Future<HostileRouter> start(Vertx vertx, Behaviour behaviour) {
    NetServer server = vertx.createNetServer(new NetServerOptions().setHost("127.0.0.1").setPort(0));
    server.connectHandler(socket -> {
      Connection connection = new Connection(socket, new AtomicBoolean());
      socket.closeHandler(v -> connection.closed.set(true));
      socket.handler(new SentenceParser(ParserLimits.DEFAULT, s -> behaviour.onCommand(connection, s))
          .errorHandler(e -> socket.close()));
    });
    return server.listen().map(s -> new HostileRouter(server));
  }

  private static void reply(NetSocket socket, Sentence command, String head, String... words) {
    List<String> out = new ArrayList<>();
    out.add(head);
    if (command.tag() != null) {
      out.add(".tag=" + command.tag());
    }
    out.addAll(List.of(words));
    socket.write(SentenceEncoder.encode(out));
  }

  int port() {
    return server.actualPort();
  }

  Future<Void> close() {
    return server.close();
  }
}
