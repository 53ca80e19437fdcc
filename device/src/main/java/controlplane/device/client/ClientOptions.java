package controlplane.device.client;

import controlplane.device.protocol.ParserLimits;
import java.util.Objects;

/**
 * Settings of a {@link RouterOsClient}.
 *
 * @param connectTimeoutMs time allowed for TCP connect plus TLS handshake
 * @param commandTimeoutMs time allowed for one command, from writing it to its {@code !done}
 * @param limits bounds on every sentence read from a router
 * @param trustAll API-SSL: accept any certificate, pinned or not (lab only)
 * @param trustPem API-SSL: PEM text of the CA certificates a router's certificate must chain to, with the router's
 *     host name or IP address among its names; null: routers are trusted by their pinned certificate alone.
 *     Ignored when {@code trustAll}
 * @param maxPendingCommands commands in flight on one connection before {@code execute} fails fast with
 *     {@link ApiException.Kind#TOO_MANY_PENDING}
 * @param maxReplyRows {@code !re} rows one reply may carry before the connection is closed as a protocol error
 *     (a peer streaming rows forever cannot exhaust memory within the command timeout)
 * @param maxReplyBytes bytes (the sum of its words') one reply may carry before the command fails and the
 *     connection is closed as a protocol error; no sentence may be larger either
 */
public record ClientOptions(int connectTimeoutMs, int commandTimeoutMs, ParserLimits limits, boolean trustAll,
                            String trustPem, int maxPendingCommands, int maxReplyRows, int maxReplyBytes) {

  /** Default for {@link #maxReplyRows()}. */
  public static final int DEFAULT_MAX_REPLY_ROWS = 100_000;
  /** Default for {@link #maxReplyBytes()}: 1 MiB. */
  public static final int DEFAULT_MAX_REPLY_BYTES = 1024 * 1024;

  public ClientOptions {
    Objects.requireNonNull(limits, "limits");
    if (connectTimeoutMs <= 0 || commandTimeoutMs <= 0 || maxPendingCommands <= 0 || maxReplyRows <= 0
        || maxReplyBytes <= 0) {
      throw new IllegalArgumentException("timeouts and bounds must be positive");
    }
  }

  /** Options with {@link #DEFAULT_MAX_REPLY_BYTES}. */
  public ClientOptions(int connectTimeoutMs, int commandTimeoutMs, ParserLimits limits, boolean trustAll,
      String trustPem, int maxPendingCommands, int maxReplyRows) {
    this(connectTimeoutMs, commandTimeoutMs, limits, trustAll, trustPem, maxPendingCommands, maxReplyRows,
        DEFAULT_MAX_REPLY_BYTES);
  }

  /** Options with {@link #DEFAULT_MAX_REPLY_ROWS} and {@link #DEFAULT_MAX_REPLY_BYTES}. */
  public ClientOptions(int connectTimeoutMs, int commandTimeoutMs, ParserLimits limits, boolean trustAll,
      String trustPem, int maxPendingCommands) {
    this(connectTimeoutMs, commandTimeoutMs, limits, trustAll, trustPem, maxPendingCommands,
        DEFAULT_MAX_REPLY_ROWS);
  }

  /** 5 s connect, 10 s per command, {@link ParserLimits#DEFAULT}, pinned trust, 64 pending commands. */
  public static ClientOptions defaults() {
    return new ClientOptions(5000, 10000, ParserLimits.DEFAULT, false, null, 64);
  }

  /** The limits a reader applies: {@link #limits()}, with no word or sentence larger than a whole reply. */
  public ParserLimits readLimits() {
    return new ParserLimits(Math.min(limits.maxWordBytes(), maxReplyBytes),
        Math.min(limits.maxSentenceBytes(), maxReplyBytes), limits.maxWordsPerSentence());
  }

  public ClientOptions withConnectTimeoutMs(int ms) {
    return new ClientOptions(ms, commandTimeoutMs, limits, trustAll, trustPem, maxPendingCommands, maxReplyRows,
        maxReplyBytes);
  }

  public ClientOptions withCommandTimeoutMs(int ms) {
    return new ClientOptions(connectTimeoutMs, ms, limits, trustAll, trustPem, maxPendingCommands, maxReplyRows,
        maxReplyBytes);
  }

  public ClientOptions withLimits(ParserLimits l) {
    return new ClientOptions(connectTimeoutMs, commandTimeoutMs, l, trustAll, trustPem, maxPendingCommands,
        maxReplyRows, maxReplyBytes);
  }

  public ClientOptions withTrustAll(boolean all) {
    return new ClientOptions(connectTimeoutMs, commandTimeoutMs, limits, all, trustPem, maxPendingCommands,
        maxReplyRows, maxReplyBytes);
  }

  public ClientOptions withTrustPem(String pem) {
    return new ClientOptions(connectTimeoutMs, commandTimeoutMs, limits, trustAll, pem, maxPendingCommands,
        maxReplyRows, maxReplyBytes);
  }

  public ClientOptions withMaxPendingCommands(int max) {
    return new ClientOptions(connectTimeoutMs, commandTimeoutMs, limits, trustAll, trustPem, max, maxReplyRows,
        maxReplyBytes);
  }

  public ClientOptions withMaxReplyRows(int max) {
    return new ClientOptions(connectTimeoutMs, commandTimeoutMs, limits, trustAll, trustPem, maxPendingCommands,
        max, maxReplyBytes);
  }

  public ClientOptions withMaxReplyBytes(int max) {
    return new ClientOptions(connectTimeoutMs, commandTimeoutMs, limits, trustAll, trustPem, maxPendingCommands,
        maxReplyRows, max);
  }
}
