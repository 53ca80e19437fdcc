package controlplane.http;

import controlplane.http.impl.ConnectionLimit;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.net.PemKeyCertOptions;
import java.util.concurrent.TimeUnit;

/**
 * The listener on {@code http.port}, the same whichever verticle serves it (the API's {@link HttpVerticle}, or the
 * {@link HealthVerticle} of a process without the api role): HTTPS when {@code http.tls} is set, idle connections
 * closed after {@code http.idleTimeoutSeconds}, at most {@code http.maxConnections} open.
 */
final class HttpListener {

  private HttpListener() {
  }

  /** Listens with {@code requests}; a listener that cannot start fails naming the TLS files when TLS is on. */
  static Future<HttpServer> listen(Vertx vertx, HttpConfig config, Handler<HttpServerRequest> requests) {
    HttpServerOptions options = new HttpServerOptions().setHost(config.host()).setPort(config.port())
      .setIdleTimeout(config.effectiveIdleTimeoutSeconds()).setIdleTimeoutUnit(TimeUnit.SECONDS)
      // prior-knowledge HTTP/2 detection would delay the connection handler until the first bytes arrive
      .setHttp2ClearTextEnabled(false);
    if (config.tls().enabled()) {
      options.setSsl(true).setKeyCertOptions(new PemKeyCertOptions()
        .setCertPath(config.tls().certPem()).setKeyPath(config.tls().keyPem()));
    }
    return vertx.createHttpServer(options)
      .connectionHandler(new ConnectionLimit(config.limits().maxConnections()))
      .requestHandler(requests)
      .listen()
      .recover(e -> Future.failedFuture(config.tls().enabled()
        ? new IllegalStateException("HTTPS listener (http.tls.certPem " + config.tls().certPem()
          + ", http.tls.keyPem " + config.tls().keyPem() + ") failed to start: " + e.getMessage(), e)
        : e));
  }
}
