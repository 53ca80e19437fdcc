package controlplane.core;

import controlplane.core.bus.Addresses;
import controlplane.core.bus.AuditPageReply;
import controlplane.core.bus.AuditRequest;
import controlplane.core.bus.CredentialReply;
import controlplane.core.bus.DeletedReply;
import controlplane.core.bus.DeletedSitesReply;
import controlplane.core.bus.DeletedSitesRequest;
import controlplane.core.bus.EnrolRequest;
import controlplane.core.bus.Failure;
import controlplane.core.bus.HealthReply;
import controlplane.core.bus.HealthRequest;
import controlplane.core.bus.HistoryReply;
import controlplane.core.bus.JobCreateRequest;
import controlplane.core.bus.JobReply;
import controlplane.core.bus.JobRequest;
import controlplane.core.bus.JobsReply;
import controlplane.core.bus.JobsRequest;
import controlplane.core.bus.PolicyReply;
import controlplane.core.bus.PolicyRequest;
import controlplane.core.bus.RotateRequest;
import controlplane.core.bus.RotationHook;
import controlplane.core.bus.SiteReply;
import controlplane.core.bus.SiteRequest;
import controlplane.core.crypto.KeyRing;
import controlplane.core.crypto.Sealer;
import controlplane.core.fleet.FleetGauges;
import controlplane.core.fleet.ProcessHeartbeat;
import controlplane.core.housekeeping.Housekeeper;
import controlplane.core.housekeeping.HousekeepingMetrics;
import controlplane.core.network.NetworkRule;
import controlplane.core.persistence.AuditRetention;
import controlplane.core.persistence.Db;
import controlplane.core.persistence.KeyCustody;
import controlplane.core.persistence.Migrations;
import controlplane.core.persistence.Resealer;
import controlplane.core.rotation.CoreMetrics;
import controlplane.core.rotation.CoreServices;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.eventbus.ReplyFailure;
import io.vertx.core.json.JsonObject;
import io.vertx.pgclient.PgBuilder;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.PoolOptions;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The persistence role: migrates the database, opens the pool, checks that the configured keys are the ones that
 * sealed its values ({@link KeyCustody}), writes the audit retention the database enforces ({@link AuditRetention}),
 * consumes every http -> core address of {@code docs/EVENT-BUS.md}, runs the reconciler at start-up and every
 * {@code reconciler.intervalMs}, and the {@link Housekeeper} shortly after start-up and every
 * {@code retention.housekeepingIntervalMs}.
 */
public class CoreVerticle extends VerticleBase {

  private static final Logger LOG = LoggerFactory.getLogger(CoreVerticle.class);
  /** The first housekeeping pass, shortly after start-up (sooner when the interval is shorter). */
  private static final long HOUSEKEEPING_FIRST_DELAY_MS = 30_000;

  private final CoreConfig config;
  private final MeterRegistry registry;
  private final RotationHook hook;
  private KeyRing keyRing;
  private Pool pool;
  private CoreServices services;
  private Housekeeper housekeeper;
  private ProcessHeartbeat heartbeat;
  private FleetGauges fleetGauges;
  private long takeoverPassId = -1;
  private long timerId = -1;
  private long housekeepingFirstId = -1;
  private long housekeepingTimerId = -1;
  private long jobsTimerId = -1;
  private long schedulerTimerId = -1;

  public CoreVerticle(CoreConfig config, MeterRegistry registry) {
    this(config, registry, RotationHook.NONE);
  }

  /** With a hook called at each step of every rotation (tests stop a rotation between two steps with it). */
  public CoreVerticle(CoreConfig config, MeterRegistry registry, RotationHook hook) {
    this.config = config;
    this.registry = registry;
    this.hook = hook;
  }

