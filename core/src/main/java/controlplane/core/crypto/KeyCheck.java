package controlplane.core.crypto;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import javax.crypto.Cipher;
import javax.crypto.SecretKey;
import javax.crypto.spec.GCMParameterSpec;

/**
 * The check value of a key: a fixed, known plaintext sealed with it (AES-256-GCM, the key id bound as additional
 * data). Recorded in the database when a key id is first used there; a key that does not open it is not the key that
 * sealed the database's values under that id.
 */
public final class KeyCheck {

  private static final byte[] PLAINTEXT = "control-plane key check v1".getBytes(StandardCharsets.US_ASCII);
  private static final int NONCE_BYTES = 12;
  private static final int TAG_BITS = 128;
  private static final SecureRandom RANDOM = new SecureRandom();

  private KeyCheck() {
  }

  /** A fresh check value of the ring's key {@code keyId}. */
  public static Sealed seal(KeyRing ring, String keyId) {
    SecretKey key = ring.key(keyId);
    if (key == null) {
      throw new IllegalArgumentException("no key " + keyId + " in the key ring");
    }
    byte[] nonce = new byte[NONCE_BYTES];
    RANDOM.nextBytes(nonce);
    try {
      Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
      cipher.init(Cipher.ENCRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, nonce));
      cipher.updateAAD(aad(keyId));
      return new Sealed(keyId, nonce, cipher.doFinal(PLAINTEXT));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("sealing a key check failed", e);
    }
  }

  /** Whether the ring's key of {@code check.keyId()} opens {@code check} to the known plaintext. */
  public static boolean opens(KeyRing ring, Sealed check) {
    SecretKey key = ring.key(check.keyId());
    if (key == null) {
      return false;
    }
    try {
      Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
      cipher.init(Cipher.DECRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, check.nonce()));
      cipher.updateAAD(aad(check.keyId()));
      return MessageDigest.isEqual(cipher.doFinal(check.ciphertext()), PLAINTEXT);
    } catch (GeneralSecurityException | IllegalArgumentException e) {
      return false;
    }
  }

  private static byte[] aad(String keyId) {
    return ("cp-key-check-v1|" + keyId).getBytes(StandardCharsets.UTF_8);
  }
}
