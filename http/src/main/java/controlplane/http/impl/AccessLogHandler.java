package controlplane.http.impl;

import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.PlatformHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * First handler of every request: assigns the request id, marks responses not cacheable where they may carry a
 * credential, and logs one access line when the response ends (logger {@code access}). The line holds the method,
 * path, status, duration and request id; never a query string, a header or a body, so never a token or password.
 */
public final class AccessLogHandler implements PlatformHandler {

  private static final Logger ACCESS = LoggerFactory.getLogger("access");

  @Override
  public void handle(RoutingContext ctx) {
    long start = System.nanoTime();
    String requestId = RequestIds.assign(ctx);
    if (!ctx.request().path().equals("/openapi.yaml")) {
      ctx.response().putHeader("Cache-Control", "no-store");
    }
    ctx.addEndHandler(ar -> {
      long millis = (System.nanoTime() - start) / 1_000_000;
      int status = ctx.response().getStatusCode();
      if (ar.succeeded()) {
        ACCESS.info("{} {} {} {}ms request_id={}", ctx.request().method(), printable(ctx.request().path()),
          status, millis, requestId);
      } else {
        ACCESS.info("{} {} {} {}ms request_id={} (connection closed before the response ended)",
          ctx.request().method(), printable(ctx.request().path()), status, millis, requestId);
      }
    });
    ctx.next();
  }

  /** The path without control characters (no log injection), bounded in length. */
  static String printable(String path) {
    if (path == null) {
      return "-";
    }
    StringBuilder out = new StringBuilder(Math.min(path.length(), 256));
    for (int i = 0; i < path.length() && i < 256; i++) {
      char c = path.charAt(i);
      out.append(c < 0x20 || c == 0x7f ? '?' : c);
    }
    return out.toString();
  }
}
