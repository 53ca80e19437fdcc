package controlplane.device.testing;

import io.vertx.core.net.KeyCertOptions;
import io.netty.handler.ssl.util.SelfSignedCertificate;
import io.vertx.core.net.PemKeyCertOptions;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.util.HexFormat;

/**
 * A certificate for a test router: its key and certificate for a TLS server, its PEM (to trust it as an authority)
 * and its SHA-256 fingerprint, computed here independently of the client's code.
 */
public record TestCertificate(KeyCertOptions keyCert, String pem, String fingerprint) {

  /**
   * A fresh self-signed certificate for {@code name} (its CN and DNS name); it names no IP address. EC P-256: made
   * in milliseconds, where an RSA key takes seconds on a small machine.
   */
  public static TestCertificate selfSigned(String name) {
    try {
      SelfSignedCertificate cert = new SelfSignedCertificate(name, "EC", 256);
      String pem = Files.readString(cert.certificate().toPath(), StandardCharsets.US_ASCII);
      return new TestCertificate(new PemKeyCertOptions().setCertPath(cert.certificate().getPath())
          .setKeyPath(cert.privateKey().getPath()), pem, fingerprint(pem));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (CertificateException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Lower-case hex SHA-256 of the DER encoding of the first certificate in {@code pem}. */
  public static String fingerprint(String pem) {
    try {
      byte[] der = CertificateFactory.getInstance("X.509")
          .generateCertificate(new ByteArrayInputStream(pem.getBytes(StandardCharsets.US_ASCII))).getEncoded();
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(der));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }
}
