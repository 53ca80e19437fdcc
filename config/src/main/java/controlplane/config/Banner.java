package controlplane.config;

import controlplane.http.HttpConfig;
import controlplane.http.TokenMinter;
import java.time.Duration;

/** What the service prints once it is ready: where it listens, the demo sites and a token to try them with. */
final class Banner {

  private Banner() {
  }

  static String text(ControlPlane cp) {
    String base = "http://localhost:" + cp.httpPort();
    StringBuilder sb = new StringBuilder();
    sb.append("control plane ready: ").append(base).append('\n');
    if (!cp.demoSites().isEmpty()) {
      sb.append("demo sites (organisation ").append(DemoSite.ORG_ID).append("):\n");
      for (DemoSite s : cp.demoSites()) {
        sb.append("  ").append(s.siteId()).append("  ").append(s.name()).append(" at ")
            .append(s.host()).append(':').append(s.port()).append('\n');
      }
    }
    if (cp.devJwtSecret()) {
      String secret = cp.config().getJsonObject("auth").getJsonObject("jwt").getString("hs256Secret");
      HttpConfig http = HttpConfig.fromJson(cp.config());
      String token = TokenMinter.mint(secret, DemoSite.ORG_ID, Main.DEMO_SCOPE, "demo", Duration.ofHours(12),
          http.issuer(), http.audience());
      sb.append("bearer token (org ").append(DemoSite.ORG_ID).append(", 12 h), to paste into a shell:\n  export TOKEN=")
          .append(token).append('\n');
      if (!cp.demoSites().isEmpty()) {
        sb.append("try:\n  curl -s -X POST -H \"Authorization: Bearer $TOKEN\" ")
            .append(base).append("/control-plane/").append(cp.demoSites().get(0).siteId()).append("/credentials\n");
      }
    }
    return sb.toString();
  }
}
