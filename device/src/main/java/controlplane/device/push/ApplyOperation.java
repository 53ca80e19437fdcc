package controlplane.device.push;

import controlplane.core.bus.ApplyReply;
import controlplane.core.bus.Failure;
import controlplane.core.bus.RotationHook;
import controlplane.core.bus.RotationStep;
import controlplane.device.client.ApiConnection;
import controlplane.device.client.ApiException;
import controlplane.device.client.Reply;
import controlplane.device.client.RouterOsClient;
import controlplane.device.protocol.Sentence;
import io.vertx.core.AsyncResult;
import io.vertx.core.Future;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One {@code apply}: log in with the first password that works, set the new password on the API user, end the
 * user's other sessions, then prove the new password on a fresh connection. Every connection it opens is closed.
 */
final class ApplyOperation {

  private static final Logger LOG = LoggerFactory.getLogger(ApplyOperation.class);
  private static final String NOT_ENOUGH_PERMISSIONS = "not enough permissions";

  /** Either the final reply (the change did not happen, or its result is unknown) or the sessions to end. */
  private record Changed(ApplyReply reply, List<String> staleSessions) {
  }

  private final RouterOsClient client;
  private final PushRequest request;
  private final RotationHook hook;

  ApplyOperation(RouterOsClient client, PushRequest request, RotationHook hook) {
    this.client = client;
    this.request = request;
    this.hook = hook;
  }

  Future<ApplyReply> run() {
    return new LoginAttempts(client, request).run().compose(attempt -> {
      if (!attempt.loggedIn()) {
        Throwable cause = attempt.failure();
        return Future.succeededFuture(
            ApplyReply.notApplied(-1, DeviceFailures.beforeChange(cause), DeviceFailures.message(cause)));
      }
      ApiConnection connection = attempt.connection();
      int index = attempt.index();
      return change(connection, index)
          .eventually(connection::close)
          .compose(changed -> changed.reply() != null
              ? Future.succeededFuture(changed.reply())
              : verify(index, changed.staleSessions(), attempt.fingerprint()));
    });
  }

  private Future<Changed> change(ApiConnection c, int index) {
    String user = request.username();
    return c.execute("/user/print", Map.of(), List.of("?name=" + user)).transform(print -> {
      if (print.failed()) {
        Throwable cause = print.cause();
        return done(ApplyReply.notApplied(index, DeviceFailures.beforeChange(cause), DeviceFailures.message(cause)));
      }
      if (!print.result().ok()) {
        return done(ApplyReply.notApplied(index, Failure.DEVICE_REJECTED_CREDENTIALS,
            "user lookup refused: " + firstTrap(print.result())));
      }
      String id = print.result().rows().stream()
          .filter(row -> user.equals(row.get("name")))
          .map(row -> row.get(".id"))
          .filter(Objects::nonNull)
          .findFirst().orElse(null);
      if (id == null) {
        return done(ApplyReply.notApplied(index, Failure.DEVICE_REJECTED_CREDENTIALS, "user not found on the router"));
      }
      if (request.pastDeadline()) {
        return done(ApplyReply.notApplied(index, Failure.DEVICE_TIMEOUT,
            "the sender's time ran out before the password change was sent"));
      }
      Sentence userSet = Sentence.of("/user/set", "=.id=" + id, "=password=" + request.newPassword());
      return c.execute(userSet).transform(set -> afterChange(c, index, "/user/set", set,
          // A user whose group lacks the policy policy may still change its own password with /password.
          trap -> NOT_ENOUGH_PERMISSIONS.equals(trap) ? ownPassword(c, index) : null));
    });
  }

  /** {@code /password}: the API user changes its own password, proving the one it logged in with. */
  private Future<Changed> ownPassword(ApiConnection c, int index) {
    if (request.pastDeadline()) {
      return done(ApplyReply.notApplied(index, Failure.DEVICE_TIMEOUT,
          "the sender's time ran out before the password change was sent"));
    }
    String old = request.loginPasswords().get(index);
    Sentence password = Sentence.of("/password", "=old-password=" + old,
        "=new-password=" + request.newPassword(), "=confirm-new-password=" + request.newPassword());
    return c.execute(password).transform(ar -> afterChange(c, index, "/password", ar, trap -> null));
  }

