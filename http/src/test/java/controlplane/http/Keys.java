package controlplane.http;

import io.vertx.core.json.JsonObject;
import java.math.BigInteger;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.ECGenParameterSpec;
import java.util.Arrays;
import java.util.Base64;

/** Test key pairs as PEM, and an RSA public key as a JWK. */
final class Keys {

  static final KeyPair RSA = generate("RSA");
  static final KeyPair RSA_OTHER = generate("RSA");
  static final KeyPair EC = generate("EC");

  private Keys() {
  }

  static String publicPem(KeyPair pair) {
    return pem("PUBLIC KEY", pair.getPublic().getEncoded());
  }

  static String privatePem(KeyPair pair) {
    return pem("PRIVATE KEY", pair.getPrivate().getEncoded());
  }

  static JsonObject rsaJwk(KeyPair pair, String kid) {
    RSAPublicKey key = (RSAPublicKey) pair.getPublic();
    return new JsonObject()
      .put("kty", "RSA")
      .put("use", "sig")
      .put("kid", kid)
      .put("n", b64url(key.getModulus()))
      .put("e", b64url(key.getPublicExponent()));
  }

  private static String b64url(BigInteger value) {
    byte[] bytes = value.toByteArray();
    if (bytes.length > 1 && bytes[0] == 0) {
      bytes = Arrays.copyOfRange(bytes, 1, bytes.length);
    }
    return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
  }

  private static String pem(String type, byte[] der) {
    return "-----BEGIN " + type + "-----\n"
      + Base64.getMimeEncoder(64, "\n".getBytes()).encodeToString(der)
      + "\n-----END " + type + "-----\n";
  }

  private static KeyPair generate(String algorithm) {
    try {
      KeyPairGenerator generator = KeyPairGenerator.getInstance(algorithm);
      if (algorithm.equals("EC")) {
        generator.initialize(new ECGenParameterSpec("secp256r1"));
      } else {
        generator.initialize(2048);
      }
      return generator.generateKeyPair();
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }
}
