package controlplane.config;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.security.KeyPairGenerator;
import java.util.Base64;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class ModeLineTest {

  private static String rsaPem() throws Exception {
    KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
    generator.initialize(2048);
    return "-----BEGIN PUBLIC KEY-----\n" + Base64.getMimeEncoder().encodeToString(generator.generateKeyPair()
        .getPublic().getEncoded()) + "\n-----END PUBLIC KEY-----\n";
  }

  private static JsonObject production(JsonObject jwt) {
    String key = Base64.getEncoder().encodeToString(new byte[32]);
    return new JsonObject()
        .put("database", new JsonObject().put("url", "postgresql://cp:db-secret@db.internal:5432/controlplane"))
        .put("crypto", new JsonObject().put("keys", new JsonObject().put("k2024", key).put("k2025", key))
            .put("activeKey", "k2025"))
        .put("auth", new JsonObject().put("jwt", jwt))
        .put("simulator", new JsonObject().put("enabled", false));
  }

  @Test
  @DisplayName("production: the database without its password, key ids and counts, the JWT key kinds")
  void production() throws Exception {
    JsonObject rs256 = production(new JsonObject().put("publicKeys", new JsonArray().add(rsaPem()).add(rsaPem()))
        .put("issuer", "idp").put("audience", "cp"));
    assertThat(ModeLine.text(Mode.PRODUCTION, rs256, null)).isEqualTo("mode: production (external PostgreSQL at "
        + "db.internal:5432/controlplane, 2 sealing keys, active k2025, JWT RS256 keys, simulator off)");

    JsonObject jwks = production(new JsonObject().put("hs256Secret", "hs-secret-of-at-least-32-bytes-xx")
        .put("jwksUrl", "https://idp.example/.well-known/jwks.json").put("issuer", "idp").put("audience", "cp"));
    jwks.getJsonObject("simulator").put("enabled", "true");
    assertThat(ModeLine.text(Mode.PRODUCTION, jwks, null)).isEqualTo("mode: production (external PostgreSQL at "
        + "db.internal:5432/controlplane, 2 sealing keys, active k2025, JWT HS256 secret + JWKS from idp.example, "
        + "simulator on)").doesNotContain("db-secret", "hs-secret");
  }
}