  /**
   * Classifies the answer to a password-changing command: lost after sending is unknown; refused is not applied
   * unless {@code onTrap} offers another way; done means the router changed, and the user's sessions are ended.
   */
  private Future<Changed> afterChange(ApiConnection c, int index, String command, AsyncResult<Reply> ar,
                                      Function<String, Future<Changed>> onTrap) {
    if (ar.failed()) {
      Throwable cause = ar.cause();
      if (cause instanceof ApiException e && e.commandSent()) {
        return done(ApplyReply.unknown(index, "result of " + command + " lost: " + e.getMessage()));
      }
      return done(ApplyReply.notApplied(index, DeviceFailures.beforeChange(cause), DeviceFailures.message(cause)));
    }
    if (!ar.result().ok()) {
      Future<Changed> alternative = onTrap.apply(firstTrap(ar.result()));
      return alternative != null ? alternative : done(ApplyReply.notApplied(index,
          Failure.DEVICE_REJECTED_CREDENTIALS, "password change refused: " + firstTrap(ar.result())));
    }
    return hook.reached(RotationStep.ROUTER_CHANGED, request.siteUuid(), null).transform(reached -> reached.failed()
        ? done(ApplyReply.unknown(index, command + " done, then stopped: " + reached.cause().getMessage()))
        : endSessions(c).map(ids -> new Changed(null, ids)));
  }

  /**
   * Lists the user's sessions (ours among them) and removes them in order of id, the newest, most likely ours,
   * last. Best effort: stops quietly when removing our own session ends the connection.
   */
  private Future<List<String>> endSessions(ApiConnection c) {
    return activeSessions(c).compose(ids -> removeEach(c, ids, 0).map(ids));
  }

  private Future<List<String>> activeSessions(ApiConnection c) {
    return c.execute("/user/active/print", Map.of(), List.of("?name=" + request.username())).transform(ar -> {
      if (ar.failed() || !ar.result().ok()) {
        LOG.debug("site {}: could not list active sessions", request.siteId());
        return Future.succeededFuture(List.of());
      }
      List<String> ids = new ArrayList<>();
      for (Map<String, String> row : ar.result().rows()) {
        String id = row.get(".id");
        if (id != null && (row.get("name") == null || request.username().equals(row.get("name")))) {
          ids.add(id);
        }
      }
      ids.sort(Comparator.comparingLong(ApplyOperation::idNumber).thenComparing(Comparator.naturalOrder()));
      return Future.succeededFuture(ids);
    });
  }

  private Future<Void> removeEach(ApiConnection c, List<String> ids, int i) {
    if (i >= ids.size() || c.isClosed()) {
      return Future.succeededFuture();
    }
    return c.execute(Sentence.of("/user/active/remove", "=.id=" + ids.get(i)))
        .transform(ar -> ar.failed() ? Future.succeededFuture() : removeEach(c, ids, i + 1));
  }

  /**
   * Fresh connection, new password, to the router that presented {@code pin}; then ends the sessions listed earlier
   * that are still there.
   */
  private Future<ApplyReply> verify(int index, List<String> staleSessions, String pin) {
    return client.connect(request.host(), request.port(), request.tls(), pin).transform(connected -> {
      if (connected.failed()) {
        return Future.succeededFuture(ApplyReply.unknown(index,
            "password set, but the verify connection failed: " + DeviceFailures.message(connected.cause())));
      }
      ApiConnection v = connected.result();
      return v.login(request.username(), request.newPassword()).transform(login -> {
        if (login.failed()) {
          return Future.succeededFuture(ApplyReply.unknown(index,
              "password set, but the verify login failed: " + DeviceFailures.message(login.cause())));
        }
        return endStale(v, Set.copyOf(staleSessions)).map(x -> ApplyReply.applied(index));
      }).eventually(v::close);
    });
  }

  private Future<Void> endStale(ApiConnection v, Set<String> stale) {
    if (stale.isEmpty()) {
      return Future.succeededFuture();
    }
    return activeSessions(v)
        .compose(ids -> removeEach(v, ids.stream().filter(stale::contains).toList(), 0))
        .otherwiseEmpty();
  }

  private static Future<Changed> done(ApplyReply reply) {
    return Future.succeededFuture(new Changed(reply, List.of()));
  }

  private static String firstTrap(Reply reply) {
    return reply.traps().get(0).message();
  }

  /** RouterOS ids are {@code *} and hex digits, increasing as items are created. */
  private static long idNumber(String id) {
    try {
      return Long.parseLong(id.startsWith("*") ? id.substring(1) : id, 16);
    } catch (NumberFormatException e) {
      return Long.MAX_VALUE;
    }
  }
}
