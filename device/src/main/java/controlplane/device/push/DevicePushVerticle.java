package controlplane.device.push;

import controlplane.core.bus.Addresses;
import controlplane.core.bus.ApplyReply;
import controlplane.core.bus.DeviceOp;
import controlplane.core.bus.DeviceOutcome;
import controlplane.core.bus.Failure;
import controlplane.core.bus.ProbeReply;
import controlplane.core.bus.RotationHook;
import controlplane.device.DeviceConfig;
import controlplane.device.client.RouterOsClient;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.event.Level;

/**
 * Carries out credential changes on routers: consumes the device-push address of each configured edge (and
 * {@link Addresses#DEVICE_PUSH_ANY} when the edges include {@code "*"}) and answers {@code apply},
 * {@code probe} and {@code repair} requests with a classified outcome, as docs/EVENT-BUS.md describes. Records the timer
 * {@value #TIMER} tagged with {@code op} and {@code outcome}.
 */
public final class DevicePushVerticle extends VerticleBase {

  /** Name of the Micrometer timer of every device operation. */
  public static final String TIMER = "cp_device_operation_seconds";

  private static final Logger LOG = LoggerFactory.getLogger(DevicePushVerticle.class);

  private final DeviceConfig config;
  private final MeterRegistry registry;
  private final java.util.Map<String, Timer> timers = new java.util.concurrent.ConcurrentHashMap<>();
  private final RotationHook hook;
  private RouterOsClient client;

  public DevicePushVerticle(DeviceConfig config, MeterRegistry registry) {
    this(config, registry, RotationHook.NONE);
  }

  /** With a hook called when a router has accepted a new password (crash tests stop the process there). */
  public DevicePushVerticle(DeviceConfig config, MeterRegistry registry, RotationHook hook) {
    this.config = config;
    this.registry = registry;
    this.hook = hook;
  }

  @Override
  public Future<?> start() {
    Future<String> trustPem = config.trustPem() == null
        ? Future.succeededFuture(null)
        : vertx.fileSystem().readFile(config.trustPem()).map(Buffer::toString);
    return trustPem.compose(pem -> {
      client = RouterOsClient.create(vertx, config.clientOptions(pem));
      List<Future<Void>> registered = new ArrayList<>();
      for (String address : addresses()) {
        MessageConsumer<Object> consumer = vertx.eventBus().consumer(address, this::handle);
        registered.add(consumer.completion());
      }
      // DEBUG: a process deploys several (device.instances) and says so once, at INFO.
      LOG.debug("device push consuming {}", addresses());
      if (config.trustAll()) {
        LOG.warn("device.trustAll is set: API-SSL certificates are not checked, pinned or not (lab only)");
      }
      return Future.all(registered);
    });
  }

  @Override
  public Future<?> stop() {
    return client == null ? Future.succeededFuture() : client.close();
  }

  private Set<String> addresses() {
    Set<String> out = new LinkedHashSet<>();
    for (String edge : config.edges()) {
      out.add(DeviceConfig.ALL_EDGES.equals(edge) ? Addresses.DEVICE_PUSH_ANY : Addresses.devicePush(edge));
    }
    return out;
  }

  private void handle(Message<Object> msg) {
    PushRequest request;
    try {
      request = PushRequest.parse(msg.body());
    } catch (PushRequest.Malformed e) {
      LOG.warn("malformed device request on {}: {}", msg.address(), e.getMessage());
      record(Timer.start(registry), "invalid", "invalid");
      msg.fail(Failure.INTERNAL_ERROR.code(), "malformed device request: " + e.getMessage());
      return;
    }
    Timer.Sample sample = Timer.start(registry);
    if (request.op() == DeviceOp.REPAIR) {
      new RepairOperation(client, request).run()
          .recover(t -> unexpected(request, t, ApplyReply.unknown(-1, INTERNAL)))
          .map(r -> done(sample, request, r.outcome().wire(), r.loginIndex(), r.failure(), r.toJson()))
          .onSuccess(msg::reply);
      return;
    }
    Future<JsonObject> reply = request.op() == DeviceOp.APPLY
        ? new ApplyOperation(client, request, hook).run()
            .recover(t -> unexpected(request, t, ApplyReply.unknown(-1, INTERNAL)))
            .map(r -> done(sample, request, r.outcome().wire(), r.loginIndex(), r.failure(), r.toJson()))
        : new ProbeOperation(client, request).run()
            .recover(t -> unexpected(request, t, new ProbeReply(false, -1, Failure.DEVICE_UNREACHABLE, INTERNAL)))
            .map(r -> done(sample, request, r.loginIndex() >= 0 ? LOGGED_IN
                : r.failure() == null ? Failure.DEVICE_UNREACHABLE.id() : r.failure().id(), r.loginIndex(),
                r.failure(), r.toJson()));
    reply.onSuccess(msg::reply);
  }

  private static final String INTERNAL = "internal error in the device operation";
  /** The outcome tag of a probe in which a password logged in. */
  private static final String LOGGED_IN = "logged_in";

  /** Not expected: every client failure is classified. The safe answer lets the reconciler settle it. */
  private static <T> Future<T> unexpected(PushRequest request, Throwable t, T safeAnswer) {
    LOG.error("device {} for site {} failed unexpectedly", request.op().wire(), request.siteId(), t);
    return Future.succeededFuture(safeAnswer);
  }

  /**
   * Records the operation's timer with {@code outcome} (apply: the outcome; probe: {@code logged_in} or the failure
   * id; never a site id or a password) and logs anything but a success, which is core's to log.
   */
  private JsonObject done(Timer.Sample sample, PushRequest request, String outcome, int loginIndex, Failure failure,
                          JsonObject reply) {
    record(sample, request.op().wire(), outcome);
    boolean success = DeviceOutcome.APPLIED.wire().equals(outcome) || LOGGED_IN.equals(outcome);
    LOG.atLevel(success ? Level.DEBUG : Level.INFO).log(
        "device {} site={} target={}:{} outcome={} login_index={} failure={}", request.op().wire(), request.siteId(),
        request.host(), request.port(), outcome, loginIndex, failure == null ? null : failure.id());
    return reply;
  }

  private void record(Timer.Sample sample, String op, String outcome) {
    // A few (op, outcome) pairs: each timer is built once, not looked up in the registry per operation.
    sample.stop(timers.computeIfAbsent(op + '\u0000' + outcome, k -> Timer.builder(TIMER)
        .description("Duration of device operations on routers")
        .tag("op", op)
        .tag("outcome", outcome)
        .register(registry)));
  }
}
