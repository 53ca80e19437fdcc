package controlplane.http.impl;

import java.net.InetAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.UnknownHostException;
import java.util.Locale;

/**
 * What {@code auth.jwt.jwksUrl} may be: an https URL, or an http one to a loopback host (127.0.0.0/8, ::1,
 * localhost), since keys fetched in clear over a network could be replaced on the way. Decided from the URL's text
 * alone: no name is resolved.
 */
public final class JwksUrl {

  private JwksUrl() {
  }

  /** Throws {@link IllegalArgumentException}, naming the key, when {@code url} is not allowed. */
  public static void check(String url) {
    URI uri;
    try {
      uri = new URI(url);
    } catch (URISyntaxException e) {
      throw new IllegalArgumentException("auth.jwt.jwksUrl is not a URL");
    }
    String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
    if (uri.getHost() == null || !(scheme.equals("https") || scheme.equals("http"))) {
      throw new IllegalArgumentException("auth.jwt.jwksUrl must be an https:// URL");
    }
    if (scheme.equals("http") && !isLoopback(uri.getHost())) {
      throw new IllegalArgumentException("auth.jwt.jwksUrl must use https: http:// is accepted only to a loopback "
        + "host (127.0.0.0/8, ::1, localhost), not " + uri.getHost());
    }
  }

  /** The URL as logs may show it: scheme, host, port and path; never user information or a query. */
  public static String shown(String url) {
    try {
      URI uri = new URI(url);
      return uri.getScheme() + "://" + uri.getHost() + (uri.getPort() < 0 ? "" : ":" + uri.getPort())
        + (uri.getRawPath() == null ? "" : uri.getRawPath());
    } catch (URISyntaxException e) {
      return "(auth.jwt.jwksUrl)";
    }
  }

  static boolean isLoopback(String host) {
    String h = host.toLowerCase(Locale.ROOT);
    if (h.equals("localhost")) {
      return true;
    }
    if (h.startsWith("[") && h.endsWith("]")) {
      try {
        // an IPv6 literal: parsed, never looked up
        return InetAddress.getByName(h.substring(1, h.length() - 1)).isLoopbackAddress();
      } catch (UnknownHostException e) {
        return false;
      }
    }
    String[] octets = h.split("\\.", -1);
    if (octets.length != 4) {
      return false;
    }
    for (String octet : octets) {
      if (!octet.matches("\\d{1,3}") || Integer.parseInt(octet) > 255) {
        return false;
      }
    }
    return octets[0].equals("127");
  }
}
