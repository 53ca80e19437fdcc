package controlplane.http.impl;

import controlplane.core.bus.Addresses;
import controlplane.core.bus.Fields;
import controlplane.core.bus.JobCreateRequest;
import controlplane.core.bus.JobReply;
import controlplane.core.bus.JobRequest;
import controlplane.core.bus.JobSelector;
import controlplane.core.bus.JobsReply;
import controlplane.core.bus.JobsRequest;
import io.vertx.core.Handler;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;

/**
 * The {@code /control-plane/rotations} operations (bulk rotation jobs), by OpenAPI operation id: start a job, read
 * it, list the organisation's jobs a page at a time, cancel one. Like {@link ControlPlaneHandlers}, one event-bus
 * request to core each, read back with the contract's record; the organisation is the token's.
 */
public final class JobsHandlers {

  /** The path of the jobs; a job's own is this, a slash and its id (the {@code Location} of a new job). */
  public static final String PATH = "/control-plane/rotations";

  private final CoreClient core;

  public JobsHandlers(CoreClient core) {
    this.core = core;
  }

  /** Handlers by operation id of the contract. */
  public Map<String, Handler<RoutingContext>> byOperationId() {
    return Map.of(
      "createRotationJob", this::create,
      "listRotationJobs", this::list,
      "getRotationJob", this::get,
      "cancelRotationJob", this::cancel);
  }

  /** The body has been validated against the contract; core checks it again ({@code invalid_request}). */
  private void create(RoutingContext ctx) {
    Principal principal = Principal.of(ctx);
    JsonObject body = ctx.body().asJsonObject();
    JobCreateRequest request = new JobCreateRequest(principal.orgId(), principal.subject(),
      JobSelector.fromJson(body.getValue(Fields.SELECTOR)),
      body.getInteger(Fields.MAX_IN_FLIGHT, JobCreateRequest.DEFAULT_MAX_IN_FLIGHT),
      ctx.request().getHeader("Idempotency-Key"), RequestIds.of(ctx));
    core.request(Addresses.JOB_CREATE, request.toJson())
      .map(JobReply::fromJson)
      .onSuccess(job -> ctx.response()
        .setStatusCode(202)
        .putHeader("Location", PATH + "/" + job.id())
        .putHeader("Content-Type", "application/json")
        .end(job.toJson().toBuffer()))
      .onFailure(ctx::fail);
  }

  /** {@code limit} and {@code after} have been validated against the contract (an integer 1..1000, a UUID). */
  private void list(RoutingContext ctx) {
    String limit = ctx.queryParams().get(Fields.LIMIT);
    String after = ctx.queryParams().get(Fields.AFTER);
    JobsRequest request = new JobsRequest(Principal.of(ctx).orgId(),
      after == null ? null : UUID.fromString(after.toLowerCase(Locale.ROOT)),
      limit == null ? JobsRequest.DEFAULT_LIMIT : Integer.parseInt(limit));
    ControlPlaneHandlers.reply(ctx, core.request(Addresses.JOBS_LIST, request.toJson())
      .map(r -> JobsReply.fromJson(r).toJson()));
  }

  private void get(RoutingContext ctx) {
    ControlPlaneHandlers.reply(ctx, core.request(Addresses.JOB_GET, job(ctx).toJson())
      .map(r -> JobReply.fromJson(r).toJson()));
  }

  private void cancel(RoutingContext ctx) {
    ControlPlaneHandlers.reply(ctx, core.request(Addresses.JOB_CANCEL, job(ctx).toJson())
      .map(r -> JobReply.fromJson(r).toJson()));
  }

  /** The path's job id (validated against the contract's UUID pattern), the caller's organisation and subject. */
  private static JobRequest job(RoutingContext ctx) {
    Principal principal = Principal.of(ctx);
    return new JobRequest(UUID.fromString(ctx.pathParam("jobId").toLowerCase(Locale.ROOT)), principal.orgId(),
      principal.subject(), RequestIds.of(ctx));
  }
}
