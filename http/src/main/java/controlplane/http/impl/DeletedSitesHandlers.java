package controlplane.http.impl;

import controlplane.core.bus.Addresses;
import controlplane.core.bus.DeletedSitesReply;
import controlplane.core.bus.DeletedSitesRequest;
import controlplane.core.bus.Fields;
import controlplane.core.bus.SiteReply;
import io.vertx.core.Handler;
import io.vertx.ext.web.RoutingContext;
import java.util.Map;
import java.util.UUID;

/**
 * The {@code /control-plane/deleted-sites} operations, by OpenAPI operation id: the caller's organisation's deleted
 * sites, listed a page at a time, recovered or purged. Like {@link ControlPlaneHandlers}, one event-bus request to
 * core each, read back with the contract's record.
 */
public final class DeletedSitesHandlers {

  private final CoreClient core;

  public DeletedSitesHandlers(CoreClient core) {
    this.core = core;
  }

  /** Handlers by operation id of the contract. */
  public Map<String, Handler<RoutingContext>> byOperationId() {
    return Map.of(
      "listDeletedSites", this::list,
      "recoverDeletedSite", this::recover,
      "purgeDeletedSite", this::purge);
  }

  /** {@code limit} and {@code after} have been validated against the contract (an integer 1..1000, a UUID). */
  private void list(RoutingContext ctx) {
    String limit = ctx.queryParams().get(Fields.LIMIT);
    String after = ctx.queryParams().get(Fields.AFTER);
    DeletedSitesRequest request = new DeletedSitesRequest(Principal.of(ctx).orgId(),
      after == null ? null : UUID.fromString(after),
      limit == null ? DeletedSitesRequest.DEFAULT_LIMIT : Integer.parseInt(limit));
    ControlPlaneHandlers.reply(ctx, core.request(Addresses.DELETED_SITES_LIST, request.toJson())
      .map(r -> DeletedSitesReply.fromJson(r).toJson()));
  }

  private void recover(RoutingContext ctx) {
    ControlPlaneHandlers.reply(ctx, core.request(Addresses.SITE_RECOVER, ControlPlaneHandlers.site(ctx).toJson())
      .map(r -> SiteReply.fromJson(r).toJson()));
  }

  private void purge(RoutingContext ctx) {
    core.request(Addresses.SITE_PURGE, ControlPlaneHandlers.site(ctx).toJson())
      .onSuccess(r -> ctx.response().setStatusCode(204).end())
      .onFailure(ctx::fail);
  }
}
