package controlplane.device.push;

import controlplane.device.client.ApiConnection;
import controlplane.device.client.ApiException;
import controlplane.device.client.RouterOsClient;
import io.vertx.core.Future;
import java.util.List;

/**
 * Tries passwords in order, each on a fresh connection, and stops at the first that logs in. An API-SSL router must
 * present the site's pinned certificate; a site without a pin is held to the certificate its first connection saw.
 */
final class LoginAttempts {

  /**
   * How the attempts ended: {@code connection} is logged in with password {@code index}, or null with
   * {@code failure} saying why (an {@link ApiException} of kind LOGIN_FAILED when every password was refused).
   * {@code reached} tells whether any connection was opened at all; {@code fingerprint} is the certificate an
   * API-SSL router presented on them, and every one of them presented it (null for plain API or when none was
   * opened).
   */
  record Result(ApiConnection connection, int index, Throwable failure, boolean reached, String fingerprint) {
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
    return attempt(0, false, request.tlsFingerprint());
  }

  private Future<Result> attempt(int index, boolean reached, String pin) {
    List<String> passwords = request.loginPasswords();
    if (index >= passwords.size()) {
      return Future.succeededFuture(new Result(null, -1,
          new ApiException(ApiException.Kind.LOGIN_FAILED, "every password was refused"), reached,
          reached ? pin : null));
    }
    String password = passwords.get(index);
    if (password == null) {
      return attempt(index + 1, reached, pin);
    }
    return client.connect(request.host(), request.port(), request.tls(), pin, request.tlsServerName()).transform(connected -> {
      if (connected.failed()) {
        return Future.succeededFuture(new Result(null, -1, connected.cause(), reached, reached ? pin : null));
      }
      ApiConnection connection = connected.result();
      String seen = connection.certificateFingerprint();
      return connection.login(request.username(), password).transform(login -> {
        if (login.succeeded()) {
          return Future.succeededFuture(new Result(connection, index, null, true, seen));
        }
        Throwable cause = login.cause();
        return connection.close().transform(closed -> {
          if (cause instanceof ApiException e && e.kind() == ApiException.Kind.LOGIN_FAILED) {
            return attempt(index + 1, true, seen);
          }
          return Future.succeededFuture(new Result(null, -1, cause, true, seen));
        });
      });
    });
  }
}
