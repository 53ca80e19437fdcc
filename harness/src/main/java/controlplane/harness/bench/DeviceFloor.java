package controlplane.harness.bench;

import controlplane.core.crypto.PasswordGenerator;
import controlplane.device.client.ApiConnection;
import controlplane.device.client.ClientOptions;
import controlplane.device.client.RouterOsClient;
import controlplane.device.protocol.Sentence;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The router floor: the router steps of one rotation done by the bare device client, no HTTP, no database, no
 * event bus: connect, login, {@code /user/print ?name=}, {@code /user/set}, {@code /user/active/print} and remove
 * each session, close; then a fresh connection, login with the new password, end the stale sessions still there,
 * close. On the {@value SimulatorProcess#FLOOR_USER} user, so the product's credentials are untouched.
 */
final class DeviceFloor {

  record Router(String host, int port) {
  }

  private final RouterOsClient client;
  private final PasswordGenerator generator = new PasswordGenerator(32);
  private final Map<Router, String> passwords = new ConcurrentHashMap<>();
  private final String user = SimulatorProcess.FLOOR_USER;

  DeviceFloor(Vertx vertx) {
    this.client = RouterOsClient.create(vertx, ClientOptions.defaults());
  }

  Future<JsonObject> run(List<Router> routers, int total, int concurrency) {
    return new ClosedLoop<>(routers, total, concurrency, this::rotate).run();
  }

  Future<Void> close() {
    return client.close();
  }

  private Future<ClosedLoop.Outcome> rotate(Router r) {
    String current = passwords.getOrDefault(r, SimulatorProcess.FLOOR_PASSWORD);
    String next = generator.generate();
    return client.connect(r.host(), r.port(), false).compose(c -> c.login(user, current)
        .compose(v -> change(c, next))
        .eventually(c::close))
        .compose(stale -> {
          passwords.put(r, next); // set on the router: from now on the new one is the one that logs in
          return client.connect(r.host(), r.port(), false).compose(v -> v.login(user, next)
              .compose(x -> sessions(v))
              .compose(ids -> removeEach(v, ids.stream().filter(stale::contains).toList(), 0))
              .eventually(v::close));
        })
        .map(ClosedLoop.Outcome.OK);
  }

  /** print, set, list sessions and remove them (ours last); the ids that were listed. */
  private Future<List<String>> change(ApiConnection c, String next) {
    return c.execute("/user/print", Map.of(), List.of("?name=" + user)).compose(print -> {
      String id = print.rows().stream().filter(row -> user.equals(row.get("name"))).map(row -> row.get(".id"))
          .findFirst().orElse(null);
      if (!print.ok() || id == null) {
        return Future.failedFuture(new IllegalStateException("user lookup failed"));
      }
      return c.execute(Sentence.of("/user/set", "=.id=" + id, "=password=" + next)).compose(set -> {
        if (!set.ok()) {
          return Future.failedFuture(new IllegalStateException("password change refused"));
        }
        return sessions(c).compose(ids -> removeEach(c, ids, 0).map(ids));
      });
    });
  }

  private Future<List<String>> sessions(ApiConnection c) {
    return c.execute("/user/active/print", Map.of(), List.of("?name=" + user)).map(reply -> {
      List<String> ids = new ArrayList<>();
      for (Map<String, String> row : reply.rows()) {
        if (row.get(".id") != null) {
          ids.add(row.get(".id"));
        }
      }
      ids.sort(Comparator.comparingLong(DeviceFloor::idNumber));
      return ids;
    });
  }

  private Future<Void> removeEach(ApiConnection c, List<String> ids, int i) {
    if (i >= ids.size() || c.isClosed()) {
      return Future.succeededFuture();
    }
    return c.execute(Sentence.of("/user/active/remove", "=.id=" + ids.get(i)))
        .transform(ar -> ar.failed() ? Future.succeededFuture() : removeEach(c, ids, i + 1));
  }

  private static long idNumber(String id) {
    try {
      return Long.parseLong(id.startsWith("*") ? id.substring(1) : id, 16);
    } catch (NumberFormatException e) {
      return Long.MAX_VALUE;
    }
  }
}
