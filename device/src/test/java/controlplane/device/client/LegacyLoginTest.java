package controlplane.device.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class LegacyLoginTest {

  @Test
  @DisplayName("the empty-password vector of ROUTEROS-API.md")
  void emptyPassword() {
    assertThat(LegacyLogin.response("", "93b438ec9b80057c06dd9fe67d56aa9a"))
        .isEqualTo("00e134102a9d330dd7b1849fedfea3cb57");
  }

  @Test
  @DisplayName("the password 'test' vector of ROUTEROS-API.md")
  void passwordTest() {
    assertThat(LegacyLogin.response("test", "259e0bc05acd6f46926dc2f809ed1bba"))
        .isEqualTo("00c7fd865183a43a772dde231f6d0bff13");
  }

  @Test
  @DisplayName("a challenge that is not hexadecimal is refused")
  void badChallenge() {
    assertThatThrownBy(() -> LegacyLogin.response("x", "zz")).isInstanceOf(IllegalArgumentException.class);
  }
}
