package controlplane.config;

import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Optional;

/**
 * Secrets a development install keeps in its data directory when the configuration names none: the sealing key
 * and the HS256 secret that signs the printed token. Each is generated once (mode 0600) and reused. Blocking: call
 * from a worker.
 */
public final class DataDirSecrets {

  public static final String SEALING_KEY_ID = "local-1";
  static final String SEALING_KEY_FILE = "sealing-key";
  static final String JWT_SECRET_FILE = "jwt-dev-secret";

  private DataDirSecrets() {
  }

  /**
   * Fills {@code crypto.keys}/{@code crypto.activeKey} and, when no JWT key of any kind is configured,
   * {@code auth.jwt.hs256Secret}. Returns whether the JWT secret is the generated development one.
   */
  public static boolean fill(JsonObject config, Path dataDir) throws IOException {
    JsonObject crypto = config.getJsonObject("crypto");
    JsonObject keys = crypto.getJsonObject("keys", new JsonObject());
    if (keys.isEmpty()) {
      keys.put(SEALING_KEY_ID, readOrCreate(dataDir.resolve(SEALING_KEY_FILE)));
      crypto.put("keys", keys).put("activeKey", SEALING_KEY_ID);
    } else if (crypto.getString("activeKey") == null && keys.size() == 1) {
      crypto.put("activeKey", keys.fieldNames().iterator().next());
    }
    JsonObject jwt = config.getJsonObject("auth").getJsonObject("jwt");
    boolean noKeys = !jwtKeyConfigured(config);
    if (noKeys) {
      jwt.put("hs256Secret", readOrCreate(dataDir.resolve(JWT_SECRET_FILE)));
    }
    return noKeys;
  }

  /** Whether {@code auth.jwt} names any key (HS256 secret, public keys or a JWKS URL). */
  static boolean jwtKeyConfigured(JsonObject config) {
    JsonObject jwt = config.getJsonObject("auth").getJsonObject("jwt");
    return jwt.getString("hs256Secret") != null
        || (jwt.getJsonArray("publicKeys") != null && !jwt.getJsonArray("publicKeys").isEmpty())
        || jwt.getString("jwksUrl") != null;
  }

  /** The development JWT secret a service already generated into {@code dataDir}; never creates one. */
  static Optional<String> existingJwtSecret(Path dataDir) throws IOException {
    Path file = dataDir.resolve(JWT_SECRET_FILE);
    if (!Files.exists(file)) {
      return Optional.empty();
    }
    return Optional.of(Files.readString(file, StandardCharsets.US_ASCII).trim());
  }

  /** The base64 of 32 random bytes stored in {@code file}, created with mode 0600 when absent. */
  static String readOrCreate(Path file) throws IOException {
    if (Files.exists(file)) {
      return Files.readString(file, StandardCharsets.US_ASCII).trim();
    }
    Files.createDirectories(file.getParent());
    byte[] key = new byte[32];
    new SecureRandom().nextBytes(key);
    String encoded = Base64.getEncoder().encodeToString(key);
    Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
    Files.deleteIfExists(tmp);
    Files.createFile(tmp, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
    Files.writeString(tmp, encoded + "\n", StandardCharsets.US_ASCII);
    try {
      Files.move(tmp, file, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
    } catch (FileAlreadyExistsException raced) {
      Files.deleteIfExists(tmp);
      return Files.readString(file, StandardCharsets.US_ASCII).trim();
    }
    return encoded;
  }
}
