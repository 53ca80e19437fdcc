package controlplane.core.rotation;

import controlplane.core.CoreConfig;
import controlplane.core.bus.RotationHook;
import controlplane.core.crypto.Sealer;
import controlplane.core.fleet.EdgeLimiter;
import controlplane.core.jobs.JobMetrics;
import controlplane.core.jobs.JobRunner;
import controlplane.core.jobs.JobService;
import controlplane.core.persistence.JobRepository;
import controlplane.core.network.NetworkRule;
import io.vertx.core.Vertx;
import io.vertx.sqlclient.Pool;
import java.security.SecureRandom;

/** Wires the services of core over one pool; built by {@code CoreVerticle}, and by tests. */
public final class CoreServices {

  private final RotationService rotations;
  private final SiteService sites;
  private final DeletedSiteService deletedSites;
  private final Reconciler reconciler;
  private final HistoryService history;
  private final JobService jobs;
  private final EdgeLimiter edgeLimiter;
  private final PolicyService policies;
  private final Scheduler scheduler;
  private final DriftChecker drift;

  /** {@code targets}: the router addresses that may be dialled, from {@code config.enrolment()}. */
  public CoreServices(CoreConfig config, Pool pool, Sealer sealer, Vertx vertx, NetworkRule targets,
                      CoreMetrics metrics, RotationHook hook) {
    this(config, pool, sealer, vertx, targets, metrics, hook, null);
  }

  /**
   * {@code processId}: this process's id in {@code cp_processes} ({@link controlplane.core.persistence.ProcessRegistry}),
   * the owner of the PENDING versions its rotations take; null for none.
   */
  public CoreServices(CoreConfig config, Pool pool, Sealer sealer, Vertx vertx, NetworkRule targets,
                      CoreMetrics metrics, RotationHook hook, java.util.UUID processId) {
    CredentialStore store = new CredentialStore(pool, sealer, processId, metrics.statementCalls("promote"));
    TargetGuard guard = new TargetGuard(vertx, targets);
    DeviceGateway device = new DeviceGateway(vertx.eventBus(), guard, config.rotation().deviceTimeoutMs());
    this.rotations = new RotationService(store, device, config.rotation(), metrics, hook);
    this.sites = new SiteService(store, device, guard, new EnrolmentRateLimiter(config.enrolment().ratePerMinute()),
        rotations);
    this.deletedSites = new DeletedSiteService(store, config.retention());
    this.reconciler = new Reconciler(store, device, config.rotation(), config.reconciler(), metrics);
    this.history = new HistoryService(store);
    // The one per-edge cap of background device work in this process (jobs, the scheduler, drift checks).
    this.edgeLimiter = new EdgeLimiter(config.scheduler().maxInFlightPerEdge());
    JobRepository jobRepository = new JobRepository(pool);
    this.jobs = new JobService(jobRepository, new JobRunner(jobRepository, rotations, edgeLimiter,
        new JobMetrics(metrics.registry()), config.scheduler(), config.rotation().effectiveLeaseSeconds()));
    this.policies = new PolicyService(store);
    FleetMetrics fleetMetrics = new FleetMetrics(metrics.registry());
    this.scheduler = new Scheduler(store, policies.policies, rotations, edgeLimiter, config, fleetMetrics,
        new SecureRandom());
    this.drift = new DriftChecker(store, policies.policies, device, edgeLimiter, config, fleetMetrics);
  }

  public HistoryService history() {
    return history;
  }

  public JobService jobs() {
    return jobs;
  }

  public DriftChecker drift() {
    return drift;
  }

  public EdgeLimiter edgeLimiter() {
    return edgeLimiter;
  }

  public PolicyService policies() {
    return policies;
  }

  public Scheduler scheduler() {
    return scheduler;
  }

  public RotationService rotations() {
    return rotations;
  }

  public SiteService sites() {
    return sites;
  }

  public DeletedSiteService deletedSites() {
    return deletedSites;
  }

  public Reconciler reconciler() {
    return reconciler;
  }
}
