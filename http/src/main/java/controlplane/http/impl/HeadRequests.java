package controlplane.http.impl;

import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.PlatformHandler;

/**
 * HEAD is routed to the GET route of the path (see {@link ApiRouter}) and answered by the same chain: same status,
 * same headers. Vert.x sends no body for a HEAD request, but it also leaves out the {@code Content-Length} it would
 * have set for GET; this handler puts it back, from the body the chain wrote.
 */
public final class HeadRequests implements PlatformHandler {

  @Override
  public void handle(RoutingContext ctx) {
    if (ctx.request().method() == HttpMethod.HEAD) {
      HttpServerResponse response = ctx.response();
      // runs once the body is handed to end(), before the head is sent: bytesWritten() is its length by then
      ctx.addHeadersEndHandler(v -> {
        if (!response.isChunked() && !response.headers().contains(HttpHeaders.CONTENT_LENGTH)) {
          response.putHeader(HttpHeaders.CONTENT_LENGTH, Long.toString(response.bytesWritten()));
        }
      });
    }
    ctx.next();
  }
}
