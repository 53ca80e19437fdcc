package controlplane.core.rotation;

import controlplane.core.CoreConfig;
import controlplane.core.bus.RotationHook;
import controlplane.core.crypto.Sealer;
import io.vertx.core.eventbus.EventBus;
import io.vertx.sqlclient.Pool;

/** Wires the services of core over one pool; built by {@code CoreVerticle}, and by tests. */
public final class CoreServices {

  private final RotationService rotations;
  private final SiteService sites;
  private final DeletedSiteService deletedSites;
  private final Reconciler reconciler;

  public CoreServices(CoreConfig config, Pool pool, Sealer sealer, EventBus eventBus, CoreMetrics metrics,
                      RotationHook hook) {
    CredentialStore store = new CredentialStore(pool, sealer);
    DeviceGateway device = new DeviceGateway(eventBus, config.rotation().deviceTimeoutMs());
    this.rotations = new RotationService(store, device, config.rotation(), metrics, hook);
    this.sites = new SiteService(store, device);
    this.deletedSites = new DeletedSiteService(store, config.retention());
    this.reconciler = new Reconciler(store, device, config.rotation(), config.reconciler().intervalMs(), metrics);
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
