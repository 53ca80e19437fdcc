package controlplane.config;

import controlplane.device.client.ApiConnection;
import controlplane.device.client.ClientOptions;
import controlplane.device.client.RouterOsClient;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.io.BufferedReader;
import java.io.Console;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code login}: logs in to a router over the RouterOS API with the device client and says whether it worked, so an
 * operator (or the README's demo) can see a router accept a credential. The password never comes from the
 * arguments (they show in {@code ps} and in shell history) and is never printed.
 */
@Command(name = "login", mixinStandardHelpOptions = true, versionProvider = JarVersion.class, sortOptions = false,
    description = {"Logs in to a router over the RouterOS API and says whether it worked.",
        "The password is read from the " + RouterLoginCheck.PASSWORD_ENV + " environment variable or, when that is "
        + "unset, from standard input (one line; not echoed on a console). It is never an argument."})
final class RouterLoginCheck implements Callable<Integer> {

  static final String PASSWORD_ENV = "CP_LOGIN_PASSWORD";

  @Spec
  private CommandSpec spec;

  @Option(names = "--host", paramLabel = "HOST", defaultValue = "127.0.0.1", description = "default: ${DEFAULT-VALUE}")
  private String host;
  @Option(names = "--port", paramLabel = "PORT", defaultValue = "8728", description = "default: ${DEFAULT-VALUE}")
  private int port;
  @Option(names = "--user", paramLabel = "USER", defaultValue = "altostrat-api",
      description = "default: ${DEFAULT-VALUE}")
  private String user;
  @Option(names = "--tls", arity = "0..1", paramLabel = "true|false", description = "API-SSL (default: false)")
  private boolean tls;
  @Option(names = "--tls-fingerprint", paramLabel = "SHA256",
      description = "with --tls: the certificate the router must present (SHA-256, 64 lower-case hex digits); "
      + "without it any is accepted, and its fingerprint printed to pin at enrolment")
  private String tlsFingerprint;
  @Option(names = "--trust-all", arity = "0..1", paramLabel = "true|false",
      description = "with --tls: accept any certificate, even another than --tls-fingerprint (lab only; "
      + "default: false)")
  private boolean trustAll;

  // Refused while parsing, so that the usage error does not echo the password as picocli echoes unknown arguments.
  @Option(names = "--password", hidden = true)
  private void refusePasswordArgument(String ignored) {
    throw new ParameterException(spec.commandLine(), "login takes no --password (arguments show in ps and in shell "
        + "history): set " + PASSWORD_ENV + " or write the password on standard input");
  }

  private final Map<String, String> env;
  private final InputStream stdin;

  RouterLoginCheck(Map<String, String> env, InputStream stdin) {
    this.env = env;
    this.stdin = stdin;
  }

  @Override
  public Integer call() throws Exception {
    PrintWriter out = spec.commandLine().getOut();
    String password = password();
    if (password == null) {
      spec.commandLine().getErr().println("login: no password: set " + PASSWORD_ENV + " or write it on standard input");
      return 1;
    }
    Vertx vertx = Vertx.vertx();
    try {
      RouterOsClient client = RouterOsClient.create(vertx, ClientOptions.defaults().withTrustAll(trustAll));
      String line = client.connect(host, port, tls, tlsFingerprint).compose(c -> login(c, user, password))
          .await(30, TimeUnit.SECONDS);
      out.println("login ok: " + user + "@" + host + ":" + port + line);
      return 0;
    } catch (Exception e) {
      out.println("login failed: " + user + "@" + host + ":" + port + ": "
          + (e.getMessage() != null ? e.getMessage() : e.toString()));
      return 1;
    } finally {
      vertx.close();
    }
  }

  /** {@link #PASSWORD_ENV}, else a line of standard input (read without echo from a console); null at its end. */
  private String password() throws IOException {
    String fromEnv = env.get(PASSWORD_ENV);
    if (fromEnv != null) {
      return fromEnv;
    }
    Console console = System.console();
    if (console != null && stdin == System.in) {
      char[] typed = console.readPassword("password for %s@%s:%d: ", user, host, port);
      return typed == null ? null : new String(typed);
    }
    return new BufferedReader(new InputStreamReader(stdin, StandardCharsets.UTF_8)).readLine();
  }

  private static Future<String> login(ApiConnection c, String user, String password) {
    return c.login(user, password)
        .compose(v -> c.execute("/system/resource/print", Map.of(), List.of()))
        .map(reply -> (reply.rows().isEmpty() ? "" : " (RouterOS " + reply.rows().get(0).get("version") + ")")
            + (c.certificateFingerprint() == null ? "" : ", tls_fingerprint " + c.certificateFingerprint()))
        .eventually(c::close);
  }
}
