package controlplane.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
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
    assertThat(config.requestTimeoutMs()).isEqualTo(60_000);
    assertThat(config.leewaySeconds()).isEqualTo(30);
    assertThat(config.hs256Secret()).isNull();
    assertThat(config.publicKeys()).isEmpty();
    assertThat(config.hasKeys()).isFalse();
  }

  @Test
  @DisplayName("the http and auth.jwt sections are bound")
  void binds() {
    JsonObject root = new JsonObject()
      .put("http", new JsonObject().put("host", "127.0.0.1").put("port", 9090).put("maxBodyBytes", 2048)
        .put("requestTimeoutMs", 45000))
      .put("auth", new JsonObject().put("jwt", new JsonObject()
        .put("hs256Secret", "s3cret-value")
        .put("publicKeys", new JsonArray().add("-----BEGIN PUBLIC KEY-----\nAAAA\n-----END PUBLIC KEY-----"))
        .put("jwksUrl", "https://idp.example/jwks.json")
        .put("issuer", "https://idp.example")
        .put("audience", "control-plane")
        .put("leewaySeconds", 10)));

    HttpConfig config = HttpConfig.fromJson(root);

    assertThat(config).isEqualTo(new HttpConfig("127.0.0.1", 9090, 2048, 45000, "s3cret-value",
      java.util.List.of("-----BEGIN PUBLIC KEY-----\nAAAA\n-----END PUBLIC KEY-----"),
      "https://idp.example/jwks.json", "https://idp.example", "control-plane", 10));
    assertThat(config.hasKeys()).isTrue();
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
  @DisplayName("toString never shows the HS256 secret")
  void redacts() {
    HttpConfig config = HttpConfig.fromJson(new JsonObject()).withHs256Secret("do-not-print-me");

    assertThat(config.hs256Secret()).isEqualTo("do-not-print-me");
    assertThat(config.toString()).doesNotContain("do-not-print-me").contains("hs256Secret=***");
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
  }
}
