package controlplane.core.crypto;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class KeyCheckTest {

  @Test
  @DisplayName("a check value opens with its key, not with another key under the same id, nor under another id")
  void opensOnlyWithItsKeyAndId() {
    String key = SealerTest.newKey();
    KeyRing ring = KeyRing.of(Map.of("k2025", key, "k2026", key), "k2025");
    Sealed check = KeyCheck.seal(ring, "k2025");

    assertThat(check.keyId()).isEqualTo("k2025");
    assertThat(check.nonce()).hasSize(12).isNotEqualTo(KeyCheck.seal(ring, "k2025").nonce());
    assertThat(KeyCheck.opens(ring, check)).isTrue();
    assertThat(KeyCheck.opens(KeyRing.of(Map.of("k2025", SealerTest.newKey()), "k2025"), check)).isFalse();
    // The same key bytes under another id: the key id is bound as additional data.
    assertThat(KeyCheck.opens(ring, new Sealed("k2026", check.nonce(), check.ciphertext()))).isFalse();
    assertThat(KeyCheck.opens(KeyRing.of(Map.of("other", key), "other"), check)).isFalse();
  }
}
