package controlplane.core.rotation;

import controlplane.core.bus.Addresses;
import controlplane.core.bus.ApplyReply;
import controlplane.core.bus.ApplyRequest;
import controlplane.core.bus.DeviceRequest;
import controlplane.core.bus.DeviceTarget;
import controlplane.core.bus.Failure;
import controlplane.core.bus.ProbeReply;
import controlplane.core.bus.ProbeRequest;
import controlplane.core.bus.RepairRequest;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A scripted device-push consumer on {@link Addresses#DEVICE_PUSH_ANY}: each site's router is a password (and, for
 * API-SSL, the fingerprint of the certificate it presents), and a {@link Mode} says how the next operations behave.
 * Like the device, it refuses a router whose certificate is not the target's pin before any login. Every password it
 * sees is remembered for the dump test, every target it was sent for the pin tests.
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
  final Map<String, String> certificates = new ConcurrentHashMap<>();
  /** Each site's reconcile account's password: the second user allowed to set the API user's password. */
  final Map<String, String> reconcile = new ConcurrentHashMap<>();
  final AtomicInteger repairs = new AtomicInteger();
  final List<DeviceTarget> targets = new CopyOnWriteArrayList<>();
  final Set<String> seen = ConcurrentHashMap.newKeySet();
  final AtomicInteger applies = new AtomicInteger();
  final AtomicInteger probes = new AtomicInteger();
  /** Every {@code target.host} a request named. */
  final Set<String> hosts = ConcurrentHashMap.newKeySet();
  volatile Mode mode = Mode.NORMAL;
  /** When set, apply replies wait for it. */
  volatile Future<Void> holdApplies;
  /** When set, probe replies wait for it. */
  volatile Future<Void> holdProbes;
  /** When positive, each apply replies this many milliseconds after it arrives. */
  volatile long applyDelayMs;
  /** Applies arrived and not replied to yet, per edge (the site's edge as {@link #edges} names it). */
  private final Map<String, AtomicInteger> applying = new ConcurrentHashMap<>();
  /** The most applies that were in progress at once, per edge. */
  final Map<String, Integer> maxApplying = new ConcurrentHashMap<>();
  /** The edge of each site, for {@link #maxApplying}; a site not named here is on edge {@code "?"}. */
  final Map<String, String> edges = new ConcurrentHashMap<>();
  private MessageConsumer<JsonObject> consumer;
  private Vertx vertx;

  Future<Void> register(Vertx vertx) {
    this.vertx = vertx;
    consumer = vertx.eventBus().consumer(Addresses.DEVICE_PUSH_ANY, this::handle);
    return consumer.completion();
  }

  /** Stops consuming: no process serves any edge until {@link #register} again. */
  Future<Void> unregister() {
    return consumer.unregister();
  }

  String password(String siteId) {
    return passwords.get(siteId);
  }

  void set(String siteId, String password) {
    seen.add(password);
    passwords.put(siteId, password);
  }

  private void handle(Message<JsonObject> message) {
    DeviceRequest request = DeviceRequest.fromJson(message.body());
    String siteId = request.target().siteId();
    request.loginPasswords().forEach(seen::add);
    targets.add(request.target());
    String presented = request.target().tls() ? certificates.get(siteId) : null;
    String pin = request.target().tlsFingerprint();
    if (pin != null && !pin.equals(presented)) {
      String why = "the router presented the certificate sha256 " + presented + ", not the pinned one";
      message.reply(request instanceof ProbeRequest
          ? new ProbeReply(false, -1, Failure.DEVICE_CERTIFICATE_MISMATCH, why).toJson()
          : ApplyReply.notApplied(-1, Failure.DEVICE_CERTIFICATE_MISMATCH, why).toJson());
      return;
    }
    hosts.add(request.target().host());
    if (request instanceof RepairRequest repair) {
      repairs.incrementAndGet();
      seen.add(repair.newPassword());
      ApplyReply reply;
      if (mode == Mode.UNREACHABLE) {
        reply = ApplyReply.notApplied(-1, Failure.DEVICE_UNREACHABLE, "connection refused");
      } else if (!repair.loginPassword().equals(reconcile.get(siteId))) {
        reply = ApplyReply.notApplied(-1, Failure.DEVICE_REJECTED_CREDENTIALS, "the reconcile account does not log in");
      } else {
        passwords.put(siteId, repair.newPassword());
        reply = ApplyReply.applied(0);
      }
      message.reply(reply.toJson());
      return;
    }
    int index = request.loginPasswords().indexOf(passwords.get(siteId));
    Mode m = mode;
    if (request instanceof ProbeRequest) {
      probes.incrementAndGet();
      ProbeReply reply = m == Mode.UNREACHABLE
          ? new ProbeReply(false, -1, Failure.DEVICE_UNREACHABLE, "connection refused")
          : new ProbeReply(true, index, null, null, presented);
      Future<Void> hold = holdProbes;
      (hold == null ? Future.<Void>succeededFuture() : hold).onComplete(ar -> message.reply(reply.toJson()));
      return;
    }
    applies.incrementAndGet();
    String next = ((ApplyRequest) request).newPassword();
    seen.add(next);
    ApplyReply reply;
    if (m == Mode.UNREACHABLE) {
      reply = ApplyReply.notApplied(-1, Failure.DEVICE_UNREACHABLE, "connection refused");
    } else if (index < 0) {
      reply = ApplyReply.notApplied(-1, Failure.DEVICE_REJECTED_CREDENTIALS, "no password logs in");
    } else {
      if (m != Mode.UNKNOWN_NOT_APPLIED) {
        passwords.put(siteId, next);
      }
      reply = m == Mode.NORMAL ? ApplyReply.applied(index) : ApplyReply.unknown(index, "connection lost");
    }
    if (m == Mode.SILENT_APPLIED) {
      return;
    }
    String edge = edges.getOrDefault(siteId, "?");
    int now = applying.computeIfAbsent(edge, e -> new AtomicInteger()).incrementAndGet();
    maxApplying.merge(edge, now, Math::max);
    Future<Void> hold = holdApplies;
    long delay = applyDelayMs;
    Future<Void> delayed = delay <= 0 ? Future.succeededFuture() : vertx.timer(delay).mapEmpty();
    (hold == null ? delayed : hold.compose(v -> delayed)).onComplete(ar -> {
      applying.get(edge).decrementAndGet();
      message.reply(reply.toJson());
    });
  }
}
