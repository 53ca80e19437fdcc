package controlplane.http.impl;

import controlplane.core.bus.Failure;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.auth.jwt.JWTAuth;
import io.vertx.ext.web.Route;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import io.vertx.openapi.contract.Operation;
import io.vertx.openapi.contract.Path;
import io.vertx.openapi.contract.SecurityRequirement;
import io.vertx.openapi.validation.RequestValidator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Builds the router from the OpenAPI contract: one route per operation, each with the chain bearer auth (the scope
 * the contract names for the operation) → site id → contract validation → the operation's handler. The route of a
 * GET operation also answers HEAD ({@link HeadRequests}). In front of every route: request id and access log, the
 * path guard and the bounded body handler; behind all of them the one {@link ErrorHandler}. The bearer handlers of
 * all operations share one {@link VerifiedTokens} of {@code jwt}.
 */
public final class ApiRouter {

  /** Name of the security scheme in the contract. */
  public static final String SECURITY_SCHEME = "bearerAuth";
  private static final String SITE_ID = "siteId";

  private ApiRouter() {
  }

  /**
   * The router. Fails when an operation of the contract has no handler or a handler has no operation, so the
   * contract and the code cannot drift apart silently.
   */
  public static Router create(Vertx vertx, ApiContract api, JWTAuth jwt, int maxBodyBytes,
                              Map<String, Handler<RoutingContext>> handlers) {
    return create(vertx, api, jwt, new VerifiedTokens(), maxBodyBytes, handlers);
  }

  /** Same, remembering verified tokens in {@code verified}, which must hold only tokens {@code jwt} verified. */
  public static Router create(Vertx vertx, ApiContract api, JWTAuth jwt, VerifiedTokens verified, int maxBodyBytes,
                              Map<String, Handler<RoutingContext>> handlers) {
    Router router = Router.router(vertx);
    ErrorHandler errors = new ErrorHandler();
    router.route()
      .handler(new AccessLogHandler())
      .handler(new HeadRequests())
      .handler(new PathGuard())
      .handler(BodyHandler.create(false).setBodyLimit(maxBodyBytes))
      .failureHandler(errors);

    RequestValidator validator = RequestValidator.create(vertx, api.contract());
    Map<String, Handler<RoutingContext>> unused = new HashMap<>(handlers);
    for (Path path : api.contract().getPaths()) {
      for (Operation operation : path.getOperations()) {
        Handler<RoutingContext> handler = unused.remove(operation.getOperationId());
        if (handler == null) {
          throw new IllegalStateException("no handler for operation " + operation.getOperationId());
        }
        Route route = router.route(operation.getHttpMethod(), toVertxWebPath(path.getName()));
        if (operation.getHttpMethod() == HttpMethod.GET) {
          route.method(HttpMethod.HEAD);
        }
        List<SecurityRequirement> security = operation.getSecurityRequirements();
        if (security != null && !security.isEmpty()) {
          route.handler(new BearerAuthHandler(jwt, verified, requiredScope(operation, security)));
        }
        boolean siteIdInPath = path.getName().contains("{" + SITE_ID + "}");
        if (siteIdInPath) {
          route.handler(ApiRouter::checkSiteId);
        }
        // checkSiteId applies the contract's own pattern for siteId (PathGuard.isUuid), so validation skips it.
        route.handler(new ValidationHandler(operation, validator, api.contract(),
            siteIdInPath ? Set.of(SITE_ID) : Set.of()));
        route.handler(handler);
      }
    }
    if (!unused.isEmpty()) {
      throw new IllegalStateException("handlers without an operation in the contract: " + unused.keySet());
    }
    for (int status : new int[] {400, 401, 403, 404, 405, 413, 415, 500, 503}) {
      router.errorHandler(status, errors);
    }
    return router;
  }

  private static String requiredScope(Operation operation, List<SecurityRequirement> security) {
    if (security.size() != 1 || !security.get(0).getNames().equals(Set.of(SECURITY_SCHEME))) {
      throw new IllegalStateException(operation.getOperationId() + ": expected one " + SECURITY_SCHEME + " requirement");
    }
    List<String> scopes = security.get(0).getScopes(SECURITY_SCHEME);
    if (scopes == null || scopes.isEmpty()) {
      return null;
    }
    if (scopes.size() > 1) {
      throw new IllegalStateException(operation.getOperationId() + ": expected at most one scope");
    }
    return scopes.get(0);
  }

  private static void checkSiteId(RoutingContext ctx) {
    if (!PathGuard.isUuid(ctx.pathParam(SITE_ID))) {
      ctx.fail(new ApiException(HttpError.of(Failure.INVALID_SITE_ID, "siteId must be a UUID")));
      return;
    }
    ctx.next();
  }

  /** {@code /control-plane/{siteId}} becomes {@code /control-plane/:siteId}. */
  static String toVertxWebPath(String openApiPath) {
    return openApiPath.replaceAll("\\{([^}]+)}", ":$1");
  }
}
