package controlplane.http;

import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Objects;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Mints HS256 bearer tokens accepted by {@link HttpVerticle} when it is configured with the same
 * {@code auth.jwt.hs256Secret}: the development token printed at start and the {@code token} command. Needs no
 * Vert.x instance.
 */
public final class TokenMinter {

  private static final Base64.Encoder B64 = Base64.getUrlEncoder().withoutPadding();
  private static final String HEADER = B64.encodeToString(
    "{\"alg\":\"HS256\",\"typ\":\"JWT\"}".getBytes(StandardCharsets.UTF_8));

  private TokenMinter() {
  }

  /** A token for {@code orgId} with {@code scope} (space separated), subject {@code subject}, valid for {@code ttl}. */
  public static String mint(String secret, String orgId, String scope, String subject, Duration ttl) {
    return mint(secret, orgId, scope, subject, ttl, null, null);
  }

  /**
   * A token for {@code orgId} with {@code scope} (space separated), subject {@code subject}, valid for {@code ttl}
   * from now, carrying {@code iss} and {@code aud} when they are not null.
   */
  public static String mint(String secret, String orgId, String scope, String subject, Duration ttl, String issuer,
                            String audience) {
    Objects.requireNonNull(orgId, "orgId");
    Objects.requireNonNull(subject, "subject");
    if (ttl == null || ttl.isNegative() || ttl.isZero()) {
      throw new IllegalArgumentException("ttl must be positive");
    }
    long now = Instant.now().getEpochSecond();
    JsonObject claims = new JsonObject()
      .put("sub", subject)
      .put("org_id", orgId)
      .put("scope", scope == null ? "" : scope)
      .put("iat", now)
      .put("exp", now + ttl.toSeconds());
    if (issuer != null) {
      claims.put("iss", issuer);
    }
    if (audience != null) {
      claims.put("aud", audience);
    }
    return sign(secret, claims);
  }

  /** Signs arbitrary {@code claims} with HS256 and {@code secret} (its UTF-8 bytes are the HMAC key). */
  public static String sign(String secret, JsonObject claims) {
    if (secret == null || secret.isEmpty()) {
      throw new IllegalArgumentException("an HS256 secret is required");
    }
    String payload = B64.encodeToString(claims.encode().getBytes(StandardCharsets.UTF_8));
    String signingInput = HEADER + "." + payload;
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
      return signingInput + "." + B64.encodeToString(mac.doFinal(signingInput.getBytes(StandardCharsets.US_ASCII)));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HmacSHA256 unavailable", e);
    }
  }
}
