package controlplane.http.impl;

import controlplane.core.bus.Failure;
import io.vertx.core.Handler;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.HttpException;
import io.vertx.openapi.validation.ValidatorException;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one place where failures become responses: installed as the failure handler of every route and as the
 * router's error handler (no route, wrong method, body too large). Classifies the failure into an {@link HttpError}
 * and writes {@code {type, code, message}} with its status and headers.
 */
public final class ErrorHandler implements Handler<RoutingContext> {

  private static final Logger LOG = LoggerFactory.getLogger(ErrorHandler.class);

  @Override
  public void handle(RoutingContext ctx) {
    String requestId = RequestIds.of(ctx);
    HttpError error = classify(ctx.failure(), ctx.statusCode(), requestId);
    HttpServerResponse response = ctx.response();
    if (response.headWritten()) {
      LOG.warn("request {}: failure after the response started: {}", requestId, error.code());
      response.reset();
      return;
    }
    response.setStatusCode(error.status()).putHeader("Content-Type", "application/json");
    for (Map.Entry<String, String> header : error.headers().entrySet()) {
      response.putHeader(header.getKey(), header.getValue());
    }
    response.end(error.body().toBuffer());
  }

  /** The error for {@code failure} (may be null) or, without one, for {@code statusCode}. */
  static HttpError classify(Throwable failure, int statusCode, String requestId) {
    if (failure instanceof ApiException api) {
      return api.error();
    }
    if (failure instanceof ReplyException reply) {
      return switch (reply.failureType()) {
        case NO_HANDLERS -> HttpError.serviceUnavailable();
        case TIMEOUT -> HttpError.upstreamTimeout();
        default -> fromCore(reply, requestId);
      };
    }
    if (failure instanceof ValidatorException invalid) {
      return HttpError.of(Failure.INVALID_REQUEST, ValidationHandler.describe(invalid));
    }
    if (failure instanceof HttpException http) {
      return HttpError.ofStatus(http.getStatusCode(), requestId);
    }
    if (failure == null) {
      return HttpError.ofStatus(statusCode, requestId);
    }
    LOG.error("request {}: unexpected failure", requestId, failure);
    return HttpError.internal(requestId);
  }

  private static HttpError fromCore(ReplyException reply, String requestId) {
    Failure kind = Failure.of(reply);
    if (kind == Failure.INTERNAL_ERROR) {
      LOG.error("request {}: core reported an internal error: {}", requestId, reply.getMessage());
      return HttpError.internal(requestId);
    }
    String message = reply.getMessage() == null || reply.getMessage().isBlank() ? kind.id() : reply.getMessage();
    return HttpError.of(kind, message);
  }
}
