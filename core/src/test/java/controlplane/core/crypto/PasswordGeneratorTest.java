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

  /** Every byte value once, in order, as many rounds as asked for. */
  private static final class EveryByte extends java.security.SecureRandom {
    private int next;

    @Override
    public void nextBytes(byte[] bytes) {
      for (int i = 0; i < bytes.length; i++) {
        bytes[i] = (byte) next++;
      }
    }
  }

  @Property(tries = 100)
  void drawsEachValueEquallyOftenFromEveryByte(@ForAll @IntRange(min = 1, max = 256) int bound) {
    PasswordGenerator.RandomBytes r = new PasswordGenerator.RandomBytes(new EveryByte(), 16);
    int accepted = 256 - 256 % bound;
    int[] counts = new int[bound];
    for (int i = 0; i < 2 * accepted; i++) {
      counts[r.below(bound)]++;
    }
    // Two rounds of the bytes: the 256 - accepted at the top of the first were drawn again, so each value came from
    // exactly accepted / bound bytes of each round.
    assertThat(counts).containsOnly(2 * accepted / bound);
  }

  @net.jqwik.api.Example
  void defaultLengthIs32AndTooShortIsRefused() {
    assertThat(new PasswordGenerator(32).generate()).hasSize(32);
    assertThatThrownBy(() -> new PasswordGenerator(4)).isInstanceOf(IllegalArgumentException.class);
  }
}
