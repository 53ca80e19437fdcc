package controlplane.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * http.idleTimeoutSeconds and http.maxConnections, seen from raw client sockets, on the API listener and on the
 * health-only listener of a process without the api role.
 */
class ConnectionLimitsTest extends HttpTestBase {

  private static final int READ_BOUND_MS = 20_000;

  /** The API listener, or (healthOnly) the listener of a process without the api role, with {@code limits}. */
  private int deployWith(boolean healthOnly, long requestTimeoutMs, HttpLimits limits) {
    HttpConfig config = new HttpConfig("127.0.0.1", 0, 1024, requestTimeoutMs, SECRET, List.of(), null, null, null, 5)
      .withLimits(limits);
    if (!healthOnly) {
      return await(deployVerticle(config));
    }
    HealthVerticle health = new HealthVerticle(config, registry, () -> Future.succeededFuture(new JsonObject()));
    return await(vertx.deployVerticle(health).map(id -> health.actualPort()));
  }

  private static Socket connect(int apiPort) throws IOException {
    Socket socket = new Socket();
    socket.connect(new InetSocketAddress("127.0.0.1", apiPort), 5_000);
    socket.setSoTimeout(READ_BOUND_MS);
    return socket;
  }

  /** One keep-alive GET /health/live on {@code socket}: the status line of its answer, or null when closed. */
  private static String liveness(Socket socket) throws IOException {
    socket.getOutputStream().write("GET /health/live HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n"
      .getBytes(StandardCharsets.US_ASCII));
    InputStream in = socket.getInputStream();
    ByteArrayOutputStream head = new ByteArrayOutputStream();
    while (!head.toString(StandardCharsets.US_ASCII).endsWith("\r\n\r\n")) {
      int b = in.read();
      if (b < 0) {
        return null;
      }
      head.write(b);
    }
    String text = head.toString(StandardCharsets.US_ASCII);
    int length = 0;
    for (String line : text.split("\r\n")) {
      if (line.toLowerCase(Locale.ROOT).startsWith("content-length:")) {
        length = Integer.parseInt(line.substring(15).trim());
      }
    }
    in.readNBytes(length);
    return text.substring(0, text.indexOf("\r\n"));
  }

  /** Whether the server closes {@code socket} (end of stream or reset) rather than sending a byte. */
  private static boolean closedByServer(Socket socket) throws IOException {
    try {
      return socket.getInputStream().read() < 0;
    } catch (SocketTimeoutException stillOpen) {
      return false;
    } catch (SocketException reset) {
      return true;
    }
  }

  @ParameterizedTest(name = "health-only listener: {0}")
  @ValueSource(booleans = {false, true})
  @DisplayName("http.idleTimeoutSeconds: a connection that sends nothing, and one idle after its answer, are closed "
    + "by the server (the API listener and the health-only one alike)")
  void idleConnectionsClosed(boolean healthOnly) throws IOException {
    int api = deployWith(healthOnly, 500, new HttpLimits(1, 1000));

    try (Socket silent = connect(api); Socket served = connect(api)) {
      assertThat(liveness(served)).isEqualTo("HTTP/1.1 200 OK");

      assertThat(closedByServer(silent)).isTrue();
      assertThat(closedByServer(served)).isTrue();
    }
  }

  @ParameterizedTest(name = "health-only listener: {0}")
  @ValueSource(booleans = {false, true})
  @DisplayName("http.maxConnections N: connection N+1 is closed at once, without an answer; once one of the N "
    + "closes, a new connection is served (the API listener and the health-only one alike)")
  void maxConnections(boolean healthOnly) throws Exception {
    int api = deployWith(healthOnly, 2_000, new HttpLimits(60, 3));
    List<Socket> admitted = new ArrayList<>();
    try {
      for (int i = 0; i < 3; i++) {
        admitted.add(connect(api));
        assertThat(liveness(admitted.get(i))).isEqualTo("HTTP/1.1 200 OK");
      }

      try (Socket extra = connect(api)) {
        String answer;
        try {
          answer = liveness(extra);
        } catch (SocketException reset) {
          answer = null;
        }
        assertThat(answer).as("answer to connection 4 of 3").isNull();
      }
      for (Socket socket : admitted) {
        assertThat(liveness(socket)).isEqualTo("HTTP/1.1 200 OK");
      }

      admitted.remove(0).close();
      long deadline = System.nanoTime() + 20_000_000_000L;
      String answer = null;
      while (answer == null && System.nanoTime() < deadline) {
        try (Socket next = connect(api)) {
          answer = liveness(next);
        } catch (SocketException reset) {
          Thread.sleep(100);
        }
      }
      assertThat(answer).isEqualTo("HTTP/1.1 200 OK");
    } finally {
      for (Socket socket : admitted) {
        socket.close();
      }
    }
  }
}
