package controlplane.core.crypto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HashSet;
import java.util.Set;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;

class PasswordGeneratorTest {

  @Property(tries = 200)
  void hasTheConfiguredLengthAndOnlyAlphabetCharacters(@ForAll @IntRange(min = 8, max = 128) int length) {
    String p = new PasswordGenerator(length).generate();
    assertThat(p).hasSize(length);
    assertThat(p.chars().allMatch(c -> PasswordGenerator.ALPHABET.indexOf(c) >= 0)).isTrue();
  }

  @Property(tries = 200)
  void holdsEveryCharacterClass(@ForAll @IntRange(min = 8, max = 64) int length) {
    String p = new PasswordGenerator(length).generate();
    assertThat(p).containsPattern("[a-z]").containsPattern("[A-Z]").containsPattern("[0-9]")
        .containsPattern("[-_.@%+=]");
  }

  @Property(tries = 20)
  void neverRepeats(@ForAll @IntRange(min = 16, max = 64) int length) {
    PasswordGenerator g = new PasswordGenerator(length);
    Set<String> seen = new HashSet<>();
    for (int i = 0; i < 1000; i++) {
      assertThat(seen.add(g.generate())).isTrue();
    }
  }

  @net.jqwik.api.Example
  void defaultLengthIs32AndTooShortIsRefused() {
    assertThat(new PasswordGenerator(32).generate()).hasSize(32);
    assertThatThrownBy(() -> new PasswordGenerator(4)).isInstanceOf(IllegalArgumentException.class);
  }
}
