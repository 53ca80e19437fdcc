package controlplane.device.push;

import controlplane.core.bus.ApplyReply;
import controlplane.device.client.ApiConnection;
import controlplane.device.client.ApiException;
import controlplane.device.client.Reply;
import controlplane.device.client.RouterOsClient;
import controlplane.device.protocol.Sentence;
import io.vertx.core.Future;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The last step of every password change on a router (an apply, a repair): a fresh connection to the router that
 * presented the pin logs in as the API user with the new password (the proof), and from there ends every other
 * session of that user. From the change on, no one but this operation knows a password of the user, so the listed
 * sessions are exactly the stale ones and this connection's own, the newest: one {@code /user/active/print}, then,
 * when any is stale, one {@code /user/active/remove} of all but the newest (docs/PERFORMANCE.md, "Round trips of one
 * rotation").
 */
final class VerifyAndEndSessions {

  private static final Logger LOG = LoggerFactory.getLogger(VerifyAndEndSessions.class);
  private static final String NO_SUCH_ITEM = "no such item";
  private static final Map<String, String> ID_ONLY = Map.of(".proplist", ".id");

  private VerifyAndEndSessions() {
  }

  /** Applied when the new password logs in; unknown when the connection or the login fails (the change was made). */
  static Future<ApplyReply> run(RouterOsClient client, PushRequest request, int index, String pin) {
    return client.connect(request.host(), request.port(), request.tls(), pin, request.tlsServerName()).transform(connected -> {
      if (connected.failed()) {
        return Future.succeededFuture(ApplyReply.unknown(index,
            "password set, but the verify connection failed: " + DeviceFailures.message(connected.cause())));
      }
      return proveAndEnd(connected.result(), request, index, pin, null);
    });
  }

  /**
   * As {@link #run(RouterOsClient, PushRequest, int, String)}, on {@code opened}, a connection opened before the
   * change: used when it opened and presented {@code pin} (the certificate the first connection saw), else closed
   * and a fresh one is opened as above. One that the router closed before the login is replaced the same way, so that
   * opening it early never turns an applied change into an unknown one.
   */
  static Future<ApplyReply> run(RouterOsClient client, PushRequest request, int index, String pin,
                                Future<ApiConnection> opened) {
    return opened.transform(ar -> {
      if (ar.failed()) {
        return run(client, request, index, pin);
      }
      ApiConnection v = ar.result();
      if (!Objects.equals(v.certificateFingerprint(), pin)) {
        return v.close().transform(closed -> run(client, request, index, pin));
      }
      return proveAndEnd(v, request, index, pin, () -> run(client, request, index, pin));
    });
  }

  /** Closes {@code connection} once it has opened (a connection opened early and not needed). */
  static void closeWhenOpen(Future<ApiConnection> connection) {
    connection.onSuccess(ApiConnection::close);
  }

  /**
   * Logs in on {@code v} with the new password and ends the stale sessions; closes {@code v}. A login that failed
   * for any reason but the refusal of the password goes to {@code retry} when given.
   */
  private static Future<ApplyReply> proveAndEnd(ApiConnection v, PushRequest request, int index, String pin,
                                                Supplier<Future<ApplyReply>> retry) {
    return v.login(request.username(), request.newPassword()).transform(login -> {
      if (login.failed()) {
        boolean refused = login.cause() instanceof ApiException e && e.kind() == ApiException.Kind.LOGIN_FAILED;
        if (retry != null && !refused) {
          return retry.get();
        }
        return Future.succeededFuture(ApplyReply.unknown(index,
            "password set, but the verify login failed: " + DeviceFailures.message(login.cause())));
      }
      return endStale(v, request, true).map(x -> ApplyReply.applied(index, pin));
    }).eventually(v::close);
  }

  /**
   * Best effort: lists the user's sessions and removes all but the newest (this connection's) in one command. A
   * refusal naming a session that ended by itself in between is retried once with a fresh list.
   */
  private static Future<Void> endStale(ApiConnection v, PushRequest request, boolean retry) {
    return v.execute("/user/active/print", ID_ONLY, List.of("?name=" + request.username())).compose(print -> {
      if (!print.ok()) {
        LOG.debug("site {}: could not list active sessions", request.siteId());
        return Future.<Void>succeededFuture();
      }
      List<String> stale = staleSessions(print);
      if (stale.isEmpty()) {
        return Future.<Void>succeededFuture();
      }
      Sentence remove = Sentence.of("/user/active/remove", "=numbers=" + String.join(",", stale));
      return v.execute(remove).compose(removed -> removed.ok() || !retry
          || !removed.traps().get(0).message().startsWith(NO_SUCH_ITEM)
          ? Future.<Void>succeededFuture() : endStale(v, request, false));
    }).otherwiseEmpty();
  }

  /** Every listed session id but the newest; ids sorted oldest first. */
  static List<String> staleSessions(Reply print) {
    List<String> ids = new ArrayList<>(print.rows().size());
    for (Map<String, String> row : print.rows()) {
      String id = row.get(".id");
      if (id != null) {
        ids.add(id);
      }
    }
    if (ids.size() < 2) {
      return List.of();
    }
    ids.sort(Comparator.comparingLong(VerifyAndEndSessions::idNumber).thenComparing(Comparator.naturalOrder()));
    return ids.subList(0, ids.size() - 1);
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
