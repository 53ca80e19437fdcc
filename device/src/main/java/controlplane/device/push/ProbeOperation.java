package controlplane.device.push;

import controlplane.device.client.RouterOsClient;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;

/** One {@code probe}: which of the passwords logs in, each tried on a fresh connection. */
final class ProbeOperation {

  private final RouterOsClient client;
  private final PushRequest request;

  ProbeOperation(RouterOsClient client, PushRequest request) {
    this.client = client;
    this.request = request;
  }

  Future<JsonObject> run() {
    return new LoginAttempts(client, request).run().compose(attempt -> {
      if (attempt.loggedIn()) {
        return attempt.connection().close().transform(x -> Future.succeededFuture(
            Replies.probe(true, attempt.index(), null, null)));
      }
      Throwable cause = attempt.failure();
      return Future.succeededFuture(Replies.probe(attempt.reached(), -1, DeviceFailures.beforeChange(cause),
          DeviceFailures.message(cause)));
    });
  }
}
