package controlplane.http;

import controlplane.http.impl.ApiContract;
import controlplane.http.impl.ApiRouter;
import controlplane.http.impl.ControlPlaneHandlers;
import controlplane.http.impl.CoreClient;
import controlplane.http.impl.DeletedSitesHandlers;
import controlplane.http.impl.JobsHandlers;
import controlplane.http.impl.JwksKeys;
import controlplane.http.impl.JwtAuthFactory;
import controlplane.http.impl.OperationsHandlers;
import controlplane.http.impl.RotationPolicyHandlers;
import controlplane.http.impl.VerifiedTokens;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.VerticleBase;
import io.vertx.core.http.HttpServer;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The HTTP API: the {@code /control-plane} endpoints of the OpenAPI contract ({@code openapi.yaml}), authenticated
 * with JWT bearer tokens and answered by core over the event bus ({@code docs/EVENT-BUS.md}), plus
 * {@code /openapi.yaml}, {@code /metrics} and {@code /health/live|ready}. Talks to no other module directly. Speaks
 * HTTP/1.1 (HTTPS only when {@code http.tls} is set), closes idle connections and caps how many are open.
 */
public final class HttpVerticle extends VerticleBase {

  private static final Logger LOG = LoggerFactory.getLogger(HttpVerticle.class);

  private final HttpConfig config;
  private final PrometheusMeterRegistry registry;
  private final boolean localCore;
  private HttpServer server;
  private JwksKeys keys;

  /**
   * @param config   the {@code http} and {@code auth.jwt} configuration; at least one verification key is required
   * @param registry the registry scraped by {@code GET /metrics}
   */
  public HttpVerticle(HttpConfig config, PrometheusMeterRegistry registry) {
    this(config, registry, false);
  }

  /**
   * @param localCore true: core runs in this process, and every request goes to it alone (in a cluster, an API node
   *                  never waits on another node's core); false: any core the event bus reaches
   */
  public HttpVerticle(HttpConfig config, PrometheusMeterRegistry registry, boolean localCore) {
    this.config = Objects.requireNonNull(config, "config");
    this.registry = Objects.requireNonNull(registry, "registry");
    this.localCore = localCore;
  }

  /** Loads the contract and the verification keys (JWKS included), then listens. */
  @Override
  public Future<?> start() {
    CoreClient core = new CoreClient(vertx, config.requestTimeoutMs(), localCore);
    VerifiedTokens verified = new VerifiedTokens();
    return ApiContract.load(vertx)
      .compose(api -> JwtAuthFactory.create(vertx, config).map(jwt -> {
        keys = jwt;
        jwt.onChange(verified::clear);
        Map<String, Handler<RoutingContext>> handlers = new HashMap<>();
        handlers.putAll(new ControlPlaneHandlers(core).byOperationId());
        handlers.putAll(new DeletedSitesHandlers(core).byOperationId());
        handlers.putAll(new JobsHandlers(core).byOperationId());
        handlers.putAll(new RotationPolicyHandlers(core).byOperationId());
        handlers.putAll(new OperationsHandlers(vertx, core, registry, api.yaml()).byOperationId());
        return ApiRouter.create(vertx, api, jwt, verified, config.maxBodyBytes(), handlers);
      }))
      .compose(this::listen)
      .onSuccess(s -> LOG.info("HTTP API listening on {}:{} ({}, idle timeout {} s, at most {} connections)",
        config.host(), s.actualPort(), config.tls().enabled() ? "HTTPS" : "plain HTTP",
        config.effectiveIdleTimeoutSeconds(), config.limits().maxConnections()))
      .onFailure(e -> {
        if (keys != null) {
          keys.close();
        }
      });
  }

  private Future<HttpServer> listen(Router router) {
    return HttpListener.listen(vertx, config, router).onSuccess(s -> server = s);
  }

  @Override
  public Future<?> stop() {
    if (keys != null) {
      keys.close();
    }
    return server == null ? Future.succeededFuture() : server.close();
  }

  /** The port actually bound (useful with {@code http.port: 0}); -1 before the verticle has started. */
  public int actualPort() {
    return server == null ? -1 : server.actualPort();
  }
}
