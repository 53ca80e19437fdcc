package controlplane.core.crypto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class SealerTest {

  static String newKey() {
    byte[] k = new byte[32];
    new SecureRandom().nextBytes(k);
    return Base64.getEncoder().encodeToString(k);
  }

  private final UUID site = UUID.randomUUID();
  private final UUID version = UUID.randomUUID();

  @Test
  @DisplayName("a sealed password opens to itself, under the active key id, with a fresh nonce each time")
  void roundTrip() {
    Sealer sealer = new Sealer(KeyRing.of(Map.of("a", newKey()), "a"));
    Sealed one = sealer.seal("s3cret-Password", site, version);
    Sealed two = sealer.seal("s3cret-Password", site, version);
    assertThat(one.keyId()).isEqualTo("a");
    assertThat(one.nonce()).hasSize(12).isNotEqualTo(two.nonce());
    assertThat(one.ciphertext()).isNotEqualTo(two.ciphertext());
    assertThat(new String(one.ciphertext(), java.nio.charset.StandardCharsets.ISO_8859_1))
        .doesNotContain("s3cret");
    assertThat(sealer.open(one, site, version)).isEqualTo("s3cret-Password");
  }

  @Test
  @DisplayName("a flipped bit, another nonce, or another site or version does not open")
  void tamperDetected() {
    Sealer sealer = new Sealer(KeyRing.of(Map.of("a", newKey()), null));
    Sealed s = sealer.seal("s3cret-Password", site, version);
    byte[] flipped = s.ciphertext().clone();
    flipped[3] ^= 1;
    byte[] otherNonce = s.nonce().clone();
    otherNonce[0] ^= 1;
    assertThatThrownBy(() -> sealer.open(new Sealed("a", s.nonce(), flipped), site, version))
        .isInstanceOf(Sealer.SealingException.class);
    assertThatThrownBy(() -> sealer.open(new Sealed("a", otherNonce, s.ciphertext()), site, version))
        .isInstanceOf(Sealer.SealingException.class);
    assertThatThrownBy(() -> sealer.open(s, UUID.randomUUID(), version)).isInstanceOf(Sealer.SealingException.class);
    assertThatThrownBy(() -> sealer.open(s, site, UUID.randomUUID())).isInstanceOf(Sealer.SealingException.class);
  }

  @Test
  @DisplayName("a value that fails to open does not disturb the next seal or open on the same thread")
  void failureThenSuccess() {
    Sealer sealer = new Sealer(KeyRing.of(Map.of("a", newKey()), "a"));
    Sealed good = sealer.seal("first", site, version);
    byte[] flipped = good.ciphertext().clone();
    flipped[0] ^= 1;
    assertThatThrownBy(() -> sealer.open(new Sealed("a", good.nonce(), flipped), site, version))
        .isInstanceOf(Sealer.SealingException.class);
    assertThat(sealer.open(good, site, version)).isEqualTo("first");
    Sealed next = sealer.seal("second", site, version);
    assertThat(sealer.open(next, site, version)).isEqualTo("second");
  }

  @Test
  @DisplayName("many threads sealing and opening at once, with two key rings, each get their own value back")
  void concurrentThreads() throws Exception {
    Sealer sealer = new Sealer(KeyRing.of(Map.of("a", newKey()), "a"));
    Sealer other = new Sealer(KeyRing.of(Map.of("a", newKey()), "a"));
    ExecutorService pool = Executors.newFixedThreadPool(8);
    try {
      List<Future<Boolean>> results = new ArrayList<>();
      for (int t = 0; t < 8; t++) {
        int thread = t;
        results.add(pool.submit(() -> {
          for (int i = 0; i < 500; i++) {
            UUID v = UUID.randomUUID();
            String password = "pw-" + thread + "-" + i;
            Sealed sealed = sealer.seal(password, site, v);
            // Interleave another key ring's cipher work on the same thread.
            other.open(other.seal("x", site, v), site, v);
            if (!password.equals(sealer.open(sealed, site, v))) {
              return false;
            }
          }
          return true;
        }));
      }
      for (Future<Boolean> r : results) {
        assertThat(r.get(60, TimeUnit.SECONDS)).isTrue();
      }
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  @DisplayName("after a key rotation new values use the new key and old values still open; a missing key fails")
  void keyRotation() {
    String oldKey = newKey();
    Sealed old = new Sealer(KeyRing.of(Map.of("old", oldKey), "old")).seal("before", site, version);
    Sealer rotated = new Sealer(KeyRing.of(Map.of("old", oldKey, "new", newKey()), "new"));
    assertThat(rotated.seal("after", site, version).keyId()).isEqualTo("new");
    assertThat(rotated.open(old, site, version)).isEqualTo("before");
    // The same key id with other key material, or a key dropped from the ring, does not open it.
    assertThatThrownBy(() -> new Sealer(KeyRing.of(Map.of("old", newKey()), "old")).open(old, site, version))
        .isInstanceOf(Sealer.SealingException.class);
    assertThatThrownBy(() -> new Sealer(KeyRing.of(Map.of("new", newKey()), "new")).open(old, site, version))
        .isInstanceOf(Sealer.SealingException.class).hasMessageContaining("no key old");
  }

  @Test
  @DisplayName("a key ring refuses short keys, non-base64 keys and an unknown or ambiguous active key")
  void keyRingValidation() {
    assertThatThrownBy(() -> KeyRing.of(Map.of("a", Base64.getEncoder().encodeToString(new byte[16])), "a"))
        .hasMessageContaining("32 bytes");
    assertThatThrownBy(() -> KeyRing.of(Map.of("a", "%%%"), "a")).hasMessageContaining("base64");
    assertThatThrownBy(() -> KeyRing.of(Map.of("a", newKey()), "b")).hasMessageContaining("not in crypto.keys");
    assertThatThrownBy(() -> KeyRing.of(Map.of("a", newKey(), "b", newKey()), null))
        .hasMessageContaining("activeKey");
    assertThatThrownBy(() -> KeyRing.of(Map.of(), null)).hasMessageContaining("empty");
    assertThat(KeyRing.of(Map.of("only", newKey()), null).activeKeyId()).isEqualTo("only");
    String secret = newKey();
    assertThat(KeyRing.of(Map.of("a", secret), "a").toString()).doesNotContain(secret);
  }
}
