package controlplane.core.crypto;

/**
 * A sealed secret as stored: AES-256-GCM ciphertext with its tag, the 12-byte nonce and the id of the key.
 *
 * @param keyId      the key that sealed it
 * @param nonce      12 random bytes, fresh for every seal
 * @param ciphertext ciphertext followed by the 16-byte tag
 */
public record Sealed(String keyId, byte[] nonce, byte[] ciphertext) {
  @Override
  public String toString() {
    return "Sealed[keyId=" + keyId + ", " + ciphertext.length + " bytes]";
  }
}
