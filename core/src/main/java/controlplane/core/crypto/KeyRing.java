package controlplane.core.crypto;

import controlplane.core.CoreConfig;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import javax.crypto.SecretKey;
import javax.crypto.spec.SecretKeySpec;

/**
 * AES-256 keys by id. New values are sealed with the active key; every key of the ring can still open the values
 * sealed with it, so a key can be rotated by adding a new active key and running the {@link Resealer}.
 */
public final class KeyRing {

  private final Map<String, SecretKey> keys;
  private final String activeKeyId;

  private KeyRing(Map<String, SecretKey> keys, String activeKeyId) {
    this.keys = keys;
    this.activeKeyId = activeKeyId;
  }

  /**
   * A key ring from {@code keyId -> base64 of 32 bytes}. {@code activeKeyId} may be null when there is exactly one
   * key.
   *
   * @throws IllegalArgumentException when a key is not 32 bytes of base64, or the active key is missing
   */
  public static KeyRing of(Map<String, String> base64Keys, String activeKeyId) {
    if (base64Keys == null || base64Keys.isEmpty()) {
      throw new IllegalArgumentException("crypto.keys is empty");
    }
    Map<String, SecretKey> keys = new LinkedHashMap<>();
    base64Keys.forEach((id, b64) -> {
      byte[] raw;
      try {
        raw = Base64.getDecoder().decode(b64.trim());
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException("crypto.keys." + id + " is not base64");
      }
      if (raw.length != 32) {
        throw new IllegalArgumentException("crypto.keys." + id + " must be 32 bytes, not " + raw.length);
      }
      keys.put(id, new SecretKeySpec(raw, "AES"));
    });
    String active = activeKeyId;
    if (active == null || active.isBlank()) {
      if (keys.size() != 1) {
        throw new IllegalArgumentException("crypto.activeKey must name one of " + keys.keySet());
      }
      active = keys.keySet().iterator().next();
    }
    if (!keys.containsKey(active)) {
      throw new IllegalArgumentException("crypto.activeKey " + active + " is not in crypto.keys");
    }
    return new KeyRing(Map.copyOf(keys), active);
  }

  /** The key ring of the configuration. */
  public static KeyRing of(CoreConfig.Crypto crypto) {
    return of(crypto.keys(), crypto.activeKey());
  }

  /** The id of the key new values are sealed with. */
  public String activeKeyId() {
    return activeKeyId;
  }

  SecretKey activeKey() {
    return keys.get(activeKeyId);
  }

  /** The key with this id, or null. */
  SecretKey key(String keyId) {
    return keys.get(keyId);
  }

  /** The ids of every key of the ring. */
  public Set<String> keyIds() {
    return keys.keySet();
  }

  @Override
  public String toString() {
    return "KeyRing[keys=" + keys.keySet() + ", active=" + activeKeyId + "]";
  }
}
