package controlplane.config;

import controlplane.device.client.ApiConnection;
import controlplane.device.client.ClientOptions;
import controlplane.device.client.RouterOsClient;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * {@code login --host H --port P --user U --password P [--tls true --trust-all true]}: logs in to a router over
 * the RouterOS API with the device client and says whether it worked, so an operator (or the README's demo) can
 * see a router accept a credential. The password is read from {@code --password} or the {@code CP_LOGIN_PASSWORD}
 * environment variable and is never printed.
 */
final class RouterLoginCheck {

  private RouterLoginCheck() {
  }

  static int run(CommandLine cl) throws Exception {
    String host = cl.option("host", "127.0.0.1");
    int port = Integer.parseInt(cl.option("port", "8728"));
    String user = cl.option("user", "altostrat-api");
    String password = cl.option("password", System.getenv().getOrDefault("CP_LOGIN_PASSWORD", ""));
    boolean tls = Boolean.parseBoolean(cl.option("tls", "false"));
    ClientOptions options = ClientOptions.defaults().withTrustAll(Boolean.parseBoolean(cl.option("trust-all", "false")));
    Vertx vertx = Vertx.vertx();
    try {
      RouterOsClient client = RouterOsClient.create(vertx, options);
      Future<String> outcome = client.connect(host, port, tls).compose(c -> login(c, user, password));
      String line = outcome.toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
      System.out.println("login ok: " + user + "@" + host + ":" + port + line);
      return 0;
    } catch (Exception e) {
      Throwable cause = e.getCause() != null ? e.getCause() : e;
      System.out.println("login failed: " + user + "@" + host + ":" + port + ": " + cause.getMessage());
      return 1;
    } finally {
      vertx.close();
    }
  }

  private static Future<String> login(ApiConnection c, String user, String password) {
    return c.login(user, password)
        .compose(v -> c.execute("/system/resource/print", Map.of(), List.of()))
        .map(reply -> reply.rows().isEmpty() ? "" : " (RouterOS " + reply.rows().get(0).get("version") + ")")
        .eventually(c::close);
  }
}
