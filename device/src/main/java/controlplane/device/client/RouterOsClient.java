package controlplane.device.client;

import controlplane.device.client.impl.RouterOsClientImpl;
import io.vertx.core.Future;
import io.vertx.core.Vertx;

/**
 * Dials RouterOS API endpoints (plain 8728 or TLS 8729). Create one per {@link Vertx} and share it: it holds the
 * underlying {@code NetClient}. Every method may be called from any thread.
 */
public interface RouterOsClient {

  /** A client using {@code options} for every connection it opens. */
  static RouterOsClient create(Vertx vertx, ClientOptions options) {
    return new RouterOsClientImpl(vertx, options);
  }

  /**
   * Opens a connection, TLS when {@code tls} is set (trusting per {@link ClientOptions#trustAll()} and
   * {@link ClientOptions#trustPem()}). The future fails with an {@link ApiException} of kind
   * {@link ApiException.Kind#CONNECT_TIMEOUT} when the connection (and TLS handshake) did not complete within
   * {@link ClientOptions#connectTimeoutMs()}, {@link ApiException.Kind#CONNECT_FAILED} for any other failure
   * (refused, unresolvable, certificate not trusted).
   */
  Future<ApiConnection> connect(String host, int port, boolean tls);

  /** Closes the client and every connection it opened. */
  Future<Void> close();
}
