package controlplane.http;

import controlplane.http.impl.OperationsHandlers;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import java.util.Objects;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The HTTP listener of a process without the {@code api} role (a core-only or an edge process): only
 * {@code GET /health/live}, {@code GET /health/ready} and {@code GET /metrics}, unauthenticated, on {@code http.port}
 * with the API listener's TLS and connection bounds ({@link HttpListener}). Readiness is what the process says it
 * is: {@code readiness} answers the body of a 200, or fails for a 503.
 */
public final class HealthVerticle extends VerticleBase {

  private static final Logger LOG = LoggerFactory.getLogger(HealthVerticle.class);

  private final HttpConfig config;
  private final PrometheusMeterRegistry registry;
  private final Supplier<Future<JsonObject>> readiness;
  private HttpServer server;

  public HealthVerticle(HttpConfig config, PrometheusMeterRegistry registry, Supplier<Future<JsonObject>> readiness) {
    this.config = Objects.requireNonNull(config, "config");
    this.registry = Objects.requireNonNull(registry, "registry");
    this.readiness = Objects.requireNonNull(readiness, "readiness");
  }

  @Override
  public Future<?> start() {
    Router router = Router.router(vertx);
    router.get("/health/live").handler(ctx -> ctx.json(new JsonObject().put("status", "up")));
    router.get("/health/ready").handler(ctx -> readiness.get().onComplete(ar -> {
      if (ar.succeeded()) {
        ctx.json(ar.result().copy().put("status", "ready"));
      } else {
        ctx.response().setStatusCode(503).putHeader("Content-Type", "application/json")
            .end(new JsonObject().put("type", "api_error").put("code", "service_unavailable")
                .put("message", "not ready: " + ar.cause().getMessage()).encode());
      }
    }));
    router.get("/metrics").handler(ctx -> vertx.executeBlocking(registry::scrape, false)
        .onSuccess(text -> ctx.response().putHeader("Content-Type", OperationsHandlers.PROMETHEUS_CONTENT_TYPE)
            .end(text))
        .onFailure(ctx::fail));
    router.route().handler(ctx -> ctx.response().setStatusCode(404).putHeader("Content-Type", "application/json")
        .end(new JsonObject().put("type", "not_found_error").put("code", "not_found")
            .put("message", "this process serves no API (roles without api): only /health/* and /metrics").encode()));
    return HttpListener.listen(vertx, config, router).onSuccess(s -> {
      server = s;
      LOG.info("health and metrics listening on {}:{} (no API: roles without api; {}, idle timeout {} s, at most {} "
          + "connections)", config.host(), s.actualPort(), config.tls().enabled() ? "HTTPS" : "plain HTTP",
          config.effectiveIdleTimeoutSeconds(), config.limits().maxConnections());
    });
  }

  @Override
  public Future<?> stop() {
    return server == null ? Future.succeededFuture() : server.close();
  }

  /** The port actually bound (useful with {@code http.port: 0}); -1 before the verticle has started. */
  public int actualPort() {
    return server == null ? -1 : server.actualPort();
  }
}
