package controlplane.device.client.impl;

import controlplane.device.client.ApiConnection;
import controlplane.device.client.ApiException;
import controlplane.device.client.ApiException.Kind;
import controlplane.device.client.ClientOptions;
import controlplane.device.client.LegacyLogin;
import controlplane.device.client.Reply;
import controlplane.device.client.RouterText;
import controlplane.device.client.Trap;
import controlplane.device.protocol.ProtocolConstants;
import controlplane.device.protocol.ProtocolException;
import controlplane.device.protocol.Sentence;
import controlplane.device.protocol.SentenceEncoder;
import controlplane.device.protocol.SentenceParser;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.net.NetSocket;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One API session over a {@link NetSocket}. All state is touched only on {@code ctx}, the socket's context;
 * public methods hop onto it.
 */
final class ApiConnectionImpl implements ApiConnection {

  private static final Logger LOG = LoggerFactory.getLogger(ApiConnectionImpl.class);

  private final String id;
  private final Context ctx;
  private final Vertx vertx;
  private final NetSocket socket;
  private final ClientOptions options;
  private final String certificateFingerprint;
  private final Map<String, PendingCommand> pending = new LinkedHashMap<>();
  private final Promise<Void> socketClosed = Promise.promise();
  private long lastTag;
  private volatile boolean closed;

  /** {@code certificateFingerprint}: of the certificate the router presented, null on a plain connection. */
  ApiConnectionImpl(String id, Context ctx, NetSocket socket, ClientOptions options, String certificateFingerprint) {
    this.id = id;
    this.ctx = ctx;
    this.vertx = ctx.owner();
    this.socket = socket;
    this.options = options;
    this.certificateFingerprint = certificateFingerprint;
    SentenceParser parser = new SentenceParser(options.readLimits(), this::onSentence)
        .errorHandler(this::onProtocolError);
    socket.handler(parser);
    socket.closeHandler(v -> onSocketClosed());
    socket.exceptionHandler(t -> LOG.debug("{} socket error: {}", id, t.toString()));
  }

  @Override
  public Future<Void> login(String user, String password) {
    return execute(Sentence.of("/login", "=name=" + user, "=password=" + password)).compose(reply -> {
      if (!reply.ok()) {
        return loginFailed(reply);
      }
      String challenge = reply.done().get("ret");
      if (challenge == null) {
        return Future.succeededFuture();
      }
      String response;
      try {
        response = LegacyLogin.response(password, challenge);
      } catch (IllegalArgumentException e) {
        return Future.failedFuture(protocolFailure("login challenge is not hexadecimal"));
      }
      return execute(Sentence.of("/login", "=name=" + user, "=response=" + response))
          .compose(second -> second.ok() ? Future.<Void>succeededFuture() : loginFailed(second));
    });
  }

  private static Future<Void> loginFailed(Reply reply) {
    return Future.failedFuture(new ApiException(Kind.LOGIN_FAILED, "login refused: " + reply.traps().get(0).message()));
  }

  @Override
  public Future<Reply> execute(String command, Map<String, String> attributes, List<String> queries) {
    List<String> words = new ArrayList<>();
    words.add(command);
    if (attributes != null) {
      attributes.forEach((k, v) -> words.add("=" + k + "=" + (v == null ? "" : v)));
    }
    if (queries != null) {
      for (String q : queries) {
        words.add(q.startsWith("?") ? q : "?" + q);
      }
    }
    return execute(Sentence.of(words));
  }

  @Override
  public Future<Reply> execute(Sentence command) {
    return onContext(() -> send(command));
  }

  private Future<Reply> send(Sentence command) {
    if (closed) {
      return Future.failedFuture(new ApiException(Kind.CLOSED, "connection " + id + " is closed"));
    }
    if (pending.size() >= options.maxPendingCommands()) {
      return Future.failedFuture(new ApiException(Kind.TOO_MANY_PENDING,
          pending.size() + " commands already pending on " + id));
    }
    String tag = Long.toString(++lastTag);
    List<String> words = new ArrayList<>(command.words().size() + 1);
    for (String w : command.words()) {
      if (!w.startsWith(ProtocolConstants.TAG + "=")) {
        words.add(w);
      }
    }
    words.add(ProtocolConstants.TAG + "=" + tag);
    Sentence tagged = Sentence.of(words);
    PendingCommand cmd = new PendingCommand(tag, tagged);
    pending.put(tag, cmd);
    cmd.timerId = vertx.setTimer(options.commandTimeoutMs(), t -> onTimeout(cmd));
    LOG.debug("{} -> {}", id, tagged);
    socket.write(SentenceEncoder.encode(tagged));
    return cmd.promise.future();
  }

  @Override
  public Future<Void> quit() {
    return onContext(() -> {
      if (closed) {
        return socketClosed.future();
      }
      return send(Sentence.of("/quit")).transform(ar -> {
        if (ar.succeeded()) {
          return closeWith(() -> new ApiException(Kind.CLOSED, "connection " + id + " quit", true, null));
        }
        if (ar.cause() instanceof ApiException e && (e.kind() == Kind.FATAL || e.kind() == Kind.CLOSED)) {
          return socketClosed.future();
        }
        return Future.failedFuture(ar.cause());
      });
    });
  }

  @Override
  public Future<Void> close() {
    return onContext(() -> closeWith(
        () -> new ApiException(Kind.CLOSED, "connection " + id + " closed by the client", true, null)));
  }

  @Override
  public boolean isClosed() {
    return closed;
  }

  @Override
  public String certificateFingerprint() {
    return certificateFingerprint;
  }

