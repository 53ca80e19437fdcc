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
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * One {@code apply}: log in with the first password that works, set the new password on the API user (addressed by
 * name), prove it on a fresh connection, and from there end every session the user had when the password changed.
 * At most three commands besides the two logins (docs/PERFORMANCE.md, "Round trips of one rotation"); the last two are
 * {@link VerifyAndEndSessions}, shared with a repair. The verify connection is opened at the start, beside the first
 * one, and used only once the change is made:
 * <ol>
 *   <li>{@code /user/set =numbers=<user> =password=...} on the first connection (or {@code /password} when the
 *   user may not set passwords but may change its own);</li>
 *   <li>{@code /user/active/print ?name=<user>} on the verify connection, once its login with the new password has
 *   succeeded: from the change on, no one but this operation knows a password of the user, so the listed sessions
 *   are exactly the stale ones and this connection's own, the newest;</li>
 *   <li>when any is stale, one {@code /user/active/remove =numbers=<id>,<id>,...} of all but the newest.</li>
 * </ol>
 * The first connection is closed as soon as the change has answered, before the verify login: its session is stale
 * from then on, and closing it ends it on the router, which usually has done so by the time the verify connection
 * lists the sessions. When nothing else of the user is logged in, a rotation then costs the router two commands
 * besides the logins. A listing taken before the router ended it names it with the others; if it goes away before
 * the remove, the router refuses that remove whole and {@link VerifyAndEndSessions} lists and removes once more.
 * Every connection it opens is closed.
 */
final class ApplyOperation {

    private static final String NOT_ENOUGH_PERMISSIONS = "not enough permissions";
  private static final String NO_SUCH_ITEM = "no such item";
  private static final Map<String, String> ID_AND_NAME = Map.of(".proplist", ".id,name");

  private final RouterOsClient client;
  private final PushRequest request;
  private final RotationHook hook;

  ApplyOperation(RouterOsClient client, PushRequest request, RotationHook hook) {
    this.client = client;
    this.request = request;
    this.hook = hook;
  }

  Future<ApplyReply> run() {
    // The verify connection is opened beside the first: its handshake no longer waits for the change; it logs in only
    // after it (docs/PERFORMANCE.md, "Round trips of one rotation").
    Future<ApiConnection> verify = client.connect(request.host(), request.port(), request.tls(),
        request.tlsFingerprint(), request.tlsServerName());
    return new LoginAttempts(client, request).run().compose(attempt -> {
      if (!attempt.loggedIn()) {
        VerifyAndEndSessions.closeWhenOpen(verify);
        Throwable cause = attempt.failure();
        return Future.succeededFuture(
            ApplyReply.notApplied(-1, DeviceFailures.beforeChange(cause), DeviceFailures.message(cause)));
      }
      ApiConnection first = attempt.connection();
      int index = attempt.index();
      return change(first, index)
          .compose(reply -> {
            if (reply != null) {
              VerifyAndEndSessions.closeWhenOpen(verify);
              return Future.succeededFuture(reply);
            }
            first.close();
            return VerifyAndEndSessions.run(client, request, index, attempt.fingerprint(), verify);
          })
          .eventually(first::close);
    });
  }

  /** Null when the router changed the password; else the final reply (not applied, or unknown). */
  private Future<ApplyReply> change(ApiConnection c, int index) {
    if (request.pastDeadline()) {
      return timedOut(index);
    }
    String user = request.username();
    if (!addressableByName(user)) {
      return lookUpId(c, index).compose(id -> id.reply() != null ? Future.succeededFuture(id.reply())
          : setPassword(c, index, "=.id=" + id.id()));
    }
    return setPassword(c, index, "=numbers=" + user);
  }

  private Future<ApplyReply> setPassword(ApiConnection c, int index, String userRef) {
    Sentence userSet = Sentence.of("/user/set", userRef, "=password=" + request.newPassword());
    return c.execute(userSet).transform(set -> afterChange(index, "/user/set", set,
        // A user whose group lacks the policy policy may still change its own password with /password.
        trap -> NOT_ENOUGH_PERMISSIONS.equals(trap) ? ownPassword(c, index) : null));
  }

