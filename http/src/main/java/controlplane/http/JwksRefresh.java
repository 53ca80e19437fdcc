package controlplane.http;

/**
 * When the JWKS of {@code auth.jwt.jwksUrl} is fetched again after start.
 *
 * @param refreshSeconds    period of the regular fetch ({@code auth.jwt.jwksRefreshSeconds})
 * @param minRefreshSeconds a token whose key id is not in the key set causes a fetch, unless one began less than
 *                          this long ago ({@code auth.jwt.jwksMinRefreshSeconds})
 */
public record JwksRefresh(int refreshSeconds, int minRefreshSeconds) {

  public static final JwksRefresh DEFAULT = new JwksRefresh(3600, 30);

  public JwksRefresh {
    if (refreshSeconds < 1) {
      throw new IllegalArgumentException("auth.jwt.jwksRefreshSeconds must be at least 1: " + refreshSeconds);
    }
    if (minRefreshSeconds < 1) {
      throw new IllegalArgumentException("auth.jwt.jwksMinRefreshSeconds must be at least 1: " + minRefreshSeconds);
    }
  }
}
