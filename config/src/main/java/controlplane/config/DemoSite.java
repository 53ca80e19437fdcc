package controlplane.config;

import controlplane.core.bus.EnrolRequest;
import controlplane.simulator.Fleet;
import controlplane.simulator.RouterSpec;
import controlplane.simulator.UserSpec;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/** A router of the built-in demo fleet, enrolled as a site of the demo organisation with a stable id. */
public record DemoSite(String siteId, String name, String host, int port, String username, String password) {

  public static final String ORG_ID = "demo-org";
  public static final String EDGE = "edge-local";

  /** The demo router the service leaves for its user to enrol (the README's enrolment example). */
  static final String NOT_ENROLLED = "r4";

  /** The demo sites of {@code fleet}, enrolled at start: every router's {@code altostrat-api} user but r4's. */
  static List<DemoSite> forFleet(Fleet fleet) {
    List<DemoSite> out = new ArrayList<>();
    for (RouterSpec r : fleet.allRouters()) {
      if (r.name().equals(NOT_ENROLLED)) {
        continue;
      }
      for (UserSpec u : r.users()) {
        if (u.name().equals("altostrat-api")) {
          String id = UUID.nameUUIDFromBytes(("demo-site:" + r.name()).getBytes(StandardCharsets.UTF_8)).toString();
          out.add(new DemoSite(id, r.name(), r.address(), r.port(), u.name(), u.password()));
        }
      }
    }
    return out;
  }

  EnrolRequest enrolment() {
    return new EnrolRequest(UUID.fromString(siteId), ORG_ID, "bootstrap", null, username, host, port, EDGE, false,
        true, password);
  }
}
