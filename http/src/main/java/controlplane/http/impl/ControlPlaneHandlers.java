package controlplane.http.impl;

import controlplane.core.bus.Addresses;
import controlplane.core.bus.AuditPageReply;
import controlplane.core.bus.AuditRequest;
import controlplane.core.bus.CredentialReply;
import controlplane.core.bus.EnrolRequest;
import controlplane.core.bus.Failure;
import controlplane.core.bus.Fields;
import controlplane.core.bus.HistoryReply;
import controlplane.core.bus.RotateRequest;
import controlplane.core.bus.SiteReply;
import controlplane.core.bus.SiteRequest;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;

/**
 * The {@code /control-plane} operations, by OpenAPI operation id. Each one turns the validated request and the
 * caller's {@link Principal} into one event-bus request to core (a record of {@code core.bus}) and reads the reply
 * with the contract's record, whose JSON is the public shape: the credential object with exactly its nine fields, or
 * the site object without any password.
 */
public final class ControlPlaneHandlers {

  /** The only action of {@code POST /control-plane/{siteId}/action}. */
  public static final String RESEND_API_USER = "site.resend_api_user";

  private final CoreClient core;

  public ControlPlaneHandlers(CoreClient core) {
    this.core = core;
  }

  /** Handlers by operation id of the contract. */
  public Map<String, Handler<RoutingContext>> byOperationId() {
    return Map.of(
      "rotateCredentials", this::rotate,
      "listCredentials", this::list,
      "siteAction", this::action,
      "getManagementServer", this::managementServer,
      "enrolSite", this::enrol,
      "getSite", this::getSite,
      "deleteSite", this::deleteSite,
      "getCredentialHistory", this::history,
      "listAuditEvents", this::audit);
  }

  private void history(RoutingContext ctx) {
    reply(ctx, core.request(Addresses.CREDENTIALS_HISTORY, site(ctx).toJson())
      .map(r -> HistoryReply.fromJson(r).toJson()));
  }

  /** {@code limit} and {@code cursor} have been validated against the contract; core reads the cursor. */
  private void audit(RoutingContext ctx) {
    String limit = ctx.queryParams().get(Fields.LIMIT);
    AuditRequest request = new AuditRequest(siteId(ctx), Principal.of(ctx).orgId(), RequestIds.of(ctx),
      ctx.queryParams().get(Fields.CURSOR), limit == null ? AuditRequest.DEFAULT_LIMIT : Integer.parseInt(limit));
    reply(ctx, core.request(Addresses.AUDIT_LIST, request.toJson()).map(r -> AuditPageReply.fromJson(r).toJson()));
  }

  private void rotate(RoutingContext ctx) {
    Principal principal = Principal.of(ctx);
    RotateRequest request = new RotateRequest(siteId(ctx), principal.orgId(), principal.subject(),
      ctx.request().getHeader("Idempotency-Key"), RequestIds.of(ctx));
    reply(ctx, core.request(Addresses.ROTATE, request.toJson()).map(r -> CredentialReply.fromJson(r).toJson()));
  }

  private void list(RoutingContext ctx) {
    reply(ctx, core.request(Addresses.CREDENTIALS_GET, site(ctx).toJson())
      .map(r -> new JsonArray().add(CredentialReply.fromJson(r).toJson())));
  }

  private void action(RoutingContext ctx) {
    String action = ctx.body().asJsonObject().getString("action");
    if (!RESEND_API_USER.equals(action)) {
      ctx.fail(new ApiException(HttpError.of(Failure.INVALID_REQUEST, "unknown action")));
      return;
    }
    reply(ctx, core.request(Addresses.RESEND, site(ctx).toJson()).map(r -> CredentialReply.fromJson(r).toJson()));
  }

  private void managementServer(RoutingContext ctx) {
    reply(ctx, core.request(Addresses.SITE_GET, site(ctx).toJson())
      .map(r -> new JsonObject().put(Fields.SERVER_IP, SiteReply.fromJson(r).serverIp())));
  }

  private void enrol(RoutingContext ctx) {
    Principal principal = Principal.of(ctx);
    JsonObject body = ctx.body().asJsonObject();
    if (!principal.orgId().equals(body.getString(Fields.ORG_ID))) {
      ctx.fail(new ApiException(HttpError.of(Failure.FORBIDDEN, "org_id is not the token's organisation")));
      return;
    }
    EnrolRequest request = new EnrolRequest(siteId(ctx), principal.orgId(), principal.subject(), RequestIds.of(ctx),
      body.getString(Fields.USERNAME), body.getString(Fields.IP_ADDRESS), body.getInteger(Fields.API_PORT),
      body.getString(Fields.SERVER_IP), body.getBoolean(Fields.TLS), body.getBoolean(Fields.VERIFY, true),
      body.getString(Fields.PASSWORD), body.getString(Fields.TLS_FINGERPRINT), body.getString(Fields.RECONCILE_USERNAME),
      body.getString(Fields.RECONCILE_PASSWORD), body.getBoolean(Fields.ROTATE_ON_ENROL, true));
    reply(ctx, core.request(Addresses.SITE_PUT, request.toJson()).map(r -> SiteReply.fromJson(r).toJson()));
  }

  private void getSite(RoutingContext ctx) {
    reply(ctx, core.request(Addresses.SITE_GET, site(ctx).toJson()).map(r -> SiteReply.fromJson(r).toJson()));
  }

  private void deleteSite(RoutingContext ctx) {
    core.request(Addresses.SITE_DELETE, site(ctx).toJson())
      .onSuccess(r -> ctx.response().setStatusCode(204).end())
      .onFailure(ctx::fail);
  }

  /** The path's site id: the router has checked it against the contract's pattern (a UUID) already. */
  static UUID siteId(RoutingContext ctx) {
    return UUID.fromString(ctx.pathParam("siteId").toLowerCase(Locale.ROOT));
  }

  /** The site, the caller's organisation (from the token, never from the request), subject and request id. */
  static SiteRequest site(RoutingContext ctx) {
    Principal principal = Principal.of(ctx);
    return new SiteRequest(siteId(ctx), principal.orgId(), principal.subject(), RequestIds.of(ctx));
  }

  static void reply(RoutingContext ctx, Future<?> body) {
    body.onSuccess(json -> ctx.response()
        .setStatusCode(200)
        .putHeader("Content-Type", "application/json")
        .end(json instanceof JsonArray a ? a.toBuffer() : ((JsonObject) json).toBuffer()))
      .onFailure(ctx::fail);
  }
}
