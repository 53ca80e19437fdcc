package controlplane.config;

import controlplane.core.CoreConfig;
import controlplane.core.CoreVerticle;
import controlplane.core.bus.Addresses;
import controlplane.core.bus.Failure;
import controlplane.core.bus.RotationHook;
import controlplane.core.bus.SiteRequest;
import controlplane.device.DeviceConfig;
import controlplane.device.push.DevicePushVerticle;
import controlplane.http.HttpConfig;
import controlplane.http.HttpVerticle;
import controlplane.simulator.Fleet;
import controlplane.simulator.SimulatorConfig;
import controlplane.simulator.SimulatorVerticle;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The composition root: the {@link Mode} (embedded: the data directory's secrets and database; production: the
 * required keys checked) said in one log line, then the verticles in order (persistence and rotation, device push,
 * the simulator when enabled, HTTP), then the demo fleet's enrolment.
 * {@link #stop()} undoes it in reverse order so in-flight rotations finish or stay for the reconciler.
 */
public final class ControlPlane {

  private static final Logger LOG = LoggerFactory.getLogger(ControlPlane.class);

  private final Vertx vertx;
  private final JsonObject config;
  private final PrometheusMeterRegistry registry;
  private final RotationHook hook;
  private final Deque<String> deployments = new ArrayDeque<>();
  private EmbeddedInstall embedded;
  private SimulatorVerticle simulator;
  private HttpVerticle http;
  private boolean devJwtSecret;
  private final List<DemoSite> demoSites = new ArrayList<>();

  private ControlPlane(Vertx vertx, JsonObject config, PrometheusMeterRegistry registry, RotationHook hook) {
    this.vertx = vertx;
    this.config = config;
    this.registry = registry;
    this.hook = hook;
  }

  /** Starts everything {@code config} asks for; the returned control plane is serving. */
  public static Future<ControlPlane> start(Vertx vertx, JsonObject config, PrometheusMeterRegistry registry) {
    return start(vertx, config, registry, RotationHook.NONE);
  }

  /** Same, with {@code hook} called at every step of every rotation (crash tests inject one that kills the JVM). */
  public static Future<ControlPlane> start(Vertx vertx, JsonObject config, PrometheusMeterRegistry registry,
                                           RotationHook hook) {
    ControlPlane cp = new ControlPlane(vertx, config.copy(), registry, hook);
    return cp.startAll().map(cp).recover(err -> cp.stop().transform(ignored -> Future.failedFuture(err)));
  }

  private Future<Void> startAll() {
    return vertx.executeBlocking(() -> {
      Mode mode = Mode.of(config);
      ModeRequirements.check(mode, config);
      mode.defaultSimulator(config);
      if (mode == Mode.EMBEDDED) {
        embedded = EmbeddedInstall.open(config);
        devJwtSecret = embedded.secrets().jwtSecret();
      }
      LOG.info(ModeLine.text(mode, config, embedded));
      return null;
    }).compose(v -> deploy(new CoreVerticle(CoreConfig.fromJson(config, embedded != null), registry, hook)))
        .compose(v -> deploy(new DevicePushVerticle(DeviceConfig.fromJson(config), registry, hook)))
        .compose(v -> startSimulator())
        .compose(v -> {
          http = new HttpVerticle(HttpConfig.fromJson(config), registry);
          return deploy(http);
        })
        .compose(v -> enrolDemoFleet());
  }

  private Future<Void> startSimulator() {
    SimulatorConfig sc = SimulatorConfig.fromJson(config);
    if (!sc.enabled()) {
      return Future.succeededFuture();
    }
    return vertx.executeBlocking(sc::loadFleet).compose(fleet -> {
      simulator = new SimulatorVerticle(fleet, sc.stateFile());
      return deploy(simulator);
    });
  }

  /** Enrols the built-in demo routers as sites, once: a restart finds them enrolled and leaves them be. */
  private Future<Void> enrolDemoFleet() {
    SimulatorConfig sc = SimulatorConfig.fromJson(config);
    if (!sc.enabled() || sc.fleetFile() != null) {
      return Future.succeededFuture();
    }
    Future<Void> chain = Future.succeededFuture();
    for (DemoSite site : DemoSite.forFleet(Fleet.demo())) {
      chain = chain.compose(v -> enrol(site));
    }
    return chain;
  }

  private Future<Void> enrol(DemoSite site) {
    JsonObject key = new SiteRequest(UUID.fromString(site.siteId()), DemoSite.ORG_ID, null, null).toJson();
    Future<Boolean> live = vertx.eventBus().<JsonObject>request(Addresses.SITE_GET, key)
        .map(found -> true)
        .recover(err -> Failure.of(err) != Failure.SITE_NOT_FOUND ? Future.failedFuture(err)
            : vertx.eventBus().<JsonObject>request(Addresses.SITE_PUT, site.enrolment().toJson())
                .map(enrolled -> {
                  LOG.info("enrolled demo site {} ({}:{})", site.siteId(), site.host(), site.port());
                  return true;
                })
                .recover(refused -> switch (Failure.of(refused)) {
                  // Deleted by its operator: it stays deleted (to recover or purge) and the service starts.
                  case SITE_DELETED -> {
                    LOG.info("demo site {} is deleted; left so", site.siteId());
                    yield Future.succeededFuture(false);
                  }
                  case TARGET_NOT_ALLOWED -> Future.failedFuture(new IllegalStateException("the demo routers are on"
                      + " loopback, which enrolment.deniedNetworks denies by default when database.url is set: set"
                      + " simulator.enabled to false, or list enrolment.deniedNetworks without loopback"));
                  default -> Future.failedFuture(refused);
                }));
    return live.map(listed -> {
      if (listed) {
        demoSites.add(site);
      }
      return null;
    });
  }

  private Future<Void> deploy(io.vertx.core.Deployable verticle) {
    return vertx.deployVerticle(verticle).map(id -> {
      deployments.push(id);
      return null;
    });
  }

  /** Undeploys in reverse order (HTTP first, persistence last), then stops the embedded database and unlocks. */
  public Future<Void> stop() {
    Future<Void> chain = Future.succeededFuture();
    while (!deployments.isEmpty()) {
      String id = deployments.pop();
      chain = chain.eventually(() -> vertx.undeploy(id));
    }
    return chain.eventually(() -> vertx.executeBlocking(() -> {
      if (embedded != null) {
        embedded.close();
        embedded = null;
      }
      return null;
    })).mapEmpty();
  }

  public int httpPort() {
    return http.actualPort();
  }

  public Vertx vertx() {
    return vertx;
  }

  public JsonObject config() {
    return config;
  }

  public boolean devJwtSecret() {
    return devJwtSecret;
  }

  public List<DemoSite> demoSites() {
    return List.copyOf(demoSites);
  }

  public SimulatorVerticle simulator() {
    return simulator;
  }

  static Path dataDir(JsonObject config) {
    return Path.of(config.getString("dataDir", "./data")).toAbsolutePath().normalize();
  }
}