  private void onSentence(Sentence s) {
    if (closed) {
      return;
    }
    if (LOG.isDebugEnabled()) {
      LOG.debug("{} <- {}", id, RouterText.printable(s.toString()));
    }
    String head = s.head();
    if (ProtocolConstants.REPLY_FATAL.equals(head)) {
      String reason = RouterText.printable(s.words().size() > 1 ? s.words().get(1) : "");
      LOG.debug("{} router ended the session: {}", id, reason);
      closeWith(() -> new ApiException(Kind.FATAL, "router ended the session: " + reason, true, null));
      return;
    }
    String tag = s.tag();
    PendingCommand cmd = tag == null ? null : pending.get(tag);
    if (cmd == null) {
      closeWithProtocolError(tag == null ? "reply without a tag: " + RouterText.printable(head)
          : "reply with an unknown tag: " + RouterText.printable(tag));
      return;
    }
    if (overByteLimit(cmd, s)) {
      return;
    }
    switch (head) {
      case ProtocolConstants.REPLY_RE -> {
        if (overRowLimit(cmd)) {
          return;
        }
        cmd.rows.add(s.attributes());
      }
      case ProtocolConstants.REPLY_TRAP -> {
        if (overRowLimit(cmd)) {
          return;
        }
        cmd.traps.add(trap(s));
      }
      case ProtocolConstants.REPLY_EMPTY -> cmd.empty = true;
      case ProtocolConstants.REPLY_DONE -> {
        pending.remove(tag);
        vertx.cancelTimer(cmd.timerId);
        cmd.promise.tryComplete(cmd.reply(s.attributes()));
      }
      default -> closeWithProtocolError("unexpected reply word " + RouterText.printable(head));
    }
  }

  /** Rows and traps together are bounded, so a router streaming either forever cannot exhaust memory. */
  private boolean overRowLimit(PendingCommand cmd) {
    if (cmd.rows.size() + cmd.traps.size() < options.maxReplyRows()) {
      return false;
    }
    closeWithProtocolError("reply exceeds " + options.maxReplyRows() + " rows");
    return true;
  }

  /**
   * The bytes of one reply are bounded besides its rows, so a router sending large rows (or a never-ending reply)
   * costs at most {@code maxReplyBytes} per command, not the service's memory.
   */
  private boolean overByteLimit(PendingCommand cmd, Sentence s) {
    cmd.bytes += wordBytes(s);
    if (cmd.bytes <= options.maxReplyBytes()) {
      return false;
    }
    closeWithProtocolError("reply exceeds " + options.maxReplyBytes() + " bytes");
    return true;
  }

  /** The UTF-8 length of the sentence's words, as they arrived. */
  private static long wordBytes(Sentence s) {
    long bytes = 0;
    for (String w : s.words()) {
      for (int i = 0; i < w.length(); i++) {
        char c = w.charAt(i);
        if (c < 0x80) {
          bytes += 1;
        } else if (c < 0x800) {
          bytes += 2;
        } else if (Character.isHighSurrogate(c) && i + 1 < w.length() && Character.isLowSurrogate(w.charAt(i + 1))) {
          bytes += 4;
          i++;
        } else {
          bytes += 3;
        }
      }
    }
    return bytes;
  }

  /** The router's message is made printable and short here, once, before any log, reply or audit sees it. */
  private static Trap trap(Sentence s) {
    String category = s.attribute("category");
    Integer parsed = null;
    if (category != null) {
      try {
        parsed = Integer.valueOf(category.trim());
      } catch (NumberFormatException e) {
        parsed = null;
      }
    }
    return new Trap(parsed, RouterText.printable(s.attribute("message")));
  }

  private void onTimeout(PendingCommand cmd) {
    if (pending.remove(cmd.tag) == null) {
      return;
    }
    LOG.debug("{} command timed out: {}", id, cmd.description);
    // A late reply could not be told apart from garbage: give the connection up.
    closeWith(() -> new ApiException(Kind.CLOSED, "connection " + id + " closed after a command timed out", true,
        null));
    cmd.promise.tryFail(new ApiException(Kind.TIMEOUT,
        "no reply within " + options.commandTimeoutMs() + " ms", true, null));
  }

  private void onProtocolError(ProtocolException e) {
    closeWithProtocolError(e.getMessage());
  }

  private void closeWithProtocolError(String message) {
    LOG.warn("{} protocol error, closing: {}", id, message);
    closeWith(() -> protocolFailure(message));
  }

  private static ApiException protocolFailure(String message) {
    return new ApiException(Kind.PROTOCOL, "protocol error: " + message, true, null);
  }

  private void onSocketClosed() {
    if (!closed) {
      LOG.debug("{} closed by the router", id);
    }
    closed = true;
    failAll(() -> new ApiException(Kind.CLOSED, "connection " + id + " closed by the router", true, null));
    socketClosed.tryComplete();
  }

  /**
   * Fails every pending command with {@code cause} (all were written, so it says so) and closes the socket. The
   * exception is only made when a command is pending: a normal close has none.
   */
  private Future<Void> closeWith(Supplier<ApiException> cause) {
    if (!closed) {
      closed = true;
      failAll(cause);
      socket.close();
    }
    return socketClosed.future();
  }

  private void failAll(Supplier<ApiException> cause) {
    if (pending.isEmpty()) {
      return;
    }
    ApiException failure = cause.get();
    List<PendingCommand> all = new ArrayList<>(pending.values());
    pending.clear();
    for (PendingCommand cmd : all) {
      vertx.cancelTimer(cmd.timerId);
      cmd.promise.tryFail(failure);
    }
  }

  private <T> Future<T> onContext(Supplier<Future<T>> action) {
    if (Vertx.currentContext() == ctx) {
      return action.get();
    }
    Promise<T> promise = Promise.promise();
    ctx.runOnContext(v -> action.get().onComplete(promise));
    return promise.future();
  }
}
