package controlplane.core.crypto;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.UUID;
import javax.crypto.Cipher;
import javax.crypto.SecretKey;
import javax.crypto.spec.GCMParameterSpec;

/**
 * Seals passwords with AES-256-GCM. The additional authenticated data binds a ciphertext to its site, its
 * credential version and its key id, so a sealed value copied onto another row does not open.
 */
public final class Sealer {

  private static final String TRANSFORMATION = "AES/GCM/NoPadding";
  private static final int NONCE_BYTES = 12;
  private static final int TAG_BITS = 128;

  private final KeyRing keyRing;
  private final SecureRandom random = new SecureRandom();
  // One Cipher per thread (event loops and workers are few and long-lived), initialised afresh for every value:
  // getInstance looks the provider up under a lock, and a reused AES engine keeps the expanded key of the last
  // key it saw instead of expanding it again.
  private final ThreadLocal<Cipher> ciphers = ThreadLocal.withInitial(Sealer::newCipher);

  public Sealer(KeyRing keyRing) {
    this.keyRing = keyRing;
  }

  public KeyRing keyRing() {
    return keyRing;
  }

  /** Seals {@code password} of version {@code versionId} of site {@code siteId} under the active key. */
  public Sealed seal(String password, UUID siteId, UUID versionId) {
    byte[] nonce = new byte[NONCE_BYTES];
    random.nextBytes(nonce);
    String keyId = keyRing.activeKeyId();
    try {
      Cipher cipher = ciphers.get();
      cipher.init(Cipher.ENCRYPT_MODE, keyRing.activeKey(), new GCMParameterSpec(TAG_BITS, nonce));
      cipher.updateAAD(aad(siteId, versionId, keyId));
      return new Sealed(keyId, nonce, cipher.doFinal(password.getBytes(StandardCharsets.UTF_8)));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("sealing failed", e);
    }
  }

  /**
   * Opens a value sealed for {@code siteId}/{@code versionId}.
   *
   * @throws SealingException when the key is unknown or the value, its nonce or its binding were altered
   */
  public String open(Sealed sealed, UUID siteId, UUID versionId) {
    SecretKey key = keyRing.key(sealed.keyId());
    if (key == null) {
      throw new SealingException("no key " + sealed.keyId() + " in the key ring");
    }
    try {
      Cipher cipher = ciphers.get();
      cipher.init(Cipher.DECRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, sealed.nonce()));
      cipher.updateAAD(aad(siteId, versionId, sealed.keyId()));
      return new String(cipher.doFinal(sealed.ciphertext()), StandardCharsets.UTF_8);
    } catch (GeneralSecurityException | IllegalArgumentException e) {
      throw new SealingException("sealed value of version " + versionId + " does not open");
    }
  }

  private static Cipher newCipher() {
    try {
      return Cipher.getInstance(TRANSFORMATION);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(TRANSFORMATION + " is not available", e);
    }
  }

  private static byte[] aad(UUID siteId, UUID versionId, String keyId) {
    return ("cp-credential-v1|" + siteId + "|" + versionId + "|" + keyId).getBytes(StandardCharsets.UTF_8);
  }

  /** A sealed value that cannot be opened: unknown key, or tampered with. */
  public static final class SealingException extends RuntimeException {
    public SealingException(String message) {
      super(message, null, false, false);
    }
  }
}
