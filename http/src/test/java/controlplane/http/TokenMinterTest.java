package controlplane.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.auth.JWTOptions;
import io.vertx.ext.auth.PubSecKeyOptions;
import io.vertx.ext.auth.User;
import io.vertx.ext.auth.authentication.TokenCredentials;
import io.vertx.ext.auth.jwt.JWTAuth;
import io.vertx.ext.auth.jwt.JWTAuthOptions;
import io.vertx.junit5.VertxExtension;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(VertxExtension.class)
class TokenMinterTest {

  private static final String SECRET = "minter-secret-0123456789-0123456789";

  static JsonObject payload(String token) {
    return new JsonObject(new String(Base64.getUrlDecoder().decode(token.split("\\.")[1]), StandardCharsets.UTF_8));
  }

  @Test
  @DisplayName("a minted token carries org_id, scope, sub, iat and exp = iat + ttl, and no iss or aud by default")
  void claims() {
    String token = TokenMinter.mint(SECRET, "org-a", "credentials:read credentials:rotate", "dev", Duration.ofHours(2));

    JsonObject claims = payload(token);
    assertThat(claims.getString("org_id")).isEqualTo("org-a");
    assertThat(claims.getString("scope")).isEqualTo("credentials:read credentials:rotate");
    assertThat(claims.getString("sub")).isEqualTo("dev");
    assertThat(claims.getLong("exp") - claims.getLong("iat")).isEqualTo(7200);
    assertThat(claims.containsKey("iss")).isFalse();
    assertThat(claims.containsKey("aud")).isFalse();
  }

  @Test
  @DisplayName("Vert.x JWT verifies a minted token with the same secret, issuer and audience")
  void verifiedByVertx(Vertx vertx) throws Exception {
    String token = TokenMinter.mint(SECRET, "org-a", "sites:write", "dev", Duration.ofMinutes(5),
      "https://issuer.example", "control-plane");
    JWTAuth verifier = JWTAuth.create(vertx, new JWTAuthOptions()
      .addPubSecKey(new PubSecKeyOptions().setAlgorithm("HS256").setBuffer(SECRET))
      .setJWTOptions(new JWTOptions().setIssuer("https://issuer.example").setAudience(List.of("control-plane"))));

    User user = verifier.authenticate(new TokenCredentials(token)).toCompletionStage().toCompletableFuture().get();

    assertThat(user.attributes().getJsonObject("accessToken").getString("org_id")).isEqualTo("org-a");
    assertThat(new JsonObject(new String(Base64.getUrlDecoder().decode(token.split("\\.")[0]),
      StandardCharsets.UTF_8)).getString("alg")).isEqualTo("HS256");
  }

  @Test
  @DisplayName("sign signs exactly the claims it is given (no iat or exp added) and leaves the caller's object alone")
  void signsExactly(Vertx vertx) throws Exception {
    JsonObject claims = new JsonObject().put("sub", "dev").put("org_id", "org-a").put("exp", 4_102_444_800L);

    String token = TokenMinter.sign(SECRET, claims);

    assertThat(payload(token)).isEqualTo(claims);
    assertThat(claims.fieldNames()).containsExactlyInAnyOrder("sub", "org_id", "exp");
    JWTAuth verifier = JWTAuth.create(vertx, new JWTAuthOptions()
      .addPubSecKey(new PubSecKeyOptions().setAlgorithm("HS256").setBuffer(SECRET)));
    assertThat(verifier.authenticate(new TokenCredentials(token)).toCompletionStage().toCompletableFuture().get())
      .isNotNull();
  }

  @Test
  @DisplayName("minting refuses an empty secret and a ttl under one second")
  void refuses() {
    assertThatThrownBy(() -> TokenMinter.mint("", "org-a", "x", "dev", Duration.ofMinutes(1)))
      .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> TokenMinter.mint(SECRET, "org-a", "x", "dev", Duration.ZERO))
      .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> TokenMinter.mint(SECRET, "org-a", "x", "dev", Duration.ofMillis(999)))
      .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> TokenMinter.sign(null, new JsonObject().put("sub", "dev")))
      .isInstanceOf(IllegalArgumentException.class);
  }
}