  /** A name that {@code numbers} would read as a list or as an item id is looked up by its id instead. */
  static boolean addressableByName(String user) {
    return !user.isEmpty() && user.indexOf(',') < 0 && !user.startsWith("*");
  }

  private record UserId(String id, ApplyReply reply) {
  }

  private Future<UserId> lookUpId(ApiConnection c, int index) {
    String user = request.username();
    return c.execute("/user/print", ID_AND_NAME, List.of("?name=" + user)).transform(print -> {
      if (print.failed()) {
        Throwable cause = print.cause();
        return Future.succeededFuture(new UserId(null,
            ApplyReply.notApplied(index, DeviceFailures.beforeChange(cause), DeviceFailures.message(cause))));
      }
      if (!print.result().ok()) {
        return Future.succeededFuture(new UserId(null, ApplyReply.notApplied(index,
            Failure.DEVICE_REJECTED_CREDENTIALS, "user lookup refused: " + firstTrap(print.result()))));
      }
      return Future.succeededFuture(print.result().rows().stream()
          .filter(row -> user.equals(row.get("name")) && row.get(".id") != null)
          .map(row -> new UserId(row.get(".id"), null))
          .findFirst().orElse(new UserId(null, ApplyReply.notApplied(index, Failure.DEVICE_REJECTED_CREDENTIALS,
              "user not found on the router"))));
    });
  }

  /** {@code /password}: the API user changes its own password, proving the one it logged in with. */
  private Future<ApplyReply> ownPassword(ApiConnection c, int index) {
    if (request.pastDeadline()) {
      return timedOut(index);
    }
    String old = request.loginPasswords().get(index);
    Sentence password = Sentence.of("/password", "=old-password=" + old,
        "=new-password=" + request.newPassword(), "=confirm-new-password=" + request.newPassword());
    return c.execute(password).transform(ar -> afterChange(index, "/password", ar, trap -> null));
  }

  /**
   * Classifies the answer to a password-changing command: lost after sending is unknown; refused is not applied
   * unless {@code onTrap} offers another way; done (null) means the router changed.
   */
  private Future<ApplyReply> afterChange(int index, String command, AsyncResult<Reply> ar,
                                         Function<String, Future<ApplyReply>> onTrap) {
    if (ar.failed()) {
      Throwable cause = ar.cause();
      if (cause instanceof ApiException e && e.commandSent()) {
        return Future.succeededFuture(ApplyReply.unknown(index, "result of " + command + " lost: " + e.getMessage()));
      }
      return Future.succeededFuture(
          ApplyReply.notApplied(index, DeviceFailures.beforeChange(cause), DeviceFailures.message(cause)));
    }
    if (!ar.result().ok()) {
      String trap = firstTrap(ar.result());
      Future<ApplyReply> alternative = onTrap.apply(trap);
      if (alternative != null) {
        return alternative;
      }
      return Future.succeededFuture(ApplyReply.notApplied(index, Failure.DEVICE_REJECTED_CREDENTIALS,
          trap.startsWith(NO_SUCH_ITEM) ? "user not found on the router" : "password change refused: " + trap));
    }
    return hook.reached(RotationStep.ROUTER_CHANGED, request.siteUuid(), null).transform(reached -> reached.failed()
        ? Future.succeededFuture(ApplyReply.unknown(index, command + " done, then stopped: " + reached.cause().getMessage()))
        : Future.succeededFuture(null));
  }

  private Future<ApplyReply> timedOut(int index) {
    return Future.succeededFuture(ApplyReply.notApplied(index, Failure.DEVICE_TIMEOUT,
        "the sender's time ran out before the password change was sent"));
  }

  private static String firstTrap(Reply reply) {
    return reply.traps().get(0).message();
  }
}
