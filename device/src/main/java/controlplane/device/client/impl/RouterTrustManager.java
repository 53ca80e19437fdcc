package controlplane.device.client.impl;

import controlplane.device.client.CertificateFingerprint;
import controlplane.device.client.RouterText;
import java.io.ByteArrayInputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.Collection;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509ExtendedTrustManager;

/**
 * The trust of one API-SSL connection: the router's certificate must be the pinned one (when there is a pin) and,
 * when an authority is configured ({@code trustPem}), chain to it and name the host; {@code trustAll} accepts
 * anything. Remembers the fingerprint the router presented and, when it refused it, why.
 */
final class RouterTrustManager extends X509ExtendedTrustManager {

  @FunctionalInterface
  private interface AuthorityCheck {
    void run() throws CertificateException;
  }

  private final String pinned;
  private final X509ExtendedTrustManager authority;
  private final boolean trustAll;
  private volatile String presented;
  private volatile String rejection;

  /**
   * @param pinned the fingerprint the router must present, or null for any (trust on first use)
   * @param authority the PKIX trust of {@code trustPem}, which also checks the host name; null for none
   */
  RouterTrustManager(String pinned, X509ExtendedTrustManager authority, boolean trustAll) {
    this.pinned = pinned;
    this.authority = authority;
    this.trustAll = trustAll;
  }

  /** The PKIX trust manager of the certificates in {@code pem}. */
  static X509ExtendedTrustManager authority(String pem) {
    try {
      Collection<? extends Certificate> certificates = CertificateFactory.getInstance("X.509")
          .generateCertificates(new ByteArrayInputStream(pem.getBytes(StandardCharsets.US_ASCII)));
      if (certificates.isEmpty()) {
        throw new IllegalArgumentException("device.trustPem holds no certificate");
      }
      KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
      store.load(null, null);
      int i = 0;
      for (Certificate c : certificates) {
        store.setCertificateEntry("trusted-" + i++, c);
      }
      TrustManagerFactory factory = TrustManagerFactory.getInstance("PKIX");
      factory.init(store);
      for (TrustManager tm : factory.getTrustManagers()) {
        if (tm instanceof X509ExtendedTrustManager x509) {
          return x509;
        }
      }
      throw new IllegalStateException("the JDK's PKIX trust manager factory gave no X509ExtendedTrustManager");
    } catch (GeneralSecurityException | java.io.IOException e) {
      throw new IllegalArgumentException("device.trustPem cannot be read as PEM certificates: " + e.getMessage(), e);
    }
  }

  /** The fingerprint of the certificate the router presented; null before the handshake got that far. */
  String presented() {
    return presented;
  }

  /** Why the certificate was refused; null when it was not (or not yet) refused. */
  String rejection() {
    return rejection;
  }

  @Override
  public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
      throws CertificateException {
    check(chain, () -> authority.checkServerTrusted(chain, authType, engine));
  }

  @Override
  public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket)
      throws CertificateException {
    check(chain, () -> authority.checkServerTrusted(chain, authType, socket));
  }

  /** Without an engine the host name cannot be checked: refused whenever the authority would check it. */
  @Override
  public void checkServerTrusted(X509Certificate[] chain, String authType) throws CertificateException {
    check(chain, () -> {
      throw new CertificateException("no TLS engine to check the host name with");
    });
  }

  private void check(X509Certificate[] chain, AuthorityCheck authorityCheck) throws CertificateException {
    if (chain == null || chain.length == 0) {
      throw reject("the router presented no certificate");
    }
    String fingerprint = CertificateFingerprint.of(chain[0]);
    presented = fingerprint;
    if (trustAll) {
      return;
    }
    if (pinned != null && !pinned.equals(fingerprint)) {
      throw reject("the router presented the certificate sha256 " + fingerprint + ", not the pinned one");
    }
    if (authority != null) {
      try {
        authorityCheck.run();
      } catch (CertificateException e) {
        throw reject("the router's certificate is not trusted by device.trustPem: "
            + RouterText.printable(e.getMessage()));
      }
    }
  }

  private CertificateException reject(String why) {
    rejection = why;
    return new CertificateException(why);
  }

  @Override
  public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
      throws CertificateException {
    throw new CertificateException("a router client never checks client certificates");
  }

  @Override
  public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket)
      throws CertificateException {
    throw new CertificateException("a router client never checks client certificates");
  }

  @Override
  public void checkClientTrusted(X509Certificate[] chain, String authType) throws CertificateException {
    throw new CertificateException("a router client never checks client certificates");
  }

  @Override
  public X509Certificate[] getAcceptedIssuers() {
    return authority == null || trustAll ? new X509Certificate[0] : authority.getAcceptedIssuers();
  }
}
