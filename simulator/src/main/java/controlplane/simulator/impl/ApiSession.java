package controlplane.simulator.impl;

import controlplane.device.protocol.ParserLimits;
import controlplane.device.protocol.Sentence;
import controlplane.device.protocol.SentenceParser;
import controlplane.simulator.ActiveSession;
import controlplane.simulator.Faults;
import io.vertx.core.net.NetSocket;
import io.vertx.core.net.SocketAddress;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One API connection to a simulated router: a fresh parser, the login state, and the reply path with the delay
 * fault. Runs on the event loop of the server that accepted it; only {@link #close()} may be called elsewhere.
 */
final class ApiSession {

  private static final Logger LOG = LoggerFactory.getLogger(ApiSession.class);
  /** What a router accepts from a client: ample for any command, bounded against hostile input. */
  static final ParserLimits LIMITS = new ParserLimits(64 * 1024, 256 * 1024, 1024);
  private static final AtomicLong IDS = new AtomicLong();

  /** A reply waiting for its delay to pass. */
  private static final class Delayed {
    final long dueMillis;
    Reply reply;

    Delayed(long dueMillis, Reply reply) {
      this.dueMillis = dueMillis;
      this.reply = reply;
    }
  }

  private final long id = IDS.incrementAndGet();
  private final RouterImpl router;
  private final NetSocket socket;
  private final String remoteAddress;
  private final Commands commands;
  private ArrayDeque<Delayed> delayed;
  private long lastDueMillis;
  private boolean timerArmed;
  private volatile boolean closed;

  // login state
  private UserEntry user;
  private ActiveSession session;
  private byte[] challenge;

  ApiSession(RouterImpl router, NetSocket socket) {
    this.router = router;
    this.socket = socket;
    SocketAddress remote = socket.remoteAddress();
    this.remoteAddress = remote == null || remote.hostAddress() == null ? "" : remote.hostAddress();
    this.commands = new Commands(router, this);
  }

  void start() {
    SentenceParser parser = new SentenceParser(LIMITS, this::onSentence);
    parser.errorHandler(e -> {
      // A framing error ends this connection only; the router and its other connections carry on.
      LOG.info("conn-{} to {}: protocol error, closing: {}", id, router.name(), e.getMessage());
      close();
    });
    socket.handler(parser);
    socket.exceptionHandler(e -> LOG.debug("conn-{} to {}: {}", id, router.name(), e.toString()));
    socket.closeHandler(v -> onClosed());
    LOG.debug("conn-{} to {} from {}", id, router.name(), remoteAddress);
  }

  private void onSentence(Sentence sentence) {
    if (closed) {
      return;
    }
    Faults faults = router.faults();
    if (faults.neverAnswer()) {
      return;
    }
    Faults.CloseAfterCommand cut = faults.closeAfterCommand();
    boolean cutHere = cut != null && cut.command().equals(sentence.head());
    if (cutHere && cut.phase() == Faults.Phase.BEFORE_APPLY) {
      LOG.info("conn-{} to {}: fault closes before {}", id, router.name(), sentence.head());
      close();
      return;
    }
    router.countCommand(sentence.head());
    Reply reply = commands.execute(sentence);
    if (cutHere) {
      LOG.info("conn-{} to {}: fault closes after applying {}", id, router.name(), sentence.head());
      close();
      return;
    }
    send(reply);
  }

  // ---- replies and the delay fault

  private void send(Reply reply) {
    long delay = router.faults().delayMs();
    if (delay <= 0 && (delayed == null || delayed.isEmpty())) {
      write(reply);
      return;
    }
    // Replies keep their order even when the delay changes between commands.
    long due = Math.max(nowMillis() + delay, lastDueMillis);
    lastDueMillis = due;
    if (delayed == null) {
      delayed = new ArrayDeque<>();
    }
    delayed.add(new Delayed(due, reply));
    armTimer();
  }

  private void armTimer() {
    if (timerArmed || delayed.isEmpty() || closed) {
      return;
    }
    timerArmed = true;
    long wait = Math.max(1, delayed.peek().dueMillis - nowMillis());
    router.vertx().setTimer(wait, t -> {
      timerArmed = false;
      while (!delayed.isEmpty() && delayed.peek().dueMillis <= nowMillis() && !closed) {
        write(delayed.poll().reply);
      }
      armTimer();
    });
  }

  /**
   * Cancels replies still held back by the delay fault: those of the command tagged {@code tag}, or all when tag is
   * null. A cancelled command answers {@code !trap =category=2 =message=interrupted} then {@code !done}.
   */
  void cancelDelayed(String tag) {
    if (delayed == null) {
      return;
    }
    for (Delayed d : delayed) {
      if (tag == null || tag.equals(d.reply.tag())) {
        d.reply = new Reply(d.reply.tag()).fail(2, "interrupted");
      }
    }
  }

  private void write(Reply reply) {
    if (closed) {
      return;
    }
    socket.write(reply.bytes());
    if (reply.closeAfter()) {
      close();
    }
  }

  private static long nowMillis() {
    return System.nanoTime() / 1_000_000;
  }

  // ---- login state, used by Commands

  String remoteAddress() {
    return remoteAddress;
  }

  UserEntry user() {
    return user;
  }

  boolean loggedIn() {
    return user != null;
  }

  /** The {@code /user/active} id of this connection's session, or null before login. */
  String sessionId() {
    return session == null ? null : session.id();
  }

  byte[] challenge() {
    return challenge;
  }

  void challenge(byte[] value) {
    challenge = value;
  }

  /** Marks the connection logged in as {@code u} and lists it in {@code /user/active}. */
  void loggedIn(UserEntry u) {
    RouterState state = router.state();
    if (session != null) {
      state.closeSession(session.id());
    }
    Instant now = Instant.now();
    user = u;
    challenge = null;
    session = state.openSession(u.name(), remoteAddress, u.group(), now, this::close);
    state.touchLogin(u.id(), now);
    LOG.debug("conn-{} to {}: logged in as {}", id, router.name(), u.name());
  }

  // ---- closing

  /** Closes the connection; safe from any thread and more than once. */
  void close() {
    if (!closed) {
      closed = true;
      socket.close();
    }
  }

  private void onClosed() {
    closed = true;
    if (session != null) {
      router.state().closeSession(session.id());
    }
    LOG.debug("conn-{} to {} closed", id, router.name());
  }
}
