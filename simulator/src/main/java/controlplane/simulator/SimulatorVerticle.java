package controlplane.simulator;

import controlplane.simulator.impl.RouterImpl;
import controlplane.simulator.impl.ShardVerticle;
import controlplane.simulator.impl.SimulatorImpl;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs a fleet of simulated routers. Start completes once every router listens (routers with the
 * {@code refuseConnections} fault excepted); stop writes the state file one last time and closes every listener.
 * The routers are spread over the event loops by one child verticle per loop.
 */
public final class SimulatorVerticle extends VerticleBase {

  private static final Logger LOG = LoggerFactory.getLogger(SimulatorVerticle.class);

  private final Fleet fleet;
  private final Path stateFile;
  private volatile SimulatorImpl simulator;

  /**
   * @param fleet the routers to run
   * @param stateFileOrNull where routers keep their users across restarts; null keeps them in memory only
   */
  public SimulatorVerticle(Fleet fleet, Path stateFileOrNull) {
    this.fleet = fleet;
    this.stateFile = stateFileOrNull;
  }

  /**
   * The running simulator: routers by name or address, fault control.
   *
   * @throws IllegalStateException before the verticle has started
   */
  public Simulator simulator() {
    SimulatorImpl s = simulator;
    if (s == null) {
      throw new IllegalStateException("the simulator has not started");
    }
    return s;
  }

  @Override
  public Future<?> start() {
    long begin = System.nanoTime();
    return vertx.executeBlocking(() -> SimulatorImpl.create(vertx, fleet, stateFile))
        .compose(sim -> {
          simulator = sim;
          return deployShards(sim.routerImpls());
        })
        .onSuccess(v -> LOG.info("simulator listening: {} routers in {} ms", simulator.size(),
            (System.nanoTime() - begin) / 1_000_000));
  }

  private Future<?> deployShards(List<RouterImpl> routers) {
    if (routers.isEmpty()) {
      return Future.succeededFuture();
    }
    int shards = Math.min(routers.size(), 2 * Runtime.getRuntime().availableProcessors());
    List<List<RouterImpl>> parts = new ArrayList<>(shards);
    for (int i = 0; i < shards; i++) {
      parts.add(new ArrayList<>(routers.size() / shards + 1));
    }
    for (int i = 0; i < routers.size(); i++) {
      parts.get(i % shards).add(routers.get(i));
    }
    List<Future<String>> deployed = new ArrayList<>(shards);
    for (List<RouterImpl> part : parts) {
      deployed.add(vertx.deployVerticle(new ShardVerticle(part)));
    }
    return Future.all(deployed);
  }

  @Override
  public Future<?> stop() {
    SimulatorImpl s = simulator;
    return s == null ? Future.succeededFuture() : s.persist();
  }
}
