package controlplane.http.impl;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.Message;
import io.vertx.core.json.JsonObject;

/**
 * Requests to core over the event bus ({@code docs/EVENT-BUS.md}). A failed reply stays a
 * {@link io.vertx.core.eventbus.ReplyException}; {@link ErrorHandler} classifies it.
 */
public final class CoreClient {

  private final Vertx vertx;
  private final DeliveryOptions options;

  /** {@code timeoutMs} must exceed core's own device timeout, so that core answers before the bus gives up. */
  public CoreClient(Vertx vertx, long timeoutMs) {
    this(vertx, timeoutMs, false);
  }

  /**
   * With {@code localCore}, requests go to this process's own core only (a clustered api+core process: its API
   * never waits on another process's core, which may have died); otherwise to any core of the cluster.
   */
  public CoreClient(Vertx vertx, long timeoutMs, boolean localCore) {
    this.vertx = vertx;
    this.options = new DeliveryOptions().setSendTimeout(timeoutMs).setLocalOnly(localCore);
  }

  /** A copy of the delivery options of every request (timeout, local only). */
  public DeliveryOptions options() {
    return new DeliveryOptions(options);
  }

  /** Sends {@code message} to {@code address}; the reply must be a JSON object. */
  public Future<JsonObject> request(String address, JsonObject message) {
    return request(address, message, options);
  }

  /** Same, with explicit delivery options (a shorter timeout for health checks). */
  public Future<JsonObject> request(String address, JsonObject message, DeliveryOptions deliveryOptions) {
    return vertx.eventBus().<Object>request(address, message, deliveryOptions)
      .map(Message::body)
      .compose(body -> body instanceof JsonObject json
        ? Future.succeededFuture(json)
        : Future.failedFuture(new IllegalStateException("core answered " + address + " with a non-object reply")));
  }
}
