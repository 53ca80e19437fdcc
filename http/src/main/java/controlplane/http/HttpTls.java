package controlplane.http;

/**
 * TLS for the API itself ({@code http.tls}): PEM files of the server's certificate (chain) and private key. Both or
 * neither; with both the listener speaks HTTPS only.
 *
 * @param certPem path of the PEM certificate chain, or null
 * @param keyPem  path of the PEM private key (PKCS#8, PKCS#1 RSA or SEC1 EC), or null
 */
public record HttpTls(String certPem, String keyPem) {

  public static final HttpTls NONE = new HttpTls(null, null);

  public HttpTls {
    certPem = certPem == null || certPem.isBlank() || certPem.equals("null") ? null : certPem;
    keyPem = keyPem == null || keyPem.isBlank() || keyPem.equals("null") ? null : keyPem;
    if (certPem != null && keyPem == null) {
      throw new IllegalArgumentException("http.tls.keyPem is required with http.tls.certPem (both or neither)");
    }
    if (keyPem != null && certPem == null) {
      throw new IllegalArgumentException("http.tls.certPem is required with http.tls.keyPem (both or neither)");
    }
  }

  /** Whether the listener speaks HTTPS. */
  public boolean enabled() {
    return certPem != null;
  }
}
