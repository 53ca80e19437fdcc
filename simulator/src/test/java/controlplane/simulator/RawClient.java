package controlplane.simulator;

import controlplane.device.protocol.ParserLimits;
import controlplane.device.protocol.Sentence;
import controlplane.device.protocol.SentenceEncoder;
import controlplane.device.protocol.SentenceParser;
import io.vertx.core.buffer.Buffer;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** A blocking test client speaking raw sentences through the device codec, to check replies word by word. */
final class RawClient implements AutoCloseable {

  private final Socket socket;
  private final InputStream in;
  private final OutputStream out;
  private final ArrayDeque<Sentence> received = new ArrayDeque<>();
  private final SentenceParser parser = new SentenceParser(ParserLimits.DEFAULT, received::add);

  private RawClient(Socket socket) throws IOException {
    this.socket = socket;
    this.in = socket.getInputStream();
    this.out = socket.getOutputStream();
  }

  static RawClient connect(String host, int port) throws IOException {
    Socket s = new Socket();
    s.connect(new InetSocketAddress(host, port), 5000);
    s.setSoTimeout(10_000); // a safety net against a hung test, not an assertion
    return new RawClient(s);
  }

  static RawClient connect(SimulatedRouter r) throws IOException {
    return connect(r.address(), r.port());
  }

  RawClient send(String... words) throws IOException {
    return sendRaw(SentenceEncoder.encode(Arrays.asList(words)).getBytes());
  }

  RawClient sendRaw(byte[] bytes) throws IOException {
    out.write(bytes);
    out.flush();
    return this;
  }

  Sentence read() throws IOException {
    byte[] buf = new byte[4096];
    while (received.isEmpty()) {
      int n = in.read(buf);
      if (n < 0) {
        throw new EOFException("closed by the router");
      }
      parser.handle(Buffer.buffer(Arrays.copyOf(buf, n)));
    }
    return received.poll();
  }

  /** Every sentence up to and including the next {@code !done} (or a {@code !fatal}). */
  List<Sentence> readReply() throws IOException {
    List<Sentence> out = new ArrayList<>();
    while (true) {
      Sentence s = read();
      out.add(s);
      if (s.head().equals("!done") || s.head().equals("!fatal")) {
        return out;
      }
    }
  }

  /** Sends a command and returns its reply. */
  List<Sentence> call(String... words) throws IOException {
    send(words);
    return readReply();
  }

  /** True when the router closed the connection (end of stream, or reset) with nothing more to read. */
  boolean closedByRouter() throws IOException {
    try {
      return received.isEmpty() && in.read() < 0;
    } catch (SocketTimeoutException e) {
      return false;
    } catch (IOException e) {
      return true; // connection reset
    }
  }

  /** True when nothing arrives within {@code millis}; the connection stays usable either way. */
  boolean silentFor(int millis) throws IOException {
    if (!received.isEmpty()) {
      return false;
    }
    socket.setSoTimeout(millis);
    try {
      read();
      return false;
    } catch (SocketTimeoutException e) {
      return true;
    } finally {
      socket.setSoTimeout(10_000);
    }
  }

  RawClient login(String user, String password) throws IOException {
    List<Sentence> reply = call("/login", "=name=" + user, "=password=" + password);
    if (!reply.equals(List.of(Sentence.of("!done")))) {
      throw new IllegalStateException("login failed: " + reply);
    }
    return this;
  }

  @Override
  public void close() throws IOException {
    socket.close();
  }
}