  @Override
  public Future<?> start() {
    try {
      keyRing = KeyRing.of(config.crypto());
    } catch (IllegalArgumentException e) {
      return Future.failedFuture(new ConfigurationException(e.getMessage()));
    }
    String rotationProblem = config.rotation().problem();
    if (rotationProblem != null) {
      return Future.failedFuture(new IllegalArgumentException(rotationProblem));
    }
    CoreConfig.Enrolment enrolment = config.enrolment();
    // Listing the host's interfaces asks the operating system: not on the event loop.
    Future<NetworkRule> targets = vertx.executeBlocking(() -> NetworkRule.of(enrolment.deniedNetworks(),
        enrolment.allowedNetworks(), NetworkRule::hostAddresses));
    return targets.compose(rule -> Migrations.migrate(vertx, config.database()).map(rule)).compose(rule -> {
      LOG.info("router addresses: {}; enrolments per organisation and minute: {}", rule,
          enrolment.ratePerMinute() == 0 ? "no limit" : enrolment.ratePerMinute());
      pool = PgBuilder.pool()
          .with(new PoolOptions().setMaxSize(Math.max(1, config.database().poolSize())))
          .connectingTo(config.database().connectOptions())
          .using(vertx)
          .build();
      return KeyCustody.verify(pool, keyRing).map(rule);
    }).compose(rule -> AuditRetention.apply(pool, config.retention().auditDays()).map(rule)).compose(rule -> {
      // Registered before the first rotation can take a slot in this process's name (V12).
      heartbeat = new ProcessHeartbeat(vertx, pool, config.reconciler().heartbeatMs());
      return heartbeat.start().map(rule);
    }).compose(rule -> {
      services = new CoreServices(config, pool, new Sealer(keyRing), vertx, rule, new CoreMetrics(registry), hook,
          heartbeat.id());
      List<Future<Void>> registered = new ArrayList<>();
      registered.add(consume(Addresses.ROTATE, RotateRequest::fromJson, services.rotations()::rotate,
          CredentialReply::toJson));
      registered.add(consume(Addresses.CREDENTIALS_GET, SiteRequest::fromJson, services.rotations()::current,
          CredentialReply::toJson));
      registered.add(consume(Addresses.RESEND, SiteRequest::fromJson, services.rotations()::resend,
          CredentialReply::toJson));
      registered.add(consume(Addresses.SITE_PUT, EnrolRequest::fromJson, services.sites()::enrol, SiteReply::toJson));
      registered.add(consume(Addresses.SITE_GET, SiteRequest::fromJson, services.sites()::get, SiteReply::toJson));
      registered.add(consume(Addresses.SITE_DELETE, SiteRequest::fromJson, services.sites()::delete,
          DeletedReply::toJson));
      registered.add(consume(Addresses.DELETED_SITES_LIST, DeletedSitesRequest::fromJson,
          services.deletedSites()::list, DeletedSitesReply::toJson));
      registered.add(consume(Addresses.SITE_RECOVER, SiteRequest::fromJson, services.deletedSites()::recover,
          SiteReply::toJson));
      registered.add(consume(Addresses.SITE_PURGE, SiteRequest::fromJson, services.deletedSites()::purge,
          DeletedReply::toJson));
      registered.add(consume(Addresses.CREDENTIALS_HISTORY, SiteRequest::fromJson, services.history()::history,
          HistoryReply::toJson));
      registered.add(consume(Addresses.AUDIT_LIST, AuditRequest::fromJson, services.history()::audit,
          AuditPageReply::toJson));
      registered.add(consume(Addresses.JOB_CREATE, JobCreateRequest::fromJson, services.jobs()::create,
          JobReply::toJson));
      registered.add(consume(Addresses.JOB_GET, JobRequest::fromJson, services.jobs()::get, JobReply::toJson));
      registered.add(consume(Addresses.JOBS_LIST, JobsRequest::fromJson, services.jobs()::list, JobsReply::toJson));
      registered.add(consume(Addresses.JOB_CANCEL, JobRequest::fromJson, services.jobs()::cancel,
          JobReply::toJson));
      registered.add(consume(Addresses.POLICY_GET, PolicyRequest::fromJson, services.policies()::get,
          PolicyReply::toJson));
      registered.add(consume(Addresses.POLICY_PUT, PolicyRequest::fromJson, services.policies()::put,
          PolicyReply::toJson));
      registered.add(consume(Addresses.POLICY_DELETE, PolicyRequest::fromJson, services.policies()::delete,
          DeletedReply::toJson));
      registered.add(consume(Addresses.PERSISTENCE_HEALTH, HealthRequest::fromJson, request -> health(),
          HealthReply::toJson));
      return Future.all(registered);
    }).map(v -> {
      long interval = Math.max(100, config.reconciler().intervalMs());
      // The first pass runs right after start-up, then periodically.
      vertx.setTimer(1, id -> reconcile());
      // A process killed just before this one started may still look alive at the first pass: one more pass once
      // it is surely dead takes its PENDING versions over without waiting for the periodic one.
      takeoverPassId = vertx.setTimer(config.reconciler().ownerDeadAfterMs() + config.reconciler().heartbeatMs(),
          id -> reconcile());
      timerId = vertx.setPeriodic(interval, id -> reconcile());
      fleetGauges = new FleetGauges(vertx, pool, registry);
      fleetGauges.start();
      housekeeper = new Housekeeper(vertx, pool, config.retention(), new HousekeepingMetrics(registry));
      long housekeeping = config.retention().housekeepingIntervalMs();
      housekeepingFirstId = vertx.setTimer(Math.min(HOUSEKEEPING_FIRST_DELAY_MS, housekeeping),
          id -> housekeeper.runOnce());
      housekeepingTimerId = vertx.setPeriodic(housekeeping, id -> housekeeper.runOnce());
      // Bulk jobs: claims of unfinished jobs (a restarted process resumes what a dead one left once its leases end).
      jobsTimerId = vertx.setPeriodic(config.scheduler().intervalMs(), id -> services.jobs().runner().poll());
      schedulerTimerId = vertx.setPeriodic(config.scheduler().intervalMs(), id -> {
        services.scheduler().runOnce();
        services.drift().runOnce();
      });
      LOG.info("core started: key ring {}, reconciler every {} ms, housekeeping every {} ms", keyRing, interval,
          housekeeping);
      return null;
    }).recover(err -> pool == null ? Future.failedFuture(err)
        : (heartbeat == null ? Future.<Void>succeededFuture() : heartbeat.stop())
            .eventually(() -> pool.close()).transform(closed -> Future.failedFuture(err)));
  }

