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
import controlplane.core.persistence.Site;
import io.vertx.core.Future;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.eventbus.ReplyFailure;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.function.BiFunction;
import java.util.function.Function;

/**
 * Sends device operations to the device-push address of a site's edge, falling back to {@link Addresses#DEVICE_PUSH_ANY}
 * when nobody consumes the edge's own address. When nobody consumes either (no process of the cluster serves that
 * edge), the operation fails at once with {@link Failure#EDGE_UNAVAILABLE}: nothing reached any router. A consumer
 * that goes away mid-operation (an edge process killed) is a timeout instead: the router may have acted. The router is dialled at the address its {@link TargetGuard} answers
 * now; one it refuses is never sent, and the operation answers {@code not_applied} or unreachable with its failure.
 */
public final class DeviceGateway {

  private final EventBus eventBus;
  private final TargetGuard targets;
  private final long timeoutMs;

  /** Time kept back from the device's budget for the trip over the event bus. */
  static final long BUDGET_MARGIN_MS = 1000;

  DeviceGateway(EventBus eventBus, TargetGuard targets, long timeoutMs) {
    this.eventBus = eventBus;
    this.targets = targets;
    this.timeoutMs = timeoutMs;
  }

  /** {@code op: apply}: set {@code newPassword}, logging in with the first of {@code logins} that works. */
  public Future<ApplyReply> apply(Site site, String newPassword, List<String> logins) {
    // The device stops short of the change a little before we stop waiting, so that a change never starts after
    // this side has handed the version to the reconciler.
    long budget = Math.max(1, timeoutMs - BUDGET_MARGIN_MS);
    return send(site, target -> new ApplyRequest(target, newPassword, List.copyOf(logins), budget),
        ApplyReply::fromJson, (refused, why) -> ApplyReply.notApplied(-1, refused, why));
  }

  /**
   * {@code op: repair}: as the reconcile account ({@code loginUsername}, {@code loginPassword}), set
   * {@code newPassword} on the site's API user and prove it; answered like an apply.
   */
  public Future<ApplyReply> repair(Site site, String loginUsername, String loginPassword, String newPassword) {
    long budget = Math.max(1, timeoutMs - BUDGET_MARGIN_MS);
    return send(site, target -> new RepairRequest(target, loginUsername, loginPassword, newPassword, budget),
        ApplyReply::fromJson, (refused, why) -> ApplyReply.notApplied(-1, refused, why));
  }

  /** {@code op: probe}: which of {@code logins} logs in. */
  public Future<ProbeReply> probe(Site site, List<String> logins) {
    return send(site, target -> new ProbeRequest(target, List.copyOf(logins)), ProbeReply::fromJson,
        (refused, why) -> new ProbeReply(false, -1, refused, why));
  }

  /**
   * Sends the request that {@code request} builds for the site's checked address and reads the reply; when the
   * address is refused (or no longer resolves) nothing is sent and {@code refusal} answers instead.
   */
  private <R> Future<R> send(Site site, Function<DeviceTarget, DeviceRequest> request, Function<Object, R> read,
                             BiFunction<Failure, String, R> refusal) {
    return targets.address(site.ipAddress()).transform(ar -> ar.failed()
        ? Future.succeededFuture(refusal.apply(Failure.of(ar.cause()), "not dialled: " + ar.cause().getMessage()))
        : send(site, request.apply(site.target(ar.result()))).map(read));
  }

  private Future<Object> send(Site site, DeviceRequest request) {
    JsonObject body = request.toJson();
    DeliveryOptions options = new DeliveryOptions().setSendTimeout(timeoutMs);
    return eventBus.request(Addresses.devicePush(site.serverIp()), body, options)
        .recover(t -> isNoHandlers(t)
            ? eventBus.request(Addresses.DEVICE_PUSH_ANY, body, options)
            : Future.failedFuture(t))
        .recover(t -> isNoHandlers(t)
            ? Future.failedFuture(edgeUnavailable(site.serverIp()))
            : Future.failedFuture(t))
        .map(Message::body);
  }

  /** The failure of an operation for a site on {@code serverIp} that no process serves. */
  static ReplyException edgeUnavailable(String serverIp) {
    return Failure.EDGE_UNAVAILABLE.exception("no process serves edge " + serverIp + " (device.edges); nothing was"
        + " sent to the router");
  }

  /**
   * Nobody consumed the message, so it was never delivered: the event bus's own {@code NO_HANDLERS} or this
   * gateway's {@link Failure#EDGE_UNAVAILABLE}. Never true for a timeout.
   */
  public static boolean isNoHandlers(Throwable t) {
    return t instanceof ReplyException re && (re.failureType() == ReplyFailure.NO_HANDLERS
        || re.failureType() == ReplyFailure.RECIPIENT_FAILURE && re.failureCode() == Failure.EDGE_UNAVAILABLE.code());
  }

  /** The event-bus timeout elapsed: the device may or may not have acted. */
  public static boolean isTimeout(Throwable t) {
    return t instanceof ReplyException re && re.failureType() == ReplyFailure.TIMEOUT;
  }
}
