package controlplane.http;

import io.vertx.core.json.JsonObject;
import io.vertx.ext.auth.JWTOptions;
import io.vertx.ext.auth.PubSecKeyOptions;
import io.vertx.ext.auth.jwt.JWTAuth;
import io.vertx.ext.auth.jwt.JWTAuthOptions;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * Mints HS256 bearer tokens accepted by {@link HttpVerticle} when it is configured with the same
 * {@code auth.jwt.hs256Secret}: the development token printed at start and the {@code token} command. Signs with the
 * Vert.x JWT provider; needs no Vert.x instance.
 */
public final class TokenMinter {

  private TokenMinter() {
  }

  /** A token for {@code orgId} with {@code scope} (space separated), subject {@code subject}, valid for {@code ttl}. */
  public static String mint(String secret, String orgId, String scope, String subject, Duration ttl) {
    return mint(secret, orgId, scope, subject, ttl, null, null);
  }

  /**
   * A token for {@code orgId} with {@code scope} (space separated), subject {@code subject}, valid for {@code ttl}
   * (whole seconds, at least one) from now, carrying {@code iss} and {@code aud} when they are not null.
   */
  public static String mint(String secret, String orgId, String scope, String subject, Duration ttl, String issuer,
                            String audience) {
    Objects.requireNonNull(orgId, "orgId");
    Objects.requireNonNull(subject, "subject");
    if (ttl == null || ttl.toSeconds() < 1 || ttl.toSeconds() > Integer.MAX_VALUE) {
      throw new IllegalArgumentException("ttl must be between one second and " + Integer.MAX_VALUE + " seconds");
    }
    // the provider adds iat and exp = iat + ttl from one reading of the clock, and sub, iss and aud from the options
    JWTOptions options = new JWTOptions()
      .setExpiresInSeconds((int) ttl.toSeconds())
      .setSubject(subject);
    if (issuer != null) {
      options.setIssuer(issuer);
    }
    if (audience != null) {
      options.setAudience(List.of(audience));
    }
    JsonObject claims = new JsonObject()
      .put("org_id", orgId)
      .put("scope", scope == null ? "" : scope);
    return provider(secret).generateToken(claims, options);
  }

  /** Signs exactly {@code claims} (nothing added) with HS256 and {@code secret} (its UTF-8 bytes are the HMAC key). */
  public static String sign(String secret, JsonObject claims) {
    return provider(secret).generateToken(claims.copy(), new JWTOptions().setNoTimestamp(true));
  }

  private static JWTAuth provider(String secret) {
    if (secret == null || secret.isEmpty()) {
      throw new IllegalArgumentException("an HS256 secret is required");
    }
    // Vert.x is needed only to read a key store file; with the key given inline, none is
    return JWTAuth.create(null, new JWTAuthOptions()
      .addPubSecKey(new PubSecKeyOptions().setAlgorithm("HS256").setBuffer(secret)));
  }
}
