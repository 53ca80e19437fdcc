package controlplane.config;

import controlplane.core.ConfigurationException;
import controlplane.core.CoreConfig;
import controlplane.core.CoreVerticle;
import controlplane.core.bus.Addresses;
import controlplane.core.bus.Failure;
import controlplane.core.bus.HealthReply;
import controlplane.core.bus.HealthRequest;
import controlplane.core.bus.RotationHook;
import controlplane.core.bus.SiteRequest;
import controlplane.device.DeviceConfig;
import controlplane.device.push.DevicePushVerticle;
import controlplane.http.HealthVerticle;
import controlplane.http.HttpConfig;
import controlplane.http.HttpVerticle;
import controlplane.simulator.Fleet;
import controlplane.simulator.SimulatorConfig;
import controlplane.simulator.SimulatorVerticle;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.BindException;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The composition root: the {@link Mode} (embedded: the data directory's secrets and database; production: the
 * required keys checked) and the {@link Role}s said in one log line, then the verticles of the roles in order
 * (core: persistence and rotation; device: device push; the simulator when enabled; api: HTTP, or else only health
 * and metrics), then the demo fleet's enrolment.
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
  private HealthVerticle health;
  private Set<Role> roles;
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
      roles = Role.of(config);
      Mode mode = Mode.of(config);
      ModeRequirements.check(mode, roles, config, vertx.isClustered());
      ConsistencyChecks.check(roles, config);
      mode.defaultSimulator(config, roles);
      if (mode == Mode.EMBEDDED && roles.contains(Role.CORE)) {
        embedded = EmbeddedInstall.open(config);
        devJwtSecret = embedded.secrets().jwtSecret();
      }
      LOG.info(ModeLine.text(mode, roles, config, embedded));
      return null;
    }).compose(v -> roles.contains(Role.CORE)
            ? deploy(new CoreVerticle(CoreConfig.fromJson(config, embedded != null), registry, hook))
            : Future.succeededFuture())
        .compose(v -> roles.contains(Role.DEVICE)
            ? deployDevices(DeviceConfig.fromJson(config))
            : Future.succeededFuture())
        .compose(v -> startSimulator())
        .compose(v -> {
          HttpConfig httpConfig = HttpConfig.fromJson(config);
          if (roles.contains(Role.API)) {
            http = new HttpVerticle(httpConfig, registry, roles.contains(Role.CORE));
            return deploy(http).recover(err -> bindRefused(err, httpConfig));
          }
          health = new HealthVerticle(httpConfig, registry, this::readiness);
          return deploy(health).recover(err -> bindRefused(err, httpConfig));
        })
        .compose(v -> roles.contains(Role.CORE) ? enrolDemoFleet() : Future.succeededFuture());
  }

  /**
   * Readiness of a process without the API (whose readiness is core's, over the bus): with core, this process's own
   * database; otherwise started (its device-push consumers registered and, when clustered, the cluster joined).
   */
  private Future<JsonObject> readiness() {
    JsonObject ready = new JsonObject().put("roles", new JsonArray(roles.stream().map(Role::label).toList()))
        .put("clustered", vertx.isClustered());
    if (roles.contains(Role.DEVICE)) {
      ready.put("edges", new JsonArray(DeviceConfig.fromJson(config).edges()));
    }
    if (!roles.contains(Role.CORE)) {
      return Future.succeededFuture(ready);
    }
    return vertx.eventBus().<JsonObject>request(Addresses.PERSISTENCE_HEALTH, new HealthRequest().toJson(),
            new DeliveryOptions().setLocalOnly(true).setSendTimeout(5_000))
        .map(reply -> ready.mergeIn(HealthReply.fromJson(reply.body()).toJson()));
  }

  /** A listener refused its address: an expected start-up error, said in one line naming the address and its keys. */
  private static Future<Void> bindRefused(Throwable err, HttpConfig http) {
    for (Throwable t = err; t != null; t = t.getCause()) {
      if (t instanceof BindException) {
        String hint = String.valueOf(t.getMessage()).contains("in use")
            ? "; stop what holds the port or set another http.port" : "";
        return Future.failedFuture(new ConfigurationException("cannot listen on " + http.host() + ":" + http.port()
            + " (http.host:http.port): " + t.getMessage() + hint));
      }
    }
    return Future.failedFuture(err);
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

  /** The device-push verticles, {@link DeviceConfig#verticles()} of them, as one deployment. */
  private Future<Void> deployDevices(DeviceConfig device) {
    return vertx.deployVerticle(() -> new DevicePushVerticle(device, registry, hook),
        new DeploymentOptions().setInstances(device.verticles())).map(id -> {
          LOG.info("device push: {} verticles for edges {}", device.verticles(), device.edges());
          deployments.push(id);
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

  /**
   * For an owner whose JVM shutdown hook runs {@link #stop()}: the embedded database then stops in that stop, after
   * the verticles that use it, and no longer at once with them in a shutdown hook of its own.
   */
  public void stopAtExitByOwner() {
    if (embedded != null) {
      embedded.database().stoppedByOwnerAtExit();
    }
  }

  /** The port of the API, or of health and metrics in a process without the api role. */
  public int httpPort() {
    return http != null ? http.actualPort() : health.actualPort();
  }

  public Set<Role> roles() {
    return roles;
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
