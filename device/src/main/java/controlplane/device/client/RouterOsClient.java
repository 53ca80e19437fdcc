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
   * Opens a connection, TLS when {@code tls} is set, accepting whatever certificate the router presents (trust on
   * first use: read it from {@link ApiConnection#certificateFingerprint()} to pin it). Same as
   * {@code connect(host, port, tls, null)}.
   */
  default Future<ApiConnection> connect(String host, int port, boolean tls) {
    return connect(host, port, tls, null);
  }

  /**
   * Opens a connection, TLS when {@code tls} is set. With TLS the router's certificate must be the one whose
   * {@link CertificateFingerprint} is {@code pinnedFingerprint} (null: any certificate, trust on first use) and,
   * when {@link ClientOptions#trustPem()} is set, chain to one of those certificates and name {@code host} (a DNS
   * name, or an IP address among its IP SANs); {@link ClientOptions#trustAll()} skips every check. The future fails
   * with an {@link ApiException} of kind {@link ApiException.Kind#CERTIFICATE_REJECTED} when the certificate is
   * refused (the handshake fails, nothing is sent), {@link ApiException.Kind#CONNECT_TIMEOUT} when the connection
   * (and TLS handshake) did not complete within {@link ClientOptions#connectTimeoutMs()},
   * {@link ApiException.Kind#CONNECT_FAILED} for any other failure (refused, unresolvable).
   */
  default Future<ApiConnection> connect(String host, int port, boolean tls, String pinnedFingerprint) {
    return connect(host, port, tls, pinnedFingerprint, null);
  }

  /**
   * As {@link #connect(String, int, boolean, String)}, dialling {@code host} but, with TLS, sending
   * {@code serverName} as the TLS server name (SNI) and, under {@link ClientOptions#trustPem()}, requiring the
   * certificate to name {@code serverName} instead of {@code host}: a router enrolled by host name is dialled at the
   * address that name resolved to and checked, yet its CA-issued certificate names the host. Null: {@code host}.
   */
  Future<ApiConnection> connect(String host, int port, boolean tls, String pinnedFingerprint, String serverName);

  /** Closes the client and every connection it opened. */
  Future<Void> close();
}
