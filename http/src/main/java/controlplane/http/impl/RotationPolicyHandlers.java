package controlplane.http.impl;

import controlplane.core.bus.Addresses;
import controlplane.core.bus.Fields;
import controlplane.core.bus.PolicyReply;
import controlplane.core.bus.PolicyRequest;
import io.vertx.core.Handler;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.util.Map;
import java.util.UUID;

/**
 * The rotation-policy operations, by OpenAPI operation id: the caller's organisation's default
 * ({@code /control-plane/rotation-policy}) and a site's override ({@code /control-plane/{siteId}/rotation-policy}).
 * One event-bus request to core each; the organisation is the token's, never the request's.
 */
public final class RotationPolicyHandlers {

  private final CoreClient core;

  public RotationPolicyHandlers(CoreClient core) {
    this.core = core;
  }

  /** Handlers by operation id of the contract. */
  public Map<String, Handler<RoutingContext>> byOperationId() {
    return Map.of(
      "putOrganisationRotationPolicy", ctx -> put(ctx, null),
      "getOrganisationRotationPolicy", ctx -> get(ctx, null),
      "putSiteRotationPolicy", ctx -> put(ctx, ControlPlaneHandlers.siteId(ctx)),
      "getSiteRotationPolicy", ctx -> get(ctx, ControlPlaneHandlers.siteId(ctx)),
      "deleteSiteRotationPolicy", this::delete);
  }

  /** The body has been validated against the contract (types and ranges); core checks the policy as a whole. */
  private void put(RoutingContext ctx, UUID siteId) {
    Principal principal = Principal.of(ctx);
    JsonObject body = ctx.body().asJsonObject();
    PolicyRequest request = new PolicyRequest(principal.orgId(), siteId, principal.subject(), RequestIds.of(ctx),
      body.getLong(Fields.ROTATION_PERIOD_SECONDS), body.getString(Fields.ROTATION_SCHEDULE),
      body.getLong(Fields.ROTATION_WINDOW_SECONDS), body.getLong(Fields.DRIFT_CHECK_PERIOD_SECONDS));
    ControlPlaneHandlers.reply(ctx, core.request(Addresses.POLICY_PUT, request.toJson())
      .map(r -> PolicyReply.fromJson(r).toJson()));
  }

  private void get(RoutingContext ctx, UUID siteId) {
    ControlPlaneHandlers.reply(ctx, core.request(Addresses.POLICY_GET, request(ctx, siteId).toJson())
      .map(r -> PolicyReply.fromJson(r).toJson()));
  }

  private void delete(RoutingContext ctx) {
    core.request(Addresses.POLICY_DELETE, request(ctx, ControlPlaneHandlers.siteId(ctx)).toJson())
      .onSuccess(r -> ctx.response().setStatusCode(204).end())
      .onFailure(ctx::fail);
  }

  private static PolicyRequest request(RoutingContext ctx, UUID siteId) {
    Principal principal = Principal.of(ctx);
    return PolicyRequest.of(principal.orgId(), siteId, principal.subject(), RequestIds.of(ctx));
  }
}
