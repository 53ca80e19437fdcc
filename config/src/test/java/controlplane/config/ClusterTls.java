package controlplane.config;

import io.netty.handler.ssl.util.SelfSignedCertificate;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * PEM files for the event bus's mutual TLS in tests: a self-signed certificate that is its own CA, so every process
 * given these three files trusts the others, and a process given another CA does not.
 */
final class ClusterTls {

  record Files(Path cert, Path key, Path ca) {
  }

  private ClusterTls() {
  }

  /** Writes {@code name}'s certificate, key and CA (the certificate itself) under {@code dir}. */
  static Files write(Path dir, String name) throws IOException {
    try {
      java.nio.file.Files.createDirectories(dir);
      SelfSignedCertificate cert = new SelfSignedCertificate(name, "EC", 256);
      Path certPem = dir.resolve(name + "-cert.pem");
      Path keyPem = dir.resolve(name + "-key.pem");
      Path caPem = dir.resolve(name + "-ca.pem");
      java.nio.file.Files.copy(cert.certificate().toPath(), certPem, StandardCopyOption.REPLACE_EXISTING);
      java.nio.file.Files.copy(cert.privateKey().toPath(), keyPem, StandardCopyOption.REPLACE_EXISTING);
      java.nio.file.Files.copy(cert.certificate().toPath(), caPem, StandardCopyOption.REPLACE_EXISTING);
      cert.delete();
      return new Files(certPem, keyPem, caPem);
    } catch (java.security.cert.CertificateException e) {
      throw new IOException(e);
    }
  }
}
