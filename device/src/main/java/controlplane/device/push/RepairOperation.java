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
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * One {@code repair} (issue 12 point 4): no known password of the API user logs in, so log in as the site's
 * reconcile account, set a fresh password on the API user ({@code /user/set =numbers=<name>}), end the API user's
 * sessions, then prove the new password with a fresh login as the API user. Answered like an apply: not applied
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
        repair.loginUsername(), api.tlsFingerprint());
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
          .compose(reply -> reply != null ? Future.succeededFuture(reply) : verify(attempt.fingerprint()));
    });
  }

  /** Null when the password was set and the API user's sessions ended; else the final reply. */
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
      return endSessions(c).map((ApplyReply) null);
    });
  }

  /** Best effort: the API user's sessions (someone holding the old password) are ended. */
  private Future<Void> endSessions(ApiConnection c) {
    return c.execute("/user/active/print", Map.of(), List.of("?name=" + request.username())).transform(ar -> {
      if (ar.failed() || !ar.result().ok()) {
        return Future.succeededFuture();
      }
      List<String> ids = new ArrayList<>();
      for (Map<String, String> row : ar.result().rows()) {
        if (row.get(".id") != null && (row.get("name") == null || request.username().equals(row.get("name")))) {
          ids.add(row.get(".id"));
        }
      }
      return removeEach(c, ids, 0);
    });
  }

  private Future<Void> removeEach(ApiConnection c, List<String> ids, int i) {
    if (i >= ids.size() || c.isClosed()) {
      return Future.succeededFuture();
    }
    return c.execute(Sentence.of("/user/active/remove", "=.id=" + ids.get(i)))
        .transform(ar -> removeEach(c, ids, i + 1));
  }

  /** A fresh connection to the router that presented {@code pin}, logging in as the API user with the new password. */
  private Future<ApplyReply> verify(String pin) {
    return client.connect(request.host(), request.port(), request.tls(), pin).transform(connected -> {
      if (connected.failed()) {
        return Future.succeededFuture(ApplyReply.unknown(0,
            "password set, but the verify connection failed: " + DeviceFailures.message(connected.cause())));
      }
      ApiConnection v = connected.result();
      return v.login(request.username(), repair.newPassword()).transform(login -> Future.succeededFuture(
          login.failed()
              ? ApplyReply.unknown(0, "password set, but the verify login failed: "
                  + DeviceFailures.message(login.cause()))
              : ApplyReply.applied(0)))
          .eventually(v::close);
    });
  }

  private static String firstTrap(Reply reply) {
    return reply.traps().isEmpty() ? "refused" : reply.traps().get(0).message();
  }
}
