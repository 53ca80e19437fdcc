package controlplane.device.client.impl;

import controlplane.device.client.ApiConnection;
import controlplane.device.client.ApiException;
import controlplane.device.client.CertificateFingerprint;
import controlplane.device.client.ClientOptions;
import controlplane.device.client.RouterOsClient;
import controlplane.device.client.RouterText;
import io.netty.channel.ConnectTimeoutException;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.net.ClientSSLOptions;
import io.vertx.core.net.ConnectOptions;
import io.vertx.core.net.NetClient;
import io.vertx.core.net.NetClientOptions;
import io.vertx.core.net.NetSocket;
import io.vertx.core.net.TrustOptions;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import javax.net.ssl.X509ExtendedTrustManager;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** {@link RouterOsClient} on one Vert.x {@link NetClient}; TLS is chosen per connection. */
public final class RouterOsClientImpl implements RouterOsClient {

  private static final Logger LOG = LoggerFactory.getLogger(RouterOsClientImpl.class);

  private final Vertx vertx;
  private final ClientOptions options;
  private final NetClient netClient;
  /** The PKIX trust of {@code trustPem}, or null: routers are trusted by their pin alone. */
  private final X509ExtendedTrustManager authority;
  private final AtomicLong connectionIds = new AtomicLong();

  public RouterOsClientImpl(Vertx vertx, ClientOptions options) {
    this.vertx = vertx;
    this.options = options;
    this.netClient = vertx.createNetClient(new NetClientOptions()
        .setConnectTimeout(options.connectTimeoutMs())
        .setTcpNoDelay(true)
        .setTcpKeepAlive(true));
    this.authority = options.trustPem() == null || options.trustAll() ? null
        : RouterTrustManager.authority(options.trustPem());
  }

  /**
   * TLS options of one connection, with a trust manager of its own: it checks this connection's pin and reports the
   * certificate presented. The host name is verified only against a configured authority: a router's self-signed
   * certificate names the router, not the address it is reached at.
   */
  private ClientSSLOptions sslOptions(RouterTrustManager trust) {
    return new ClientSSLOptions()
        .setHostnameVerificationAlgorithm(authority == null ? "" : "HTTPS")
        .setTrustOptions(TrustOptions.wrap(trust))
        .setSslHandshakeTimeout(options.connectTimeoutMs())
        .setSslHandshakeTimeoutUnit(TimeUnit.MILLISECONDS);
  }

  @Override
  public Future<ApiConnection> connect(String host, int port, boolean tls, String pinnedFingerprint,
                                       String serverName) {
    if (pinnedFingerprint != null && !CertificateFingerprint.isWellFormed(pinnedFingerprint)) {
      return Future.failedFuture(new IllegalArgumentException("a pin is 64 lower-case hex digits"));
    }
    Context ctx = vertx.getOrCreateContext();
    Promise<ApiConnection> promise = Promise.promise();
    RouterTrustManager trust = tls ? new RouterTrustManager(pinnedFingerprint, authority, options.trustAll()) : null;
    ctx.runOnContext(v -> doConnect(ctx, host, port, serverName, trust, promise));
    return promise.future();
  }

  private void doConnect(Context ctx, String host, int port, String serverName, RouterTrustManager trust,
                         Promise<ApiConnection> promise) {
    String id = host + ":" + port + "#" + connectionIds.incrementAndGet();
    boolean tls = trust != null;
    ConnectOptions connectOptions = new ConnectOptions()
        .setHost(host)
        .setPort(port)
        .setTimeout(options.connectTimeoutMs())
        .setSsl(tls);
    if (tls) {
      connectOptions.setSslOptions(sslOptions(trust));
      if (serverName != null) {
        // the name the host-name check and the router's SNI see; the address dialled stays host
        connectOptions.setSniServerName(serverName);
      }
    }
    // One deadline for TCP connect plus TLS handshake.
    long timer = vertx.setTimer(options.connectTimeoutMs(), t -> {
      if (promise.tryFail(new ApiException(ApiException.Kind.CONNECT_TIMEOUT,
          "connect to " + host + ":" + port + " timed out after " + options.connectTimeoutMs() + " ms"))) {
        LOG.debug("{} connect timed out", id);
      }
    });
    netClient.connect(connectOptions).onComplete(ar -> {
      vertx.cancelTimer(timer);
      if (ar.succeeded()) {
        NetSocket socket = ar.result();
        ApiConnectionImpl connection = new ApiConnectionImpl(id, ctx, socket, options,
            tls ? trust.presented() : null);
        if (!promise.tryComplete(connection)) {
          connection.close(); // too late: the caller has already been told it timed out
        } else {
          LOG.debug("{} connected{}", id, tls ? " (TLS)" : "");
        }
      } else if (tls && trust.rejection() != null) {
        promise.tryFail(new ApiException(ApiException.Kind.CERTIFICATE_REJECTED,
            "TLS to " + host + ":" + port + " refused: " + trust.rejection(), false, null));
      } else {
        promise.tryFail(classify(host, port, ar.cause()));
      }
    });
  }

  private static ApiException classify(String host, int port, Throwable cause) {
    for (Throwable t = cause; t != null; t = t.getCause()) {
      if (t instanceof ConnectTimeoutException || t instanceof io.netty.handler.ssl.SslHandshakeTimeoutException) {
        return new ApiException(ApiException.Kind.CONNECT_TIMEOUT,
            "connect to " + host + ":" + port + " timed out", false, cause);
      }
    }
    return new ApiException(ApiException.Kind.CONNECT_FAILED,
        "connect to " + host + ":" + port + " failed: " + RouterText.printable(cause.getMessage()), false, cause);
  }

  @Override
  public Future<Void> close() {
    return netClient.close();
  }
}
