package controlplane.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class HttpConfigTest {

  @Test
  @DisplayName("an empty configuration takes the documented defaults")
  void defaults() {
    HttpConfig config = HttpConfig.fromJson(new JsonObject());

    assertThat(config.host()).isEqualTo("0.0.0.0");
    assertThat(config.port()).isEqualTo(8080);
    assertThat(config.maxBodyBytes()).isEqualTo(16384);
    assertThat(config.requestTimeoutMs()).isEqualTo(70_000);
    assertThat(config.leewaySeconds()).isEqualTo(30);
    assertThat(config.hs256Secret()).isNull();
    assertThat(config.publicKeys()).isEmpty();
    assertThat(config.hasKeys()).isFalse();
    assertThat(config.limits()).isEqualTo(new HttpLimits(60, 1000));
    assertThat(config.tls().enabled()).isFalse();
    assertThat(config.jwksRefresh()).isEqualTo(new JwksRefresh(3600, 30));
  }

  @Test
  @DisplayName("the http and auth.jwt sections are bound")
  void binds() {
    String secret = "s3cret-value-0123456789-0123456789";
    String pem = "-----BEGIN PUBLIC KEY-----\nAAAA\n-----END PUBLIC KEY-----";
    JsonObject root = new JsonObject()
      .put("http", new JsonObject().put("host", "127.0.0.1").put("port", 9090).put("maxBodyBytes", 2048)
        .put("requestTimeoutMs", 45000).put("idleTimeoutSeconds", 90).put("maxConnections", 50)
        .put("tls", new JsonObject().put("certPem", "/etc/cp/cert.pem").put("keyPem", "/etc/cp/key.pem")))
      .put("auth", new JsonObject().put("jwt", new JsonObject()
        .put("hs256Secret", secret)
        .put("publicKeys", new JsonArray().add(pem))
        .put("jwksUrl", "https://idp.example/jwks.json")
        .put("issuer", "https://idp.example")
        .put("audience", "control-plane")
        .put("leewaySeconds", 10)
        .put("jwksRefreshSeconds", 600)
        .put("jwksMinRefreshSeconds", 15)));

    HttpConfig config = HttpConfig.fromJson(root);

    assertThat(config).isEqualTo(new HttpConfig("127.0.0.1", 9090, 2048, 45000, secret, List.of(pem),
      "https://idp.example/jwks.json", "https://idp.example", "control-plane", 10, new HttpLimits(90, 50),
      new HttpTls("/etc/cp/cert.pem", "/etc/cp/key.pem"), new JwksRefresh(600, 15)));
    assertThat(config.hasKeys()).isTrue();
    assertThat(config.tls().enabled()).isTrue();
  }

  @Test
  @DisplayName("values from environment variables arrive as strings and are accepted")
  void environmentStrings() {
    JsonObject root = new JsonObject()
      .put("http", new JsonObject().put("port", "9191").put("maxBodyBytes", "4096"))
      .put("auth", new JsonObject().put("jwt", new JsonObject()
        .put("publicKeys", "-----BEGIN PUBLIC KEY-----\nBBBB\n-----END PUBLIC KEY-----")
        .put("issuer", "")
        .put("leewaySeconds", "0")));

    HttpConfig config = HttpConfig.fromJson(root);

    assertThat(config.port()).isEqualTo(9191);
    assertThat(config.maxBodyBytes()).isEqualTo(4096);
    assertThat(config.publicKeys()).hasSize(1);
    assertThat(config.issuer()).isNull();
    assertThat(config.leewaySeconds()).isZero();
  }

  @Test
  @DisplayName("toString never shows the HS256 secret, nor user information or a query of the JWKS URL")
  void redacts() {
    String secret = "do-not-print-me-0123456789-0123456789";
    HttpConfig config = HttpConfig.fromJson(new JsonObject().put("auth", new JsonObject().put("jwt",
      new JsonObject().put("jwksUrl", "https://user:pa55@idp.example/jwks?token=t0k3n")))).withHs256Secret(secret);

    assertThat(config.hs256Secret()).isEqualTo(secret);
    assertThat(config.toString()).doesNotContain(secret).contains("hs256Secret=***")
      .contains("jwksUrl=https://idp.example/jwks").doesNotContain("pa55").doesNotContain("t0k3n");
  }

  @Test
  @DisplayName("out-of-range values are refused")
  void refusesNonsense() {
    assertThatThrownBy(() -> HttpConfig.fromJson(new JsonObject().put("http", new JsonObject().put("port", 70000))))
      .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> HttpConfig.fromJson(new JsonObject().put("http", new JsonObject().put("maxBodyBytes", 0))))
      .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> HttpConfig.fromJson(new JsonObject().put("http", new JsonObject().put("port", "eighty"))))
      .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> http(new JsonObject().put("idleTimeoutSeconds", 0)))
      .hasMessageContaining("http.idleTimeoutSeconds");
    assertThatThrownBy(() -> http(new JsonObject().put("maxConnections", 0)))
      .hasMessageContaining("http.maxConnections");
    assertThatThrownBy(() -> jwt(new JsonObject().put("jwksRefreshSeconds", 0)))
      .hasMessageContaining("auth.jwt.jwksRefreshSeconds");
    assertThatThrownBy(() -> jwt(new JsonObject().put("jwksMinRefreshSeconds", -1)))
      .hasMessageContaining("auth.jwt.jwksMinRefreshSeconds");
  }

  @Test
  @DisplayName("an HS256 secret shorter than 32 bytes is refused, naming the key and not showing the secret")
  void shortSecret() {
    assertThatThrownBy(() -> jwt(new JsonObject().put("hs256Secret", "twelve-bytes")))
      .isInstanceOf(IllegalArgumentException.class)
      .hasMessageContaining("auth.jwt.hs256Secret").hasMessageContaining("32 bytes")
      .hasMessageNotContaining("twelve-bytes");
    // 31 ASCII characters are too short, 11 three-byte characters (33 bytes) are enough
    assertThatThrownBy(() -> jwt(new JsonObject().put("hs256Secret", "x".repeat(31))))
      .hasMessageContaining("auth.jwt.hs256Secret");
    assertThat(jwt(new JsonObject().put("hs256Secret", "\u20ac".repeat(11))).hs256Secret()).hasSize(11);
  }

  @Test
  @DisplayName("jwksUrl: https anywhere, http only to a loopback host; otherwise refused naming auth.jwt.jwksUrl")
  void jwksUrlScheme() {
    for (String allowed : List.of("https://idp.example/jwks.json", "HTTPS://10.0.0.1:8443/keys",
      "http://127.0.0.1:8080/jwks", "http://127.10.20.30/jwks", "http://localhost:9000/jwks",
      "http://LOCALHOST/jwks", "http://[::1]:9000/jwks")) {
      assertThat(jwt(new JsonObject().put("jwksUrl", allowed)).jwksUrl()).isEqualTo(allowed);
    }
    for (String refused : List.of("http://idp.example/jwks.json", "http://10.0.0.1/jwks", "http://128.0.0.1/jwks",
      "http://127.0.0.1.nip.io/jwks", "http://localhost.idp.example/jwks", "http://[::2]/jwks",
      "http://127.0.0.256/jwks", "ftp://127.0.0.1/jwks", "idp.example/jwks", "not a url")) {
      assertThatThrownBy(() -> jwt(new JsonObject().put("jwksUrl", refused)))
        .as(refused)
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("auth.jwt.jwksUrl");
    }
  }

  @Test
  @DisplayName("http.tls: both files or neither, else refused naming the missing key")
  void tlsBothOrNeither() {
    assertThatThrownBy(() -> http(new JsonObject().put("tls", new JsonObject().put("certPem", "/etc/cp/cert.pem"))))
      .hasMessageContaining("http.tls.keyPem");
    assertThatThrownBy(() -> http(new JsonObject().put("tls", new JsonObject().put("keyPem", "/etc/cp/key.pem"))))
      .hasMessageContaining("http.tls.certPem");
    assertThat(http(new JsonObject().put("tls", new JsonObject().putNull("certPem").put("keyPem", ""))).tls())
      .isEqualTo(HttpTls.NONE);
  }

  @Test
  @DisplayName("the idle timeout applied is never shorter than a request may wait for core")
  void idleTimeoutCoversARequest() {
    assertThat(http(new JsonObject()).effectiveIdleTimeoutSeconds()).isEqualTo(71);
    assertThat(http(new JsonObject().put("idleTimeoutSeconds", 120)).effectiveIdleTimeoutSeconds()).isEqualTo(120);
    assertThat(http(new JsonObject().put("idleTimeoutSeconds", 1).put("requestTimeoutMs", 500))
      .effectiveIdleTimeoutSeconds()).isEqualTo(1);
    assertThat(http(new JsonObject().put("idleTimeoutSeconds", 1).put("requestTimeoutMs", 2500))
      .effectiveIdleTimeoutSeconds()).isEqualTo(3);
  }

  private static HttpConfig http(JsonObject http) {
    return HttpConfig.fromJson(new JsonObject().put("http", http));
  }

  private static HttpConfig jwt(JsonObject jwt) {
    return HttpConfig.fromJson(new JsonObject().put("auth", new JsonObject().put("jwt", jwt)));
  }
}
