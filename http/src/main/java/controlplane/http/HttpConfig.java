package controlplane.http;

import controlplane.http.impl.JwksUrl;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The HTTP part of the configuration: the {@code http} section (listener, body limit, event-bus timeout, connection
 * limits, TLS) and the {@code auth.jwt} section (verification keys, claims checks, JWKS refresh). See
 * {@code docs/CONFIGURATION.md}.
 *
 * @param host             address to listen on
 * @param port             port to listen on; 0 picks a free one (tests)
 * @param maxBodyBytes     largest accepted request body; larger bodies are answered 413
 * @param requestTimeoutMs event-bus timeout of a request to core; the composition root refuses one shorter than the
 *                         longest request core may work on (two device operations and a margin)
 * @param hs256Secret      shared HS256 secret of at least {@value #MIN_HS256_SECRET_BYTES} bytes, or null
 * @param publicKeys       PEM public keys (RSA keys verify RS256, EC P-256 keys verify ES256)
 * @param jwksUrl          URL of a JWKS document (https, or http to a loopback host), or null
 * @param issuer           required {@code iss} when not null
 * @param audience         required {@code aud} when not null
 * @param leewaySeconds    clock skew tolerated on {@code exp}, {@code nbf} and {@code iat}
 * @param limits           idle timeout and connection cap of the listener
 * @param tls              the listener's certificate and key, or {@link HttpTls#NONE} for plain HTTP
 * @param jwksRefresh      when the JWKS is fetched again
 */
public record HttpConfig(String host, int port, int maxBodyBytes, long requestTimeoutMs, String hs256Secret,
                         List<String> publicKeys, String jwksUrl, String issuer, String audience,
                         int leewaySeconds, HttpLimits limits, HttpTls tls, JwksRefresh jwksRefresh) {

  public static final String DEFAULT_HOST = "0.0.0.0";
  public static final int DEFAULT_PORT = 8080;
  public static final int DEFAULT_MAX_BODY_BYTES = 16384;
  public static final long DEFAULT_REQUEST_TIMEOUT_MS = 70_000;
  public static final int DEFAULT_LEEWAY_SECONDS = 30;
  /** RFC 7518 section 3.2: an HS256 key at least as long as the hash. */
  public static final int MIN_HS256_SECRET_BYTES = 32;

  /** With the default limits, no TLS and the default JWKS refresh. */
  public HttpConfig(String host, int port, int maxBodyBytes, long requestTimeoutMs, String hs256Secret,
                    List<String> publicKeys, String jwksUrl, String issuer, String audience, int leewaySeconds) {
    this(host, port, maxBodyBytes, requestTimeoutMs, hs256Secret, publicKeys, jwksUrl, issuer, audience,
      leewaySeconds, HttpLimits.DEFAULT, HttpTls.NONE, JwksRefresh.DEFAULT);
  }

  /** Checks ranges and key rules, and normalises blank strings to null. */
  public HttpConfig {
    host = blankToNull(host) == null ? DEFAULT_HOST : host;
    if (port < 0 || port > 65535) {
      throw new IllegalArgumentException("http.port out of range: " + port);
    }
    if (maxBodyBytes <= 0) {
      throw new IllegalArgumentException("http.maxBodyBytes must be positive: " + maxBodyBytes);
    }
    if (requestTimeoutMs <= 0) {
      throw new IllegalArgumentException("http.requestTimeoutMs must be positive: " + requestTimeoutMs);
    }
    if (leewaySeconds < 0) {
      throw new IllegalArgumentException("auth.jwt.leewaySeconds must not be negative: " + leewaySeconds);
    }
    hs256Secret = blankToNull(hs256Secret);
    if (hs256Secret != null && hs256Secret.getBytes(StandardCharsets.UTF_8).length < MIN_HS256_SECRET_BYTES) {
      throw new IllegalArgumentException("auth.jwt.hs256Secret must be at least " + MIN_HS256_SECRET_BYTES
        + " bytes (it is the HMAC key of HS256 tokens; `openssl rand -base64 32` makes one)");
    }
    publicKeys = publicKeys == null ? List.of()
      : publicKeys.stream().filter(Objects::nonNull).filter(k -> !k.isBlank()).toList();
    jwksUrl = blankToNull(jwksUrl);
    if (jwksUrl != null) {
      JwksUrl.check(jwksUrl);
    }
    issuer = blankToNull(issuer);
    audience = blankToNull(audience);
    limits = limits == null ? HttpLimits.DEFAULT : limits;
    tls = tls == null ? HttpTls.NONE : tls;
    jwksRefresh = jwksRefresh == null ? JwksRefresh.DEFAULT : jwksRefresh;
  }

  /**
   * Binds {@code root.http} and {@code root.auth.jwt}; missing keys take the documented defaults. Numbers given as
   * strings (environment variables) are accepted; {@code publicKeys} may be a list or a single PEM string.
   */
  public static HttpConfig fromJson(JsonObject root) {
    JsonObject http = section(root, "http");
    JsonObject tls = section(http, "tls");
    JsonObject auth = section(root, "auth");
    JsonObject jwt = section(auth, "jwt");
    return new HttpConfig(
      string(http, "host"),
      (int) number(http, "port", DEFAULT_PORT),
      (int) number(http, "maxBodyBytes", DEFAULT_MAX_BODY_BYTES),
      number(http, "requestTimeoutMs", DEFAULT_REQUEST_TIMEOUT_MS),
      string(jwt, "hs256Secret"),
      stringList(jwt.getValue("publicKeys")),
      string(jwt, "jwksUrl"),
      string(jwt, "issuer"),
      string(jwt, "audience"),
      (int) number(jwt, "leewaySeconds", DEFAULT_LEEWAY_SECONDS),
      new HttpLimits((int) number(http, "idleTimeoutSeconds", HttpLimits.DEFAULT.idleTimeoutSeconds()),
        (int) number(http, "maxConnections", HttpLimits.DEFAULT.maxConnections())),
      new HttpTls(string(tls, "certPem"), string(tls, "keyPem")),
      new JwksRefresh((int) number(jwt, "jwksRefreshSeconds", JwksRefresh.DEFAULT.refreshSeconds()),
        (int) number(jwt, "jwksMinRefreshSeconds", JwksRefresh.DEFAULT.minRefreshSeconds())));
  }

  /** This configuration with another HS256 secret (the development secret generated into dataDir). */
  public HttpConfig withHs256Secret(String secret) {
    return new HttpConfig(host, port, maxBodyBytes, requestTimeoutMs, secret, publicKeys, jwksUrl, issuer, audience,
      leewaySeconds, limits, tls, jwksRefresh);
  }

  /** This configuration listening on another port. */
  public HttpConfig withPort(int newPort) {
    return new HttpConfig(host, newPort, maxBodyBytes, requestTimeoutMs, hs256Secret, publicKeys, jwksUrl, issuer,
      audience, leewaySeconds, limits, tls, jwksRefresh);
  }

  /** This configuration with other connection limits. */
  public HttpConfig withLimits(HttpLimits newLimits) {
    return new HttpConfig(host, port, maxBodyBytes, requestTimeoutMs, hs256Secret, publicKeys, jwksUrl, issuer,
      audience, leewaySeconds, newLimits, tls, jwksRefresh);
  }

  /** This configuration with another TLS setting. */
  public HttpConfig withTls(HttpTls newTls) {
    return new HttpConfig(host, port, maxBodyBytes, requestTimeoutMs, hs256Secret, publicKeys, jwksUrl, issuer,
      audience, leewaySeconds, limits, newTls, jwksRefresh);
  }

  /** This configuration with other JWKS refresh periods. */
  public HttpConfig withJwksRefresh(JwksRefresh newRefresh) {
    return new HttpConfig(host, port, maxBodyBytes, requestTimeoutMs, hs256Secret, publicKeys, jwksUrl, issuer,
      audience, leewaySeconds, limits, tls, newRefresh);
  }

  /**
   * The idle timeout the listener applies: {@code http.idleTimeoutSeconds}, raised to just above
   * {@code requestTimeoutMs} when shorter, because a request waiting for core sees no byte on its connection until
   * its answer and must not be cut off before it.
   */
  public int effectiveIdleTimeoutSeconds() {
    return (int) Math.max(limits.idleTimeoutSeconds(), requestTimeoutMs / 1000 + 1);
  }

  /** Whether at least one verification key source is configured; without one the verticle refuses to start. */
  public boolean hasKeys() {
    return hs256Secret != null || !publicKeys.isEmpty() || jwksUrl != null;
  }

  /** Never prints the secret, nor more of the JWKS URL than scheme, host, port and path. */
  @Override
  public String toString() {
    return "HttpConfig[host=" + host + ", port=" + port + ", maxBodyBytes=" + maxBodyBytes
      + ", requestTimeoutMs=" + requestTimeoutMs + ", hs256Secret=" + (hs256Secret == null ? "null" : "***")
      + ", publicKeys=" + publicKeys.size() + ", jwksUrl=" + (jwksUrl == null ? null : JwksUrl.shown(jwksUrl))
      + ", issuer=" + issuer + ", audience=" + audience + ", leewaySeconds=" + leewaySeconds + ", limits=" + limits
      + ", tls=" + tls + ", jwksRefresh=" + jwksRefresh + "]";
  }

  private static JsonObject section(JsonObject parent, String key) {
    Object value = parent == null ? null : parent.getValue(key);
    return value instanceof JsonObject o ? o : new JsonObject();
  }

  private static String string(JsonObject o, String key) {
    Object value = o.getValue(key);
    return value == null ? null : value.toString();
  }

  private static long number(JsonObject o, String key, long defaultValue) {
    Object value = o.getValue(key);
    if (value == null) {
      return defaultValue;
    }
    if (value instanceof Number n) {
      return n.longValue();
    }
    String text = value.toString().trim();
    if (text.isEmpty() || text.equals("null")) {
      return defaultValue;
    }
    try {
      return Long.parseLong(text);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("not a number: " + key + "=" + text, e);
    }
  }

  private static List<String> stringList(Object value) {
    List<String> out = new ArrayList<>();
    if (value instanceof JsonArray array) {
      array.forEach(item -> {
        if (item != null) {
          out.add(item.toString());
        }
      });
    } else if (value != null && !value.toString().isBlank() && !value.toString().equals("[]")) {
      out.add(value.toString());
    }
    return out;
  }

  private static String blankToNull(String s) {
    return s == null || s.isBlank() || s.equals("null") ? null : s;
  }
}
