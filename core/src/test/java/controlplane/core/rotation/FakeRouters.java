package controlplane.core.rotation;

import controlplane.core.bus.Addresses;
import controlplane.core.bus.DeviceOps;
import controlplane.core.bus.DeviceOutcome;
import controlplane.core.bus.Failure;
import controlplane.core.bus.Fields;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A scripted device-push consumer on {@link Addresses#DEVICE_PUSH_ANY}: each site's router is a password, and a
 * {@link Mode} says how the next operations behave. Every password it sees is remembered for the dump test.
 */
final class FakeRouters {

  enum Mode {
    /** Behaves like a healthy router. */
    NORMAL,
    /** Cannot be reached: apply is not_applied/device_unreachable, probe is unreachable. */
    UNREACHABLE,
    /** Applies the change but replies unknown (connection lost after /user/set). */
    UNKNOWN_APPLIED,
    /** Does not apply the change and replies unknown (connection lost before /user/set was executed). */
    UNKNOWN_NOT_APPLIED,
    /** Applies the change and never replies (the event-bus request times out). */
    SILENT_APPLIED
  }

  final Map<String, String> passwords = new ConcurrentHashMap<>();
  final Set<String> seen = ConcurrentHashMap.newKeySet();
  final AtomicInteger applies = new AtomicInteger();
  volatile Mode mode = Mode.NORMAL;
  /** When set, apply replies wait for it. */
  volatile Future<Void> holdApplies;
  private MessageConsumer<JsonObject> consumer;

  Future<Void> register(Vertx vertx) {
    consumer = vertx.eventBus().consumer(Addresses.DEVICE_PUSH_ANY, this::handle);
    return consumer.completion();
  }

  String password(String siteId) {
    return passwords.get(siteId);
  }

  void set(String siteId, String password) {
    seen.add(password);
    passwords.put(siteId, password);
  }

  private void handle(Message<JsonObject> message) {
    JsonObject body = message.body();
    String siteId = body.getJsonObject(Fields.TARGET).getString(Fields.SITE_ID);
    JsonArray logins = body.getJsonArray(Fields.LOGIN_PASSWORDS);
    logins.forEach(p -> seen.add((String) p));
    int index = logins.getList().indexOf(passwords.get(siteId));
    Mode m = mode;
    if (DeviceOps.PROBE.equals(body.getString(Fields.OP))) {
      message.reply(m == Mode.UNREACHABLE
          ? new JsonObject().put(Fields.REACHABLE, false).put(Fields.LOGIN_INDEX, -1)
              .put(Fields.FAILURE, Failure.DEVICE_UNREACHABLE.id()).put(Fields.MESSAGE, "connection refused")
          : new JsonObject().put(Fields.REACHABLE, true).put(Fields.LOGIN_INDEX, index));
      return;
    }
    applies.incrementAndGet();
    String next = body.getString(Fields.NEW_PASSWORD);
    seen.add(next);
    JsonObject reply;
    if (m == Mode.UNREACHABLE) {
      reply = notApplied(Failure.DEVICE_UNREACHABLE, "connection refused");
    } else if (index < 0) {
      reply = notApplied(Failure.DEVICE_REJECTED_CREDENTIALS, "no password logs in");
    } else {
      if (m != Mode.UNKNOWN_NOT_APPLIED) {
        passwords.put(siteId, next);
      }
      reply = m == Mode.NORMAL
          ? new JsonObject().put(Fields.OUTCOME, DeviceOutcome.APPLIED).put(Fields.LOGIN_INDEX, index)
          : new JsonObject().put(Fields.OUTCOME, DeviceOutcome.UNKNOWN).put(Fields.LOGIN_INDEX, index)
              .put(Fields.FAILURE, Failure.DEVICE_OUTCOME_UNKNOWN.id()).put(Fields.MESSAGE, "connection lost");
    }
    if (m == Mode.SILENT_APPLIED) {
      return;
    }
    Future<Void> hold = holdApplies;
    (hold == null ? Future.<Void>succeededFuture() : hold).onComplete(ar -> message.reply(reply));
  }

  private static JsonObject notApplied(Failure failure, String text) {
    return new JsonObject().put(Fields.OUTCOME, DeviceOutcome.NOT_APPLIED).put(Fields.LOGIN_INDEX, -1)
        .put(Fields.FAILURE, failure.id()).put(Fields.MESSAGE, text);
  }
}
