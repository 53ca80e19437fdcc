package controlplane.config;

import controlplane.http.HttpConfig;
import controlplane.http.TokenMinter;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/**
 * {@code token}: prints a bearer token the service accepts, signed with the secret it verifies with. It never makes
 * a secret up: one that no service knows would only earn a bare 401.
 */
@Command(name = "token", mixinStandardHelpOptions = true, versionProvider = JarVersion.class, sortOptions = false,
    description = {"Prints a bearer token that the service accepts.",
        "It is signed (HS256) with auth.jwt.hs256Secret from the configuration, else with the development secret that "
        + "the service generated into its data directory; give the service's --config (or CP_* variables), or "
        + "point at its data directory with --data-dir. No secret is ever generated here."})
final class TokenCommand implements Callable<Integer> {

  @ParentCommand
  private Main parent;
  @Spec
  private CommandSpec spec;
  @Mixin
  private ConfigFileOption configFile;

  @Option(names = "--data-dir", paramLabel = "DIR",
      description = "the data directory of the service whose development secret to use (default: dataDir of the "
          + "configuration, ./data)")
  private Path dataDir;
  @Option(names = "--org", paramLabel = "ORG", defaultValue = DemoSite.ORG_ID,
      description = "org_id claim (default: ${DEFAULT-VALUE})")
  private String org;
  @Option(names = "--scope", paramLabel = "SCOPES", defaultValue = Main.DEMO_SCOPE,
      description = "scope claim, space separated (default: ${DEFAULT-VALUE})")
  private String scope;
  @Option(names = "--sub", paramLabel = "NAME", defaultValue = "cli",
      description = "sub claim (default: ${DEFAULT-VALUE})")
  private String subject;
  @Option(names = "--ttl", paramLabel = "SECONDS", defaultValue = "43200",
      description = "lifetime in seconds (default: ${DEFAULT-VALUE}, 12 h)")
  private long ttlSeconds;

  private final Map<String, String> env;

  TokenCommand(Map<String, String> env) {
    this.env = env;
  }

  @Override
  public Integer call() throws Exception {
    JsonObject root = loadConfig();
    if (dataDir != null) {
      root.put("dataDir", dataDir.toString());
    }
    Optional<String> secret = secret(root);
    if (secret.isEmpty()) {
      return 1;
    }
    HttpConfig http = HttpConfig.fromJson(root);
    spec.commandLine().getOut().println(TokenMinter.mint(secret.get(), org, scope, subject,
        Duration.ofSeconds(ttlSeconds), http.issuer(), http.audience()));
    return 0;
  }

  private JsonObject loadConfig() throws Exception {
    Vertx vertx = Vertx.vertx();
    try {
      return ConfigLoader.load(vertx, configFile.orElse(parent.configFile), env).await(1, TimeUnit.MINUTES);
    } finally {
      vertx.close().await(1, TimeUnit.MINUTES);
    }
  }

  /** The configured HS256 secret, else the one a service generated into the data directory; else says why not. */
  private Optional<String> secret(JsonObject root) throws Exception {
    String configured = root.getJsonObject("auth").getJsonObject("jwt").getString("hs256Secret");
    if (configured != null) {
      return Optional.of(configured);
    }
    PrintWriter err = spec.commandLine().getErr();
    if (DataDirSecrets.jwtKeyConfigured(root)) {
      err.println("token: the service verifies public keys or a JWKS, not auth.jwt.hs256Secret; "
          + "mint tokens with your identity provider");
      return Optional.empty();
    }
    Path dir = ControlPlane.dataDir(root);
    Optional<String> generated = DataDirSecrets.existingJwtSecret(dir);
    if (generated.isEmpty()) {
      err.println("token: no auth.jwt.hs256Secret configured and no development secret in the data directory " + dir
          + " (a service run there makes one); point at the service's data directory with --data-dir DIR, "
          + "or at its configuration with --config FILE");
    }
    return generated;
  }
}
