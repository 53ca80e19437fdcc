package controlplane.device.client;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.cert.CertificateEncodingException;
import java.security.cert.X509Certificate;
import java.util.HexFormat;
import java.util.regex.Pattern;

/**
 * The identity a router's API-SSL certificate is pinned by: the SHA-256 of its DER encoding, as 64 lower-case hex
 * digits without separators (what {@code openssl x509 -noout -fingerprint -sha256} prints, colons removed and
 * lower-cased).
 */
public final class CertificateFingerprint {

  private static final Pattern FORMAT = Pattern.compile("[0-9a-f]{64}");

  private CertificateFingerprint() {
  }

  public static String of(X509Certificate certificate) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(certificate.getEncoded()));
    } catch (CertificateEncodingException e) {
      throw new IllegalArgumentException("certificate cannot be encoded", e);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is required of every JDK", e);
    }
  }

  /** Whether {@code fingerprint} is in the one accepted form. */
  public static boolean isWellFormed(String fingerprint) {
    return fingerprint != null && FORMAT.matcher(fingerprint).matches();
  }
}
