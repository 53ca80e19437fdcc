package controlplane.config;

import static org.assertj.core.api.Assertions.assertThat;

import controlplane.simulator.Fleet;
import controlplane.simulator.RouterSpec;
import controlplane.simulator.SimulatorVerticle;
import controlplane.simulator.UserSpec;
import io.vertx.core.Vertx;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.cert.CertificateFactory;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** {@code login} against a simulated router on a real socket. */
class RouterLoginCheckTest {

  private static final String PASSWORD = "s3cret-in-use";
  private static Vertx vertx;
  private static String port;
  private static String sslPort;
  /** SHA-256 of the simulator's API-SSL certificate. */
  private static String fingerprint;

  @BeforeAll
  static void router() throws Exception {
    port = freePort();
    sslPort = freePort();
    vertx = Vertx.vertx();
    RouterSpec router = RouterSpec.of("r", "127.0.0.1", Integer.parseInt(port), "7.19.1",
        List.of(new UserSpec("altostrat-api", "full", PASSWORD))).withApiSslPort(Integer.parseInt(sslPort));
    SimulatorVerticle simulator = new SimulatorVerticle(Fleet.of(List.of(router)), null);
    vertx.deployVerticle(simulator).await(60, TimeUnit.SECONDS);
    byte[] der = CertificateFactory.getInstance("X.509").generateCertificate(new ByteArrayInputStream(
        simulator.simulator().certificatePem().getBytes(StandardCharsets.US_ASCII))).getEncoded();
    fingerprint = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(der));
  }

  private static String freePort() throws Exception {
    return String.valueOf(FreePorts.next());
  }

  @AfterAll
  static void close() throws Exception {
    vertx.close().await(60, TimeUnit.SECONDS);
  }

  private static CommandRun login(Map<String, String> env, String stdin) {
    return CommandRun.with(env, stdin, "login", "--host", "127.0.0.1", "--port", port, "--user", "altostrat-api");
  }

  @Test
  @DisplayName("the password comes from CP_LOGIN_PASSWORD, else from a line of standard input; it is never printed")
  void passwordFromEnvironmentOrStandardInput() {
    String ok = "login ok: altostrat-api@127.0.0.1:" + port + " (RouterOS 7.19.1 (stable))\n";

    CommandRun fromEnv = login(Map.of(RouterLoginCheck.PASSWORD_ENV, PASSWORD), "");
    assertThat(fromEnv.status()).isZero();
    assertThat(fromEnv.out()).isEqualTo(ok);

    CommandRun fromStdin = login(Map.of(), PASSWORD + "\n");
    assertThat(fromStdin.status()).isZero();
    assertThat(fromStdin.out()).isEqualTo(ok);

    CommandRun envWins = login(Map.of(RouterLoginCheck.PASSWORD_ENV, "bootstrap-1"), PASSWORD + "\n");
    assertThat(envWins.status()).isEqualTo(1);
    assertThat(envWins.out()).startsWith("login failed: altostrat-api@127.0.0.1:" + port + ": ")
        .doesNotContain("bootstrap-1");

    CommandRun wrong = login(Map.of(), "bootstrap-1\n");
    assertThat(wrong.status()).isEqualTo(1);
    assertThat(wrong.out()).startsWith("login failed: ").doesNotContain("bootstrap-1");

    for (CommandRun run : List.of(fromEnv, fromStdin, envWins, wrong)) {
      assertThat(run.out() + run.err()).doesNotContain(PASSWORD);
    }
  }

  @Test
  @DisplayName("API-SSL: prints the certificate's fingerprint; with --tls-fingerprint of another certificate it fails")
  void tls() {
    Map<String, String> env = Map.of(RouterLoginCheck.PASSWORD_ENV, PASSWORD);
    CommandRun any = CommandRun.with(env, "", "login", "--host", "127.0.0.1", "--port", sslPort, "--tls");
    assertThat(any.status()).as(any.out()).isZero();
    assertThat(any.out()).isEqualTo("login ok: altostrat-api@127.0.0.1:" + sslPort
        + " (RouterOS 7.19.1 (stable)), tls_fingerprint " + fingerprint + "\n");

    CommandRun pinned = CommandRun.with(env, "", "login", "--host", "127.0.0.1", "--port", sslPort, "--tls",
        "--tls-fingerprint", fingerprint);
    assertThat(pinned.status()).isZero();

    CommandRun other = CommandRun.with(env, "", "login", "--host", "127.0.0.1", "--port", sslPort, "--tls",
        "--tls-fingerprint", "0".repeat(64));
    assertThat(other.status()).isEqualTo(1);
    assertThat(other.out()).startsWith("login failed: ").contains("not the pinned one").contains(fingerprint);
  }

  @Test
  @DisplayName("with neither the variable nor a line on standard input: says where the password is read from, exit 1")
  void noPassword() {
    CommandRun run = login(Map.of(), "");
    assertThat(run.status()).isEqualTo(1);
    assertThat(run.err()).isEqualTo("login: no password: set CP_LOGIN_PASSWORD or write it on standard input\n");
  }
}
