package controlplane.device.client;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class RouterTextTest {

  @Test
  @DisplayName("ordinary router messages pass unchanged; null is empty")
  void ordinary() {
    assertThat(RouterText.printable("invalid user name or password (6)"))
        .isEqualTo("invalid user name or password (6)");
    assertThat(RouterText.printable("Benutzer \u00fcberpr\u00fcfen \u2713")).isEqualTo("Benutzer \u00fcberpr\u00fcfen \u2713");
    assertThat(RouterText.printable(null)).isEmpty();
  }

  @Test
  @DisplayName("CR, LF, TAB, ESC, DEL, C1 controls, bidi overrides and line separators become ?")
  void controls() {
    assertThat(RouterText.printable("a\r\nb\tc\u001b[31md\u007fe\u0085f\u202eg\u2028h\u0000i"))
        .isEqualTo("a??b?c?[31md?e?f?g?h?i");
  }

  @Test
  @DisplayName("at most 200 characters: a longer text keeps 199 and an ellipsis")
  void bounded() {
    assertThat(RouterText.printable("x".repeat(200))).isEqualTo("x".repeat(200));
    String cut = RouterText.printable("y".repeat(201));
    assertThat(cut).hasSize(200).startsWith("y".repeat(199)).endsWith("\u2026");
    assertThat(RouterText.printable("z".repeat(1_000_000))).hasSize(200);
  }

  @Test
  @DisplayName("characters beyond the BMP count once and are never split")
  void surrogatePairs() {
    String emoji = "\ud83d\ude00";
    String cut = RouterText.printable(emoji.repeat(300));
    assertThat(cut.codePointCount(0, cut.length())).isEqualTo(200);
    assertThat(cut).isEqualTo(emoji.repeat(199) + "\u2026");
    assertThat(RouterText.printable("a\ud83db")).isEqualTo("a?b");
  }
}
