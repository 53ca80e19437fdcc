package controlplane.config.it.http;

import io.netty.handler.ssl.util.SelfSignedCertificate;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.net.KeyCertOptions;
import io.vertx.core.net.NetClient;
import io.vertx.core.net.NetServer;
import io.vertx.core.net.NetServerOptions;
import io.vertx.core.net.PemKeyCertOptions;
import io.vertx.core.net.ServerSSLOptions;
import java.io.ByteArrayInputStream;
import java.nio.file.Files;
import java.security.MessageDigest;
import java.security.cert.CertificateFactory;
import java.util.HexFormat;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * API-SSL in front of a simulated router: terminates TLS with a certificate the test chooses, and may switch, and
 * relays the bytes to the router's plain API port; so the simulator's router is what the control plane changes,
 * while the test decides which certificate it presents.
 */
final class TlsFront {

  /**
   * A self-signed certificate (its name the CN and the only DNS subject alternative name, no IP address), its
   * SHA-256 fingerprint, computed here, and its PEM text (to trust it as an authority).
   */
  record Certificate(KeyCertOptions keyCert, String fingerprint, String pem) {
    static Certificate selfSigned(String name) {
      try {
        SelfSignedCertificate cert = new SelfSignedCertificate(name, "EC", 256);
        byte[] der = CertificateFactory.getInstance("X.509")
            .generateCertificate(new ByteArrayInputStream(Files.readAllBytes(cert.certificate().toPath())))
            .getEncoded();
        return new Certificate(new PemKeyCertOptions().setCertPath(cert.certificate().getPath())
            .setKeyPath(cert.privateKey().getPath()),
            HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(der)),
            Files.readString(cert.certificate().toPath()));
      } catch (Exception e) {
        throw new IllegalStateException(e);
      }
    }
  }

  private final NetServer server;
  private final NetClient client;
  private final AtomicInteger relayed;

  private TlsFront(NetServer server, NetClient client, AtomicInteger relayed) {
    this.server = server;
    this.client = client;
    this.relayed = relayed;
  }

  /** Listens on {@code host} (a free port), relaying to {@code host:routerPort}. */
  static Future<TlsFront> start(Vertx vertx, Certificate certificate, String host, int routerPort) {
    return start(vertx, certificate, host, host, routerPort);
  }

  /** Listens on {@code host} (a free port), relaying to {@code routerHost:routerPort}. */
  static Future<TlsFront> start(Vertx vertx, Certificate certificate, String host, String routerHost,
                                int routerPort) {
    NetClient client = vertx.createNetClient();
    AtomicInteger relayed = new AtomicInteger();
    NetServer server = vertx.createNetServer(new NetServerOptions().setSsl(true).setHost(host).setPort(0)
        .setKeyCertOptions(certificate.keyCert()));
    server.connectHandler(in -> {
      in.pause();
      relayed.incrementAndGet();
      client.connect(routerPort, routerHost).onComplete(ar -> {
        if (ar.failed()) {
          in.close();
          return;
        }
        ar.result().pipeTo(in);
        in.pipeTo(ar.result());
      });
    });
    return server.listen().map(s -> new TlsFront(server, client, relayed));
  }

  int port() {
    return server.actualPort();
  }

  /** Connections whose handshake completed, so that bytes could reach the router. */
  int relayed() {
    return relayed.get();
  }

  /** New connections are offered {@code certificate} from now on. */
  Future<Boolean> present(Certificate certificate) {
    return server.updateSSLOptions(new ServerSSLOptions().setKeyCertOptions(certificate.keyCert()), true);
  }

  Future<Void> close() {
    return server.close().eventually(client::close);
  }
}
