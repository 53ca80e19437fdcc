package controlplane.device.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class SentenceTest {

  private final Sentence reply = Sentence.of("!re", ".tag=7", "=.id=*2", "=name=bob", "=comment=a=b=c", "=address=",
      "?name=x");

  @Test
  @DisplayName("attributes split at the first = after the name; values may hold = or be empty")
  void attributes() {
    assertThat(reply.attribute("comment")).isEqualTo("a=b=c");
    assertThat(reply.attribute("address")).isEmpty();
    assertThat(reply.attribute("missing")).isNull();
    assertThat(reply.attributes()).containsExactly(Map.entry(".id", "*2"), Map.entry("name", "bob"),
        Map.entry("comment", "a=b=c"), Map.entry("address", ""));
  }

  @Test
  @DisplayName("dotted names find both =.id=*2 and the API attribute .tag=7")
  void dottedNames() {
    assertThat(reply.attribute(".id")).isEqualTo("*2");
    assertThat(reply.tag()).isEqualTo("7");
    assertThat(Sentence.of("!done").tag()).isNull();
  }

  @Test
  @DisplayName("queries are kept in order")
  void queries() {
    assertThat(Sentence.of("/user/print", "?name=a", "=.proplist=name", "?#|").queries())
        .containsExactly("?name=a", "?#|");
  }

  @Test
  @DisplayName("toString redacts every secret-bearing attribute")
  void redacts() {
    String s = Sentence.of("/login", "=name=admin", "=password=hunter2", "=response=00abc").toString()
        + Sentence.of("/password", "=old-password=o1", "=new-password=n1", "=confirm-new-password=n1");
    assertThat(s).contains("=name=admin", "=password=***", "=response=***", "=new-password=***")
        .doesNotContain("hunter2", "00abc", "o1", "n1");
  }
}
