package controlplane.device.push;

import controlplane.device.client.ApiConnection;
import controlplane.device.client.ApiException;
import controlplane.device.client.RouterOsClient;
import io.vertx.core.Future;
import java.util.List;

/** Tries passwords in order, each on a fresh connection, and stops at the first that logs in. */
final class LoginAttempts {

  /**
   * How the attempts ended: {@code connection} is logged in with password {@code index}, or null with
   * {@code failure} saying why (an {@link ApiException} of kind LOGIN_FAILED when every password was refused).
   * {@code reached} tells whether any connection was opened at all.
   */
  record Result(ApiConnection connection, int index, Throwable failure, boolean reached) {
    boolean loggedIn() {
      return connection != null;
    }
  }

  private final RouterOsClient client;
  private final PushRequest request;

  LoginAttempts(RouterOsClient client, PushRequest request) {
    this.client = client;
    this.request = request;
  }

  Future<Result> run() {
    return attempt(0, false);
  }

  private Future<Result> attempt(int index, boolean reached) {
    List<String> passwords = request.loginPasswords();
    if (index >= passwords.size()) {
      return Future.succeededFuture(new Result(null, -1,
          new ApiException(ApiException.Kind.LOGIN_FAILED, "every password was refused"), reached));
    }
    String password = passwords.get(index);
    if (password == null) {
      return attempt(index + 1, reached);
    }
    return client.connect(request.host(), request.port(), request.tls()).transform(connected -> {
      if (connected.failed()) {
        return Future.succeededFuture(new Result(null, -1, connected.cause(), reached));
      }
      ApiConnection connection = connected.result();
      return connection.login(request.username(), password).transform(login -> {
        if (login.succeeded()) {
          return Future.succeededFuture(new Result(connection, index, null, true));
        }
        Throwable cause = login.cause();
        return connection.close().transform(closed -> {
          if (cause instanceof ApiException e && e.kind() == ApiException.Kind.LOGIN_FAILED) {
            return attempt(index + 1, true);
          }
          return Future.succeededFuture(new Result(null, -1, cause, true));
        });
      });
    });
  }
}
