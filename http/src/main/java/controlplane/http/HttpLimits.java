package controlplane.http;

/**
 * Bounds on the listener's connections ({@code http.idleTimeoutSeconds}, {@code http.maxConnections}).
 *
 * @param idleTimeoutSeconds a connection without a byte in or out for this long is closed (never less than a request
 *                           may wait for core: see {@link HttpConfig#effectiveIdleTimeoutSeconds()})
 * @param maxConnections     connections open at once; a connection beyond them is closed as soon as it is accepted
 */
public record HttpLimits(int idleTimeoutSeconds, int maxConnections) {

  public static final HttpLimits DEFAULT = new HttpLimits(60, 1000);

  public HttpLimits {
    if (idleTimeoutSeconds < 1) {
      throw new IllegalArgumentException("http.idleTimeoutSeconds must be at least 1: " + idleTimeoutSeconds);
    }
    if (maxConnections < 1) {
      throw new IllegalArgumentException("http.maxConnections must be at least 1: " + maxConnections);
    }
  }
}
