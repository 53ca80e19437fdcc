package controlplane.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import controlplane.core.ConfigurationException;
import controlplane.core.testing.TestDatabase;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.pgclient.PgConnectOptions;
import java.io.IOException;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyPairGenerator;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The two modes, as the service starts in each: real processes, a real PostgreSQL. */
class ModesTest {

  private static final String JWT_SECRET = "modes-test-secret-0123456789abcdef";
  private static final String PEM = ecPublicKeyPem();

  @TempDir
  Path dir;

  private static String ecPublicKeyPem() {
    try {
      KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
      generator.initialize(256);
      return "-----BEGIN PUBLIC KEY-----\n" + Base64.getMimeEncoder().encodeToString(generator.generateKeyPair()
          .getPublic().getEncoded()) + "\n-----END PUBLIC KEY-----\n";
    } catch (java.security.GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  private static String newKey() {
    byte[] key = new byte[32];
    new SecureRandom().nextBytes(key);
    return Base64.getEncoder().encodeToString(key);
  }

  @Test
  @DisplayName("production without crypto.keys exits 1 at once: one line naming crypto.keys, no stack trace, "
      + "nothing generated, not the database password")
  void productionWithoutKeysRefuses() throws Exception {
    Path config = dir.resolve("cp.yaml");
    Files.writeString(config, """
        http: { host: 127.0.0.1, port: %d }
        auth: { jwt: { hs256Secret: "%s" } }
        database: { url: "postgresql://cp:made-up-db-password@127.0.0.1:1/cp" }
        dataDir: "%s"
        """.formatted(ServiceRun.freePort(), JWT_SECRET, dir.resolve("data")));
    try (ServiceRun run = ServiceRun.start(config, dir.resolve("out.log"))) {
      assertThat(run.awaitExit()).isEqualTo(1);
      assertThat(run.lines()).filteredOn(l -> l.contains("start-up failed")).singleElement().asString()
          .endsWith("start-up failed: crypto.keys is not set: production mode (database.url is set) generates no "
              + "sealing key; configure crypto.keys and crypto.activeKey (docs/OPERATIONS.md)");
      assertThat(run.output()).doesNotContain("\tat ", "Exception", "made-up-db-password", "TOKEN");
    }
    assertThat(dir.resolve("data")).doesNotExist();
  }

  static Stream<Arguments> refusals() {
    Consumer<JsonObject> production = c -> c.getJsonObject("database")
        .put("url", "postgresql://cp:pw@127.0.0.1:1/cp");
    Consumer<JsonObject> keys = c -> c.getJsonObject("crypto").put("keys", new JsonObject().put("k1", newKey()))
        .put("activeKey", "k1");
    Consumer<JsonObject> hs256 = c -> jwt(c).put("hs256Secret", JWT_SECRET);
    return Stream.of(
        Arguments.of("production, no crypto.activeKey",
            production.andThen(hs256).andThen(c -> c.getJsonObject("crypto")
                .put("keys", new JsonObject().put("k1", newKey()))),
            "crypto.activeKey is not set: production mode (database.url is set) generates no sealing key"),
        Arguments.of("production, no JWT key", production.andThen(keys),
            "auth.jwt.hs256Secret, auth.jwt.publicKeys or auth.jwt.jwksUrl is not set: production mode "
                + "(database.url is set) generates no JWT secret"),
        Arguments.of("production, a JWKS without an issuer",
            production.andThen(keys).andThen(c -> jwt(c).put("jwksUrl", "https://idp.example/jwks")
                .put("audience", "cp")),
            "auth.jwt.issuer is not set: it is required with auth.jwt.jwksUrl"),
        Arguments.of("embedded, public keys without an audience",
            (Consumer<JsonObject>) c -> jwt(c).put("publicKeys", new JsonArray().add(PEM)).put("issuer", "idp"),
            "auth.jwt.audience is not set: it is required with auth.jwt.publicKeys"),
        Arguments.of("production, a key of 3 bytes",
            production.andThen(hs256).andThen(c -> c.getJsonObject("crypto")
                .put("keys", new JsonObject().put("k1", "AAAA")).put("activeKey", "k1")),
            "crypto.keys.k1 must be 32 bytes, not 3"),
        Arguments.of("production, a database.url that is no URL", production.andThen(keys).andThen(hs256)
                .andThen(c -> c.getJsonObject("database").put("url", "db.internal:5432")),
            "database.url is not a postgresql://"),
        Arguments.of("production, sslmode=verify-full without sslrootcert", production.andThen(keys).andThen(hs256)
                .andThen(c -> c.getJsonObject("database")
                    .put("url", "postgresql://cp:pw@127.0.0.1:1/cp?sslmode=verify-full")),
            "database.url: sslmode=verify-full needs sslrootcert=<PEM file of the CA that signed the server's"
                + " certificate>"),
        Arguments.of("embedded, a rotation lease shorter than one device operation",
            (Consumer<JsonObject>) c -> c.getJsonObject("rotation").put("leaseSeconds", 5),
            "rotation.leaseSeconds (5) must be at least 31: longer than the longest device operation,"
                + " rotation.deviceTimeoutMs (30000 ms)"),
        Arguments.of("embedded, a request timeout shorter than a verified enrolment's two device operations",
            (Consumer<JsonObject>) c -> c.getJsonObject("http").put("requestTimeoutMs", 60_000),
            "http.requestTimeoutMs (60000) must be at least 65000: one request may wait for two device operations of"
                + " rotation.deviceTimeoutMs (30000 ms each"),
        Arguments.of("api only, a longer device timeout than the request timeout covers",
            hs256.andThen(c -> c.put("roles", new JsonArray().add("api"))
                .getJsonObject("rotation").put("deviceTimeoutMs", 40_000)),
            "http.requestTimeoutMs (70000) must be at least 85000"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("refusals")
  @DisplayName("a missing or malformed key refuses the start before anything starts, naming the key")
  void refusesNamingTheKey(String name, Consumer<JsonObject> tweak, String message) throws Exception {
    Vertx vertx = Vertx.vertx();
    try {
      JsonObject config = ConfigLoader.load(vertx, null, Map.of()).await(1, TimeUnit.MINUTES);
      config.put("dataDir", dir.resolve("data").toString());
      config.getJsonObject("http").put("host", "127.0.0.1").put("port", 0);
      tweak.accept(config);
      PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
      assertThatThrownBy(() -> ControlPlane.start(vertx, config, registry).await(1, TimeUnit.MINUTES))
          .isInstanceOf(ConfigurationException.class).hasMessageStartingWith(message);
    } finally {
      vertx.close().await(1, TimeUnit.MINUTES);
    }
    assertThat(dir.resolve("data")).doesNotExist();
  }

  @Test
  @DisplayName("production: the mode line says it, no token, no simulator unless asked, nothing generated, the "
      + "database password never printed")
  void production() throws Exception {
    PgConnectOptions db = PgConnectOptions.fromUri(TestDatabase.freshDatabase());
    // The test server trusts local connections, so any password is accepted: this one must never be printed.
    String url = "postgresql://" + db.getUser() + ":made-up-db-password@" + db.getHost() + ":" + db.getPort() + "/"
        + db.getDatabase();
    int port = ServiceRun.freePort();
    int routerPort = ServiceRun.freePort();
    Path config = dir.resolve("cp.yaml");
    Files.writeString(config, """
        http: { host: 127.0.0.1, port: %d }
        auth: { jwt: { hs256Secret: "%s" } }
        database: { url: "%s", poolSize: 2 }
        crypto: { keys: { k1: "%s", k2: "%s" }, activeKey: k2 }
        dataDir: "%s"
        simulator: { fleetFile: "%s" }
        """.formatted(port, JWT_SECRET, url, newKey(), newKey(), dir.resolve("data"), fleet(routerPort)));
    try (ServiceRun run = ServiceRun.start(config, dir.resolve("out.log")).awaitReady(port)) {
      assertThat(modeLines(run)).containsExactly("mode: production (external PostgreSQL at " + db.getHost() + ":"
          + db.getPort() + "/" + db.getDatabase() + ", 2 sealing keys, active k2, JWT HS256 secret, simulator off)");
      assertThat(listening(routerPort)).as("simulator").isFalse();
      assertThat(run.output()).doesNotContain("made-up-db-password", "TOKEN", JWT_SECRET);
    }
    assertThat(dir.resolve("data")).doesNotExist();
  }

  @Test
  @DisplayName("embedded: the mode line says it, secrets generated (0600) and never printed, a token, the simulator; "
      + "a restart with another key under the generated id is refused in one line naming it")
  void embedded() throws Exception {
    int port = ServiceRun.freePort();
    int routerPort = ServiceRun.freePort();
    Path data = dir.resolve("data");
    Path config = dir.resolve("cp.yaml");
    Files.writeString(config, """
        http: { host: 127.0.0.1, port: %d }
        dataDir: "%s"
        simulator: { fleetFile: "%s" }
        """.formatted(port, data, fleet(routerPort)));
    try (ServiceRun run = ServiceRun.start(config, dir.resolve("out.log")).awaitReady(port)) {
      assertThat(modeLines(run)).singleElement().asString().matches("mode: embedded \\(embedded PostgreSQL on "
          + "127\\.0\\.0\\.1:\\d+ in " + java.util.regex.Pattern.quote(data.resolve("postgres").toString())
          + ", password authentication, sealing key local-[0-9a-f]{8} from dataDir, JWT HS256 development secret "
          + "from dataDir, simulator on\\)");
      assertThat(listening(routerPort)).as("simulator").isTrue();
      assertThat(run.output()).contains("export TOKEN=");
      for (String file : List.of(DataDirSecrets.SEALING_KEY_FILE, DataDirSecrets.JWT_SECRET_FILE,
          EmbeddedDatabase.PASSWORD_FILE)) {
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(data.resolve(file))))
            .isEqualTo("rw-------");
        for (String secret : Files.readString(data.resolve(file)).trim().split(" ")) {
          if (!secret.startsWith("local-")) {
            assertThat(run.output()).doesNotContain(secret);
          }
        }
      }
    }
    String keyFile = Files.readString(data.resolve(DataDirSecrets.SEALING_KEY_FILE));
    String keyId = keyFile.split(" ")[0];

    Path wrong = dir.resolve("wrong.yaml");
    Files.writeString(wrong, Files.readString(config) + "crypto: { keys: { %s: \"%s\" }, activeKey: %s }%n"
        .formatted(keyId, newKey(), keyId));
    try (ServiceRun run = ServiceRun.start(wrong, dir.resolve("wrong.log"))) {
      assertThat(run.awaitExit()).isEqualTo(1);
      assertThat(run.lines()).filteredOn(l -> l.contains("start-up failed")).singleElement().asString()
          .endsWith("start-up failed: crypto.keys." + keyId
              + " does not match the key that sealed this database's values");
      assertThat(run.output()).doesNotContain("\tat ");
    }
    assertThat(Files.readString(data.resolve(DataDirSecrets.SEALING_KEY_FILE))).isEqualTo(keyFile);
  }

  private static JsonObject jwt(JsonObject config) {
    return config.getJsonObject("auth").getJsonObject("jwt");
  }

  private Path fleet(int port) throws IOException {
    return ServiceRun.oneRouterFleet(dir, port);
  }

  private static List<String> modeLines(ServiceRun run) throws IOException {
    return run.lines().stream().filter(l -> l.contains(" - mode: ")).map(l -> l.substring(l.indexOf("mode: ")))
        .toList();
  }

  private static boolean listening(int port) {
    try (Socket s = new Socket("127.0.0.1", port)) {
      return true;
    } catch (IOException e) {
      return false;
    }
  }
}
