package controlplane.config;

import controlplane.http.HttpConfig;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Optional;

/**
 * Secrets an embedded-mode install keeps in its data directory when the configuration names none: the sealing key
 * (with an id of its own, {@code local-} and 8 random hex digits, unique per data directory) and the HS256 secret
 * that signs the printed token. Each is generated once ({@link SecretFile}) and reused. Production mode uses none of
 * this. Blocking: call from a worker.
 */
final class DataDirSecrets {

  /** The id of a sealing key generated before ids were random: its file holds the key alone. */
  static final String LEGACY_SEALING_KEY_ID = "local-1";
  static final String SEALING_KEY_FILE = "sealing-key";
  static final String JWT_SECRET_FILE = "jwt-dev-secret";
  private static final SecureRandom RANDOM = new SecureRandom();

  /** Which secrets came from the data directory. */
  record Used(boolean sealingKey, boolean jwtSecret) {
  }

  private DataDirSecrets() {
  }

  /**
   * Fills {@code crypto.keys}/{@code crypto.activeKey} when no key is configured and {@code auth.jwt.hs256Secret}
   * when no JWT key of any kind is configured, from (or into) the data directory {@code lock} holds.
   */
  static Used fill(JsonObject config, DataDirLock lock) throws IOException {
    JsonObject crypto = config.getJsonObject("crypto");
    JsonObject keys = crypto.getJsonObject("keys", new JsonObject());
    boolean sealingKey = keys.isEmpty();
    if (sealingKey) {
      String[] idAndKey = sealingKey(lock);
      keys.put(idAndKey[0], idAndKey[1]);
      crypto.put("keys", keys).put("activeKey", idAndKey[0]);
    } else if (crypto.getString("activeKey") == null && keys.size() == 1) {
      crypto.put("activeKey", keys.fieldNames().iterator().next());
    }
    JsonObject jwt = config.getJsonObject("auth").getJsonObject("jwt");
    boolean jwtSecret = !jwtKeyConfigured(config);
    if (jwtSecret) {
      jwt.put("hs256Secret", SecretFile.readOrCreate(lock, JWT_SECRET_FILE, () -> base64(32)));
    }
    return new Used(sealingKey, jwtSecret);
  }

  /** The file's key id and key: one line {@code "<id> <base64 key>"}, or the key alone (id {@code local-1}). */
  private static String[] sealingKey(DataDirLock lock) throws IOException {
    String line = SecretFile.readOrCreate(lock, SEALING_KEY_FILE,
        () -> "local-" + HexFormat.of().formatHex(random(4)) + " " + base64(32));
    String[] parts = line.split("\\s+");
    if (parts.length == 1) {
      return new String[] {LEGACY_SEALING_KEY_ID, parts[0]};
    }
    if (parts.length != 2) {
      throw new IOException(lock.dir().resolve(SEALING_KEY_FILE) + " is not one line \"<key id> <base64 key>\"");
    }
    return parts;
  }

  /** Whether {@code auth.jwt} names any key (HS256 secret, public keys or a JWKS URL). */
  static boolean jwtKeyConfigured(JsonObject config) {
    return HttpConfig.fromJson(config).hasKeys();
  }

  /** The development JWT secret a service already generated into {@code dataDir}; never creates one. */
  static Optional<String> existingJwtSecret(Path dataDir) throws IOException {
    Path file = dataDir.resolve(JWT_SECRET_FILE);
    return Files.exists(file) ? Optional.of(SecretFile.read(file)) : Optional.empty();
  }

  static byte[] random(int bytes) {
    byte[] out = new byte[bytes];
    RANDOM.nextBytes(out);
    return out;
  }

  private static String base64(int bytes) {
    return Base64.getEncoder().encodeToString(random(bytes));
  }
}
