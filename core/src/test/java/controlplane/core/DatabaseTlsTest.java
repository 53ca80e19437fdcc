package controlplane.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netty.handler.ssl.util.SelfSignedCertificate;
import io.vertx.core.net.PemTrustOptions;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.pgclient.SslMode;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code database.url}'s TLS parameters reach both connections of core: the JDBC URL (Flyway) and the pool's. */
class DatabaseTlsTest {

  private static final String BASE = "postgresql://cp:s%40cret@db.example:6543/control";

  @TempDir
  Path dir;

  private static CoreConfig.Database db(String url) {
    return new CoreConfig.Database(url, 4);
  }

  @Test
  @DisplayName("no sslmode: no TLS on either connection (PgJDBC, whose default is prefer, is told disable)")
  void noTls() {
    assertThat(db(BASE).jdbcUrl()).isEqualTo("jdbc:postgresql://db.example:6543/control?sslmode=disable");
    PgConnectOptions o = db(BASE).connectOptions();
    assertThat(o.getSslMode()).isEqualTo(SslMode.DISABLE);
    assertThat(o.getPassword()).isEqualTo("s@cret");
    assertThat(db(BASE).tls().problem()).isNull();
    assertThat(db(BASE + "?sslmode=disable").connectOptions().getSslMode()).isEqualTo(SslMode.DISABLE);
  }

  @Test
  @DisplayName("verify-full with sslrootcert: both connections check the chain against the PEM and the host name")
  void verifyFull() throws Exception {
    Path ca = caFile();
    String url = BASE + "?sslmode=verify-full&sslrootcert=" + ca + "&application_name=cp";
    assertThat(db(url).jdbcUrl()).isEqualTo("jdbc:postgresql://db.example:6543/control?sslmode=verify-full"
        + "&sslrootcert=" + ca.toString().replace("/", "%2F"));
    PgConnectOptions o = db(url).connectOptions();
    assertThat(o.getSslMode()).isEqualTo(SslMode.VERIFY_FULL);
    assertThat(o.getSslOptions().getHostnameVerificationAlgorithm()).isEqualTo("HTTPS");
    assertThat(o.getSslOptions().isTrustAll()).isFalse();
    assertThat(((PemTrustOptions) o.getSslOptions().getTrustOptions()).getCertPaths()).containsExactly(ca.toString());
    assertThat(o.getProperties()).containsEntry("application_name", "cp");
    assertThat(o.getCachePreparedStatements()).isTrue();
    assertThat(db(url).tls().problem()).isNull();
  }

  @Test
  @DisplayName("verify-ca checks the chain, not the host name; a percent-encoded path is decoded")
  void verifyCa() throws Exception {
    Path ca = caFile();
    PgConnectOptions o = db(BASE + "?sslrootcert=" + ca.toString().replace("/", "%2F") + "&sslmode=verify-ca")
        .connectOptions();
    assertThat(o.getSslMode()).isEqualTo(SslMode.VERIFY_CA);
    assertThat(o.getSslOptions().getHostnameVerificationAlgorithm()).isEmpty();
    assertThat(((PemTrustOptions) o.getSslOptions().getTrustOptions()).getCertPaths()).containsExactly(ca.toString());
  }

  @Test
  @DisplayName("require and prefer encrypt without checking the certificate (as libpq), unless sslrootcert is given")
  void requireAndPrefer() throws Exception {
    PgConnectOptions require = db(BASE + "?sslmode=require").connectOptions();
    assertThat(require.getSslMode()).isEqualTo(SslMode.REQUIRE);
    assertThat(require.getSslOptions().isTrustAll()).isTrue();
    assertThat(db(BASE + "?sslmode=require").jdbcUrl()).endsWith("/control?sslmode=require");
    assertThat(db(BASE + "?sslmode=prefer").connectOptions().getSslMode()).isEqualTo(SslMode.PREFER);
    assertThat(db(BASE + "?sslmode=allow").connectOptions().getSslMode()).isEqualTo(SslMode.ALLOW);

    Path ca = caFile();
    PgConnectOptions checked = db(BASE + "?sslmode=require&sslrootcert=" + ca).connectOptions();
    assertThat(checked.getSslOptions().isTrustAll()).isFalse();
    assertThat(checked.getSslOptions().getTrustOptions()).isInstanceOf(PemTrustOptions.class);
  }

  @Test
  @DisplayName("unusable TLS parameters are refused naming database.url, never its password")
  void refusals() throws Exception {
    assertThat(db(BASE + "?sslmode=verify-full").tls().problem()).isEqualTo("database.url: sslmode=verify-full needs"
        + " sslrootcert=<PEM file of the CA that signed the server's certificate>");
    assertThat(db(BASE + "?sslmode=verify-ca").tls().problem()).startsWith("database.url: sslmode=verify-ca needs");
    assertThat(db(BASE + "?sslmode=strict").tls().problem()).isEqualTo("database.url: sslmode=strict is not one of"
        + " disable, allow, prefer, require, verify-ca, verify-full");
    assertThatThrownBy(() -> db(BASE + "?sslmode=strict").connectOptions())
        .isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith("database.url: sslmode=strict")
        .message().doesNotContain("s@cret", "s%40cret");
    Path ca = caFile();
    assertThat(db(BASE + "?sslrootcert=" + ca).tls().problem()).isEqualTo("database.url: sslrootcert is set but"
        + " sslmode is not, so no TLS is used: set sslmode=verify-full");
    assertThat(db(BASE + "?sslmode=disable&sslrootcert=" + ca).tls().problem()).contains("sslmode is disable");
    Path missing = dir.resolve("missing.pem");
    assertThat(db(BASE + "?sslmode=verify-full&sslrootcert=" + missing).tls().problem())
        .isEqualTo("database.url: sslrootcert " + missing + " cannot be read (NoSuchFileException)");
    Path garbage = Files.writeString(dir.resolve("garbage.pem"), "not a certificate\n");
    assertThat(db(BASE + "?sslmode=verify-full&sslrootcert=" + garbage).tls().problem())
        .isEqualTo("database.url: sslrootcert " + garbage + " is not a PEM certificate file");
  }

  private Path caFile() throws Exception {
    SelfSignedCertificate cert = new SelfSignedCertificate("db.example", "EC", 256);
    Path ca = dir.resolve("root.crt");
    Files.copy(cert.certificate().toPath(), ca);
    cert.delete();
    return ca;
  }
}
