package controlplane.device.client;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/** The pre-6.43 challenge login: {@code "00" + hex(md5(0x00 + password + decoded challenge))}. */
public final class LegacyLogin {

  private LegacyLogin() {
  }

  /**
   * The {@code =response=} value for {@code password} and the {@code =ret=} challenge of the router.
   *
   * @throws IllegalArgumentException when the challenge is not hexadecimal
   */
  public static String response(String password, String challengeHex) {
    byte[] challenge = HexFormat.of().parseHex(challengeHex);
    MessageDigest md5;
    try {
      md5 = MessageDigest.getInstance("MD5");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("MD5 is required of every JDK", e);
    }
    md5.update((byte) 0);
    md5.update(password.getBytes(StandardCharsets.UTF_8));
    md5.update(challenge);
    return "00" + HexFormat.of().formatHex(md5.digest());
  }
}
