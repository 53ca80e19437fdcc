package controlplane.device.client;

/** A classified failure of a {@link RouterOsClient} or {@link ApiConnection} operation. */
public final class ApiException extends RuntimeException {

  /** What failed. */
  public enum Kind {
    /** The connection could not be opened (refused, unresolvable, TLS handshake failed). */
    CONNECT_FAILED,
    /**
     * API-SSL: the router's certificate is not the pinned one, or is not trusted by {@code trustPem} (chain or
     * name); the handshake failed, so nothing was sent.
     */
    CERTIFICATE_REJECTED,
    /** The connection (and TLS handshake) did not complete in time. */
    CONNECT_TIMEOUT,
    /** A command got no {@code !done} in time; the connection is closed since a late reply can't be trusted. */
    TIMEOUT,
    /** The connection was closed, by either side, before the command completed. */
    CLOSED,
    /** The router sent {@code !fatal} and closed the session. */
    FATAL,
    /** The router broke the protocol (framing, limits, unknown tag); the connection is closed. */
    PROTOCOL,
    /** The router refused the login. */
    LOGIN_FAILED,
    /** Too many commands already in flight on the connection; nothing was sent. */
    TOO_MANY_PENDING
  }

  private final Kind kind;
  private final boolean commandSent;

  public ApiException(Kind kind, String message) {
    this(kind, message, false, null);
  }

  /**
   * @param commandSent whether the failed command had been written to the socket, so the router may have
   *     carried it out
   */
  public ApiException(Kind kind, String message, boolean commandSent, Throwable cause) {
    super(message, cause);
    this.kind = kind;
    this.commandSent = commandSent;
  }

  public Kind kind() {
    return kind;
  }

  /**
   * Whether the command this exception fails was written to the socket before it failed: when true, the router
   * may have carried it out (its outcome is unknown); when false, it certainly did not.
   */
  public boolean commandSent() {
    return commandSent;
  }

  @Override
  public String toString() {
    return "ApiException[" + kind + "]: " + getMessage();
  }
}