  @Override
  public Future<?> stop() {
    if (timerId >= 0) {
      vertx.cancelTimer(timerId);
    }
    if (jobsTimerId >= 0) {
      vertx.cancelTimer(jobsTimerId);
    }
    if (schedulerTimerId >= 0) {
      vertx.cancelTimer(schedulerTimerId);
    }
    if (housekeepingTimerId >= 0) {
      vertx.cancelTimer(housekeepingFirstId);
      vertx.cancelTimer(housekeepingTimerId);
    }
    if (takeoverPassId >= 0) {
      vertx.cancelTimer(takeoverPassId);
    }
    if (fleetGauges != null) {
      fleetGauges.stop();
    }
    Future<Void> unregistered = heartbeat == null ? Future.succeededFuture() : heartbeat.stop();
    return pool == null ? unregistered : unregistered.eventually(() -> pool.close());
  }

  /**
   * Runs a full reconciler pass on this verticle's context, after the one in progress if any; completes with the
   * number of pending versions handled.
   */
  public Future<Integer> reconcileNow() {
    Promise<Integer> promise = Promise.promise();
    context.runOnContext(v -> services.reconciler().runNow().onComplete(promise));
    return promise.future();
  }

  /** Runs a full scheduler pass (due rotations, plans) on this verticle's context, after the one in progress. */
  public Future<Integer> scheduleNow() {
    Promise<Integer> promise = Promise.promise();
    context.runOnContext(v -> services.scheduler().runNow().onComplete(promise));
    return promise.future();
  }

  /** Runs a full pass of the drift checks on this verticle's context, after the one in progress. */
  public Future<Integer> driftCheckNow() {
    Promise<Integer> promise = Promise.promise();
    context.runOnContext(v -> services.drift().runNow().onComplete(promise));
    return promise.future();
  }

  /** Runs a full housekeeping pass on this verticle's context, after the one in progress if any. */
  public Future<Housekeeper.Pass> housekeepNow() {
    Promise<Housekeeper.Pass> promise = Promise.promise();
    context.runOnContext(v -> housekeeper.runNow().onComplete(promise));
    return promise.future();
  }

  /** Refreshes the fleet gauges ({@code cp_sites}, credential age) now, on this verticle's context. */
  public Future<Void> refreshFleetGaugesNow() {
    Promise<Void> promise = Promise.promise();
    context.runOnContext(v -> fleetGauges.refresh().onComplete(promise));
    return promise.future();
  }

  /** Runs one poll of bulk rotation jobs on this verticle's context (tests; the timer runs it periodically). */
  public Future<Void> pollJobsNow() {
    Promise<Void> promise = Promise.promise();
    context.runOnContext(v -> services.jobs().runner().poll().onComplete(promise));
    return promise.future();
  }

  /** Re-seals every stored password under the active key (see {@link Resealer}). */
  public Future<Integer> resealAll() {
    Promise<Integer> promise = Promise.promise();
    context.runOnContext(v -> Resealer.resealAll(pool, keyRing).onComplete(promise));
    return promise.future();
  }

  private void reconcile() {
    services.reconciler().runOnce();
  }

  private Future<HealthReply> health() {
    return Db.classified(pool.query("SELECT 1").execute(), "health check")
        .map(rows -> new HealthReply(true, true))
        .recover(t -> Future.failedFuture(Failure.DATABASE_UNAVAILABLE.exception("the database does not answer")));
  }

  /**
   * Consumes {@code address}: each body is read by {@code read} (a bad one fails the message with its
   * {@link Failure}), handled, and the reply written by {@code write}.
   */
  private <Q, R> Future<Void> consume(String address, Function<Object, Q> read, Function<Q, Future<R>> handler,
                                      Function<R, JsonObject> write) {
    MessageConsumer<Object> consumer = vertx.eventBus().consumer(address, message -> {
      Future<JsonObject> result;
      try {
        result = handler.apply(read.apply(message.body())).map(write);
      } catch (RuntimeException e) {
        result = Future.failedFuture(e);
      }
      reply(message, result);
    });
    return consumer.completion();
  }

  private static void reply(Message<Object> message, Future<JsonObject> result) {
    result.onComplete(ar -> {
      if (ar.succeeded()) {
        message.reply(ar.result());
      } else if (ar.cause() instanceof ReplyException re && re.failureType() == ReplyFailure.RECIPIENT_FAILURE) {
        message.fail(re.failureCode(), re.getMessage());
      } else {
        LOG.error("unexpected failure on {}", message.address(), ar.cause());
        message.fail(Failure.INTERNAL_ERROR.code(), "internal error");
      }
    });
  }
}
