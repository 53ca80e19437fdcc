package controlplane.http.impl;

import controlplane.core.bus.Addresses;
import controlplane.core.bus.Failure;
import controlplane.core.bus.HealthReply;
import controlplane.core.bus.HealthRequest;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.eventbus.ReplyFailure;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.util.Map;

/** The unauthenticated operations: the contract, Prometheus metrics, liveness and readiness. */
public final class OperationsHandlers {

  /** Prometheus text exposition format. */
  public static final String PROMETHEUS_CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";
  private static final long READINESS_TIMEOUT_MS = 5_000;

  private final Vertx vertx;
  private final CoreClient core;
  private final PrometheusMeterRegistry registry;
  private final Buffer openApiYaml;

  public OperationsHandlers(Vertx vertx, CoreClient core, PrometheusMeterRegistry registry, Buffer openApiYaml) {
    this.vertx = vertx;
    this.core = core;
    this.registry = registry;
    this.openApiYaml = openApiYaml;
  }

  /** Handlers by operation id of the contract. */
  public Map<String, Handler<RoutingContext>> byOperationId() {
    return Map.of(
      "getOpenApi", this::openApi,
      "getMetrics", this::metrics,
      "getLiveness", this::live,
      "getReadiness", this::ready);
  }

  private void openApi(RoutingContext ctx) {
    ctx.response().putHeader("Content-Type", "application/yaml; charset=utf-8").end(openApiYaml);
  }

  private void metrics(RoutingContext ctx) {
    vertx.executeBlocking(registry::scrape, false)
      .onSuccess(text -> ctx.response().putHeader("Content-Type", PROMETHEUS_CONTENT_TYPE).end(text))
      .onFailure(ctx::fail);
  }

  private void live(RoutingContext ctx) {
    ctx.json(new JsonObject().put("status", "up"));
  }

  /** Ready when core's persistence answers healthy; any failure (including no core at all) is a 503. */
  private void ready(RoutingContext ctx) {
    core.request(Addresses.PERSISTENCE_HEALTH, new HealthRequest().toJson(),
        new DeliveryOptions(core.options()).setSendTimeout(READINESS_TIMEOUT_MS))
      .map(HealthReply::fromJson)
      .onSuccess(health -> {
        if (health.database() && health.migrations()) {
          ctx.json(new JsonObject().put("status", "ready").mergeIn(health.toJson()));
        } else {
          ctx.fail(new ApiException(HttpError.of(Failure.DATABASE_UNAVAILABLE,
            "database reachable: " + health.database() + ", migrations applied: " + health.migrations())));
        }
      })
      .onFailure(e -> ctx.fail(new ApiException(notReady(e))));
  }

  private static HttpError notReady(Throwable e) {
    if (e instanceof ReplyException re && re.failureType() == ReplyFailure.RECIPIENT_FAILURE
      && Failure.of(re) == Failure.DATABASE_UNAVAILABLE) {
      return HttpError.of(Failure.DATABASE_UNAVAILABLE, re.getMessage());
    }
    return HttpError.serviceUnavailable();
  }
}
