package controlplane.simulator.impl;

import controlplane.simulator.Fleet;
import controlplane.simulator.RouterSpec;
import controlplane.simulator.SimulatedRouter;
import controlplane.simulator.Simulator;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.NetServerOptions;
import io.vertx.core.net.SelfSignedCertificate;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** The routers of a fleet, their lookup maps, the shared api-ssl certificate and the state file. */
public final class SimulatorImpl implements Simulator {

  private final List<RouterImpl> routers;
  private final List<SimulatedRouter> view;
  private final Map<String, RouterImpl> byName;
  private final Map<String, RouterImpl> byEndpoint;
  private final Map<String, RouterImpl> byAddress;
  private final long startedAtMillis = System.currentTimeMillis();
  private final String certificatePem;
  private final NetServerOptions tlsOptions;
  private final StateStore store;

  private SimulatorImpl(Vertx vertx, Fleet fleet, Path stateFile, Map<String, JsonObject> stored,
      SelfSignedCertificate certificate, String certificatePem) {
    List<RouterSpec> specs = fleet.allRouters();
    this.routers = new ArrayList<>(specs.size());
    this.byName = new HashMap<>(specs.size() * 2);
    this.byEndpoint = new HashMap<>(specs.size() * 2);
    this.byAddress = new HashMap<>(specs.size() * 2);
    Map<String, JsonObject> foreign = new LinkedHashMap<>(stored);
    for (RouterSpec spec : specs) {
      JsonObject saved = foreign.remove(spec.name());
      RouterImpl r = new RouterImpl(spec, this, saved == null ? null : StateStore.users(saved));
      if (byName.putIfAbsent(spec.name(), r) != null) {
        throw new IllegalArgumentException("duplicate router name " + spec.name());
      }
      if (byEndpoint.putIfAbsent(spec.address() + ":" + spec.port(), r) != null) {
        throw new IllegalArgumentException("two routers on " + spec.address() + ":" + spec.port());
      }
      if (spec.apiSslPort() > 0 && byEndpoint.putIfAbsent(spec.address() + ":" + spec.apiSslPort(), r) != null) {
        throw new IllegalArgumentException("two services on " + spec.address() + ":" + spec.apiSslPort());
      }
      byAddress.putIfAbsent(spec.address(), r);
      routers.add(r);
    }
    this.view = Collections.unmodifiableList(routers);
    this.certificatePem = certificatePem;
    this.tlsOptions = certificate == null ? null
        : new NetServerOptions().setSsl(true).setKeyCertOptions(certificate.keyCertOptions());
    this.store = stateFile == null ? null : new StateStore(vertx, stateFile, routers, foreign);
  }

  /**
   * Builds the simulator (blocking: reads the state file and, when a router has api-ssl, generates the
   * self-signed certificate). Call it off the event loop.
   */
  public static SimulatorImpl create(Vertx vertx, Fleet fleet, Path stateFile) throws IOException {
    Map<String, JsonObject> stored = StateStore.read(stateFile);
    boolean needsTls = fleet.routers().stream().anyMatch(r -> r.apiSslPort() > 0);
    SelfSignedCertificate cert = null;
    String pem = null;
    if (needsTls) {
      cert = SelfSignedCertificate.create("localhost");
      pem = Files.readString(Path.of(cert.certificatePath()), StandardCharsets.UTF_8);
    }
    return new SimulatorImpl(vertx, fleet, stateFile, stored, cert, pem);
  }

  /** The routers, for the shards that start them. */
  public List<RouterImpl> routerImpls() {
    return routers;
  }

  NetServerOptions tlsOptions() {
    return tlsOptions;
  }

  long startedAtMillis() {
    return startedAtMillis;
  }

  void stateChanged() {
    if (store != null) {
      store.schedule();
    }
  }

  @Override
  public List<SimulatedRouter> routers() {
    return view;
  }

  @Override
  public Optional<SimulatedRouter> router(String name) {
    return Optional.ofNullable(byName.get(name));
  }

  @Override
  public Optional<SimulatedRouter> routerAt(String address, int port) {
    return Optional.ofNullable(byEndpoint.get(address + ":" + port));
  }

  @Override
  public Optional<SimulatedRouter> routerAt(String address) {
    return Optional.ofNullable(byAddress.get(address));
  }

  @Override
  public int size() {
    return routers.size();
  }

  @Override
  public String certificatePem() {
    return certificatePem;
  }

  @Override
  public Future<Void> persist() {
    return store == null ? Future.succeededFuture() : store.flush();
  }
}
