package controlplane.core;

import io.vertx.core.net.ClientSSLOptions;
import io.vertx.core.net.PemTrustOptions;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.pgclient.SslMode;
import java.io.IOException;
import java.io.InputStream;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.cert.CertificateFactory;
import java.util.List;

/**
 * The TLS parameters of {@code database.url}'s query, named as libpq and PgJDBC name them: {@code sslmode} and
 * {@code sslrootcert} (a PEM file of the CA certificates the server's certificate must chain to). Both connections
 * of core get them: the JDBC one of the migrations (Flyway) and the Vert.x pool. Without {@code sslmode} neither
 * uses TLS (the Vert.x client's default; PgJDBC, whose own default is {@code prefer}, is told {@code disable}).
 *
 * @param sslMode     one of {@link #MODES}, or null when the URL names none
 * @param sslRootCert path of the PEM file, or null
 */
public record DatabaseTls(String sslMode, String sslRootCert) {

  /** libpq's modes, weakest first. */
  public static final List<String> MODES = List.of("disable", "allow", "prefer", "require", "verify-ca",
      "verify-full");

  /** The parameters of {@code url}'s query (the rest of the query is left to the clients). */
  public static DatabaseTls of(String url) {
    String mode = null;
    String rootCert = null;
    int q = url == null ? -1 : url.indexOf('?');
    if (q >= 0) {
      for (String pair : url.substring(q + 1).split("&")) {
        int eq = pair.indexOf('=');
        String key = eq < 0 ? pair : pair.substring(0, eq);
        String value = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
        if (key.equals("sslmode")) {
          mode = value;
        } else if (key.equals("sslrootcert")) {
          rootCert = value;
        }
      }
    }
    return new DatabaseTls(mode, rootCert);
  }

  /** The mode both clients use: {@code disable} when the URL names none. */
  public String effectiveMode() {
    return sslMode == null ? "disable" : sslMode;
  }

  /** The query of the JDBC URL: always an {@code sslmode}, and the {@code sslrootcert} when given. */
  public String jdbcQuery() {
    String query = "?sslmode=" + encode(effectiveMode());
    return sslRootCert == null ? query : query + "&sslrootcert=" + encode(sslRootCert);
  }

  /**
   * {@code options} with the mode and trust of these parameters. As libpq: {@code allow}, {@code prefer} and
   * {@code require} encrypt without checking the server's certificate unless {@code sslrootcert} is given;
   * {@code verify-ca} checks that it chains to {@code sslrootcert}; {@code verify-full} also that it names the host.
   * Reads no file (the pool reads the PEM when it connects).
   */
  public PgConnectOptions applyTo(PgConnectOptions options) {
    String mode = effectiveMode();
    options.setSslMode(SslMode.of(mode));
    if (mode.equals("disable")) {
      return options;
    }
    ClientSSLOptions ssl = new ClientSSLOptions().setHostnameVerificationAlgorithm(
        mode.equals("verify-full") ? "HTTPS" : "");
    if (sslRootCert != null) {
      ssl.setTrustOptions(new PemTrustOptions().addCertPath(sslRootCert));
    } else {
      ssl.setTrustAll(true);
    }
    return options.setSslOptions(ssl);
  }

  /**
   * Null when the parameters can be used, else what is wrong, naming {@code database.url} (never its password): an
   * unknown mode, a verifying mode without {@code sslrootcert}, a {@code sslrootcert} no TLS mode uses, or one that is
   * no readable PEM certificate. Reads the file: not on an event loop.
   */
  public String problem() {
    if (sslMode != null && !MODES.contains(sslMode)) {
      return "database.url: sslmode=" + sslMode + " is not one of " + String.join(", ", MODES);
    }
    if (sslRootCert == null) {
      return sslMode != null && sslMode.startsWith("verify-") ? "database.url: sslmode=" + sslMode
          + " needs sslrootcert=<PEM file of the CA that signed the server's certificate>" : null;
    }
    if (effectiveMode().equals("disable")) {
      return "database.url: sslrootcert is set but sslmode is " + (sslMode == null ? "not" : "disable")
          + ", so no TLS is used: set sslmode=verify-full";
    }
    Path file = Path.of(sslRootCert);
    try (InputStream in = Files.newInputStream(file)) {
      if (CertificateFactory.getInstance("X.509").generateCertificates(in).isEmpty()) {
        return "database.url: sslrootcert " + sslRootCert + " holds no certificate";
      }
    } catch (IOException e) {
      return "database.url: sslrootcert " + sslRootCert + " cannot be read (" + e.getClass().getSimpleName() + ")";
    } catch (GeneralSecurityException e) {
      return "database.url: sslrootcert " + sslRootCert + " is not a PEM certificate file";
    }
    return null;
  }

  private static String encode(String value) {
    return URLEncoder.encode(value, StandardCharsets.UTF_8);
  }
}
