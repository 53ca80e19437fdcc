package controlplane.http.impl;

import io.vertx.ext.web.RoutingContext;
import java.util.Set;

/**
 * The caller, from a verified bearer token: its organisation ({@code org_id}), subject ({@code sub}, the actor of
 * audit events) and scopes.
 */
public record Principal(String orgId, String subject, Set<String> scopes) {

  private static final String KEY = "cp.principal";

  void attach(RoutingContext ctx) {
    ctx.put(KEY, this);
  }

  /** The principal of an authenticated request. */
  public static Principal of(RoutingContext ctx) {
    Principal p = ctx.get(KEY);
    if (p == null) {
      throw new IllegalStateException("request is not authenticated");
    }
    return p;
  }
}
