package controlplane.device.push;

import controlplane.core.bus.ProbeReply;
import controlplane.device.client.ApiException;
import controlplane.device.client.RouterOsClient;
import io.vertx.core.Future;

/**
 * One {@code probe}: which of the passwords logs in, each tried on a fresh connection. The reply names the
 * certificate an API-SSL router presented, so that an enrolment can pin it.
 */
final class ProbeOperation {

  private final RouterOsClient client;
  private final PushRequest request;

  ProbeOperation(RouterOsClient client, PushRequest request) {
    this.client = client;
    this.request = request;
  }

  Future<ProbeReply> run() {
    return new LoginAttempts(client, request).run().compose(attempt -> {
      if (attempt.loggedIn()) {
        return attempt.connection().close().transform(x -> Future.succeededFuture(
            ProbeReply.loggedIn(attempt.index(), attempt.fingerprint())));
      }
      // Conclusive only when the router answered every login with a refusal: a timeout or a dropped connection
      // says nothing about which password it holds.
      Throwable cause = attempt.failure();
      boolean refusedAll = cause instanceof ApiException e && e.kind() == ApiException.Kind.LOGIN_FAILED;
      return Future.succeededFuture(new ProbeReply(refusedAll, -1, DeviceFailures.beforeChange(cause),
          DeviceFailures.message(cause), attempt.fingerprint()));
    });
  }
}
