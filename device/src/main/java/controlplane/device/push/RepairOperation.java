package controlplane.device.push;

import controlplane.core.bus.ApplyReply;
import controlplane.core.bus.DeviceTarget;
import controlplane.core.bus.Failure;
import controlplane.core.bus.ProbeRequest;
import controlplane.core.bus.RepairRequest;
import controlplane.device.client.ApiConnection;
import controlplane.device.client.ApiException;
import controlplane.device.client.Reply;
import controlplane.device.client.RouterOsClient;
import controlplane.device.protocol.Sentence;
import io.vertx.core.Future;
import java.util.List;

/**
 * One {@code repair} (issue 12 point 4): no known password of the API user logs in, so log in as the site's
 * reconcile account, set a fresh password on the API user ({@code /user/set =numbers=<name>}), then prove it with a
 * fresh login as the API user and end the user's other sessions from there ({@link VerifyAndEndSessions}, as an
 * apply does). Answered like an apply: not applied
 * when nothing was changed, unknown when the change was sent and its result or the proof is missing, applied when
 * the API user logs in with the new password. Every connection it opens is closed.
 */
final class RepairOperation {

  private final RouterOsClient client;
  private final PushRequest request;
  private final RepairRequest repair;

  RepairOperation(RouterOsClient client, PushRequest request) {
    this.client = client;
    this.request = request;
    this.repair = (RepairRequest) request.request();
  }

  Future<ApplyReply> run() {
    DeviceTarget api = repair.target();
    // The reconcile account logs in like a probe of one password, as its own user, at the site's pin.
    DeviceTarget asReconcile = new DeviceTarget(api.siteId(), api.host(), api.port(), api.tls(),
        repair.loginUsername(), api.tlsFingerprint(), api.tlsServerName());
    PushRequest login = new PushRequest(new ProbeRequest(asReconcile, List.of(repair.loginPassword())),
        request.deadlineNanos());
    return new LoginAttempts(client, login).run().compose(attempt -> {
      if (!attempt.loggedIn()) {
        Throwable cause = attempt.failure();
        return Future.succeededFuture(ApplyReply.notApplied(-1, DeviceFailures.beforeChange(cause),
            "reconcile account: " + DeviceFailures.message(cause)));
      }
      ApiConnection c = attempt.connection();
      return change(c).eventually(c::close)
          .compose(reply -> reply != null ? Future.succeededFuture(reply) : VerifyAndEndSessions.run(client, request, 0, attempt.fingerprint()));
    });
  }

  /** Null when the password was set; else the final reply. */
  private Future<ApplyReply> change(ApiConnection c) {
    if (request.pastDeadline()) {
      return Future.succeededFuture(ApplyReply.notApplied(0, Failure.DEVICE_TIMEOUT,
          "the sender's time ran out before the password change was sent"));
    }
    Sentence set = Sentence.of("/user/set", "=numbers=" + request.username(), "=password=" + repair.newPassword());
    return c.execute(set).transform(ar -> {
      if (ar.failed()) {
        Throwable cause = ar.cause();
        if (cause instanceof ApiException e && e.commandSent()) {
          return Future.succeededFuture(ApplyReply.unknown(0, "result of /user/set lost: " + e.getMessage()));
        }
        return Future.succeededFuture(ApplyReply.notApplied(0, DeviceFailures.beforeChange(cause),
            DeviceFailures.message(cause)));
      }
      if (!ar.result().ok()) {
        return Future.succeededFuture(ApplyReply.notApplied(0, Failure.DEVICE_REJECTED_CREDENTIALS,
            "the reconcile account may not set the password: " + firstTrap(ar.result())));
      }
      return Future.succeededFuture((ApplyReply) null);
    });
  }

  private static String firstTrap(Reply reply) {
    return reply.traps().isEmpty() ? "refused" : reply.traps().get(0).message();
  }
}
