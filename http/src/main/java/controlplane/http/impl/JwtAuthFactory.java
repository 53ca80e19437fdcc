package controlplane.http.impl;

import controlplane.http.HttpConfig;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.ext.auth.JWTOptions;
import io.vertx.ext.auth.PubSecKeyOptions;
import io.vertx.ext.auth.jwt.JWTAuthOptions;
import java.security.KeyFactory;
import java.security.spec.X509EncodedKeySpec;
import java.util.Base64;
import java.util.List;
import java.util.function.LongSupplier;

/**
 * Builds the JWT verifier from {@code auth.jwt}: the HS256 secret, PEM public keys (RSA keys verify RS256, EC keys
 * ES256) and the keys of a JWKS document, fetched at start and kept current by {@link JwksKeys}. Only the algorithms
 * of the configured keys verify a token; {@code none} never does, and with no key at all the verticle refuses to
 * start (an empty Vert.x JWT provider would accept unsigned tokens).
 */
public final class JwtAuthFactory {

  private JwtAuthFactory() {
  }

  /** The verifier, once the JWKS (if configured) has been loaded; its regular fetch runs on the caller's context. */
  public static Future<JwksKeys> create(Vertx vertx, HttpConfig config) {
    return create(vertx, config, System::currentTimeMillis);
  }

  /** Same, measuring the minimum interval between fetches for unknown key ids on {@code clockMillis}. */
  static Future<JwksKeys> create(Vertx vertx, HttpConfig config, LongSupplier clockMillis) {
    if (!config.hasKeys()) {
      return Future.failedFuture(new IllegalStateException(
        "no JWT verification key: set auth.jwt.hs256Secret, auth.jwt.publicKeys or auth.jwt.jwksUrl"));
    }
    JWTOptions jwtOptions = new JWTOptions().setLeeway(config.leewaySeconds());
    if (config.issuer() != null) {
      jwtOptions.setIssuer(config.issuer());
    }
    if (config.audience() != null) {
      jwtOptions.setAudience(List.of(config.audience()));
    }
    JWTAuthOptions options = new JWTAuthOptions().setJWTOptions(jwtOptions);
    if (config.hs256Secret() != null) {
      options.addPubSecKey(new PubSecKeyOptions().setAlgorithm("HS256").setBuffer(config.hs256Secret()));
    }
    try {
      for (String pem : config.publicKeys()) {
        options.addPubSecKey(new PubSecKeyOptions().setAlgorithm(algorithmOf(pem)).setBuffer(pem));
      }
    } catch (IllegalArgumentException e) {
      return Future.failedFuture(e);
    }
    if (config.jwksUrl() == null) {
      return Future.succeededFuture(JwksKeys.fixed(vertx, options));
    }
    return JwksKeys.start(vertx, options, config.jwksUrl(), config.jwksRefresh().refreshSeconds() * 1000L,
      config.jwksRefresh().minRefreshSeconds() * 1000L, clockMillis);
  }

  /** RS256 for an RSA public key, ES256 for an EC one. */
  static String algorithmOf(String pem) {
    String base64 = pem.replaceAll("-----[A-Z ]+-----", "").replaceAll("\\s", "");
    byte[] der;
    try {
      der = Base64.getDecoder().decode(base64);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("auth.jwt.publicKeys: not a PEM public key", e);
    }
    for (String[] candidate : new String[][] {{"RSA", "RS256"}, {"EC", "ES256"}}) {
      try {
        KeyFactory.getInstance(candidate[0]).generatePublic(new X509EncodedKeySpec(der));
        return candidate[1];
      } catch (Exception ignored) {
        // not this key type, try the next
      }
    }
    throw new IllegalArgumentException("auth.jwt.publicKeys: neither an RSA nor an EC public key (SPKI PEM)");
  }
}
