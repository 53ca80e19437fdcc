package controlplane.http.impl;

import controlplane.core.bus.Addresses;
import controlplane.core.bus.Failure;
import controlplane.core.bus.Fields;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The {@code /control-plane} operations, by OpenAPI operation id. Each one turns the validated request and the
 * caller's {@link Principal} into one event-bus request to core and the reply into the public shape: the credential
 * object with exactly its nine fields, or the site object without any password.
 */
public final class ControlPlaneHandlers {

  /** The public credential object, in order. */
  public static final List<String> CREDENTIAL_FIELDS = List.of(Fields.ID, Fields.SITE_ID, Fields.USERNAME,
    Fields.PASSWORD, Fields.IP_ADDRESS, Fields.API_PORT, Fields.SERVER_IP, Fields.CREATED_AT, Fields.UPDATED_AT);
  /** The public site object, in order; never a password. */
  public static final List<String> SITE_FIELDS = List.of(Fields.SITE_ID, Fields.ORG_ID, Fields.USERNAME,
    Fields.IP_ADDRESS, Fields.API_PORT, Fields.SERVER_IP, Fields.TLS, Fields.STATUS, Fields.CREATED_AT,
    Fields.UPDATED_AT);
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
      "deleteSite", this::deleteSite);
  }

  private void rotate(RoutingContext ctx) {
    JsonObject message = envelope(ctx).put(Fields.ACTOR, Principal.of(ctx).subject());
    String key = ctx.request().getHeader("Idempotency-Key");
    if (key != null) {
      message.put(Fields.IDEMPOTENCY_KEY, key);
    }
    reply(ctx, core.request(Addresses.ROTATE, message).map(r -> project(r, CREDENTIAL_FIELDS)));
  }

  private void list(RoutingContext ctx) {
    reply(ctx, core.request(Addresses.CREDENTIALS_GET, envelope(ctx))
      .map(r -> new JsonArray().add(project(r, CREDENTIAL_FIELDS))));
  }

  private void action(RoutingContext ctx) {
    String action = ctx.body().asJsonObject().getString("action");
    if (!RESEND_API_USER.equals(action)) {
      ctx.fail(new ApiException(HttpError.of(Failure.INVALID_REQUEST, "unknown action")));
      return;
    }
    JsonObject message = envelope(ctx).put(Fields.ACTOR, Principal.of(ctx).subject());
    reply(ctx, core.request(Addresses.RESEND, message).map(r -> project(r, CREDENTIAL_FIELDS)));
  }

  private void managementServer(RoutingContext ctx) {
    reply(ctx, core.request(Addresses.SITE_GET, envelope(ctx))
      .map(r -> project(r, List.of(Fields.SERVER_IP))));
  }

  private void enrol(RoutingContext ctx) {
    Principal principal = Principal.of(ctx);
    JsonObject body = ctx.body().asJsonObject();
    if (!principal.orgId().equals(body.getString(Fields.ORG_ID))) {
      ctx.fail(new ApiException(HttpError.of(Failure.FORBIDDEN, "org_id is not the token's organisation")));
      return;
    }
    JsonObject message = envelope(ctx)
      .put(Fields.ACTOR, principal.subject())
      .put(Fields.IP_ADDRESS, body.getString(Fields.IP_ADDRESS))
      .put(Fields.API_PORT, body.getInteger(Fields.API_PORT))
      .put(Fields.SERVER_IP, body.getString(Fields.SERVER_IP))
      .put(Fields.USERNAME, body.getString(Fields.USERNAME))
      .put(Fields.PASSWORD, body.getString(Fields.PASSWORD))
      .put(Fields.TLS, body.getBoolean(Fields.TLS))
      .put(Fields.VERIFY, body.getBoolean(Fields.VERIFY, true));
    reply(ctx, core.request(Addresses.SITE_PUT, message).map(r -> project(r, SITE_FIELDS)));
  }

  private void getSite(RoutingContext ctx) {
    reply(ctx, core.request(Addresses.SITE_GET, envelope(ctx)).map(r -> project(r, SITE_FIELDS)));
  }

  private void deleteSite(RoutingContext ctx) {
    JsonObject message = envelope(ctx).put(Fields.ACTOR, Principal.of(ctx).subject());
    core.request(Addresses.SITE_DELETE, message)
      .onSuccess(r -> ctx.response().setStatusCode(204).end())
      .onFailure(ctx::fail);
  }

  /** site_id, org_id (from the token, never from the request) and request_id. */
  private static JsonObject envelope(RoutingContext ctx) {
    return new JsonObject()
      .put(Fields.SITE_ID, ctx.pathParam("siteId").toLowerCase(Locale.ROOT))
      .put(Fields.ORG_ID, Principal.of(ctx).orgId())
      .put(Fields.REQUEST_ID, RequestIds.of(ctx));
  }

  /** Exactly {@code fields} of {@code reply}; a reply missing one is core's bug, answered as internal_error. */
  static JsonObject project(JsonObject reply, List<String> fields) {
    JsonObject out = new JsonObject();
    for (String field : fields) {
      Object value = reply.getValue(field);
      if (value == null) {
        throw new IllegalStateException("core reply lacks " + field);
      }
      out.put(field, field.equals(Fields.API_PORT) && value instanceof Number n ? n.intValue() : value);
    }
    return out;
  }

  private static void reply(RoutingContext ctx, Future<?> body) {
    body.onSuccess(json -> ctx.response()
        .setStatusCode(200)
        .putHeader("Content-Type", "application/json")
        .end(json instanceof JsonArray a ? a.toBuffer() : ((JsonObject) json).toBuffer()))
      .onFailure(ctx::fail);
  }
}
