package controlplane.device.push;

import controlplane.core.bus.Addresses;
import controlplane.core.bus.DeviceOps;
import controlplane.core.bus.DeviceOutcome;
import controlplane.core.bus.Failure;
import controlplane.core.bus.Fields;
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
 * {@link Addresses#DEVICE_PUSH_ANY} when the edges include {@code "*"}) and answers {@code apply} and
 * {@code probe} requests with a classified outcome, as docs/EVENT-BUS.md describes. Records the timer
 * {@value #TIMER} tagged with {@code op} and {@code outcome}.
 */
public final class DevicePushVerticle extends VerticleBase {

  /** Name of the Micrometer timer of every device operation. */
  public static final String TIMER = "cp_device_operation_seconds";

  private static final Logger LOG = LoggerFactory.getLogger(DevicePushVerticle.class);

  private final DeviceConfig config;
  private final MeterRegistry registry;
  private RouterOsClient client;

  public DevicePushVerticle(DeviceConfig config, MeterRegistry registry) {
    this.config = config;
    this.registry = registry;
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
      LOG.info("device push consuming {}", addresses());
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
    boolean apply = DeviceOps.APPLY.equals(request.op());
    Future<JsonObject> result = apply
        ? new ApplyOperation(client, request).run()
        : new ProbeOperation(client, request).run();
    result
        .recover(t -> {
          // Not expected: every client failure is classified. The safe answer lets the reconciler settle it.
          LOG.error("device {} for site {} failed unexpectedly", request.op(), request.siteId(), t);
          return Future.succeededFuture(apply
              ? Replies.unknown(-1, "internal error in the device operation")
              : Replies.probe(false, -1, Failure.DEVICE_UNREACHABLE, "internal error in the device operation"));
        })
        .onSuccess(reply -> {
          String outcome = outcomeTag(apply, reply);
          record(sample, request.op(), outcome);
          // Success is core's to log (one line per rotation); anything else is worth a line here.
          boolean success = DeviceOutcome.APPLIED.equals(outcome) || "logged_in".equals(outcome);
          LOG.atLevel(success ? Level.DEBUG : Level.INFO).log(
              "device {} site={} target={}:{} outcome={} login_index={} failure={}", request.op(), request.siteId(),
              request.host(), request.port(), outcome, reply.getInteger(Fields.LOGIN_INDEX),
              reply.getString(Fields.FAILURE));
          msg.reply(reply);
        });
  }

  /** apply: the outcome; probe: {@code logged_in} or the failure id. Never a site id or a password. */
  private static String outcomeTag(boolean apply, JsonObject reply) {
    if (apply) {
      return reply.getString(Fields.OUTCOME, DeviceOutcome.UNKNOWN);
    }
    return reply.getInteger(Fields.LOGIN_INDEX, -1) >= 0 ? "logged_in" : reply.getString(Fields.FAILURE);
  }

  private void record(Timer.Sample sample, String op, String outcome) {
    sample.stop(Timer.builder(TIMER)
        .description("Duration of device operations on routers")
        .tag("op", op)
        .tag("outcome", outcome)
        .register(registry));
  }
}
