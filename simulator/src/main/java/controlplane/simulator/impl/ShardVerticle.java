package controlplane.simulator.impl;

import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import java.util.ArrayList;
import java.util.List;

/**
 * Starts the services of a share of the fleet on one event loop; the simulator deploys one per event loop so that
 * a large fleet uses every core. Undeploying it closes its routers' listeners and connections.
 */
public final class ShardVerticle extends VerticleBase {

  private final List<RouterImpl> routers;

  public ShardVerticle(List<RouterImpl> routers) {
    this.routers = routers;
  }

  @Override
  public Future<?> start() {
    List<Future<Void>> started = new ArrayList<>(routers.size());
    for (RouterImpl r : routers) {
      started.add(r.start(context));
    }
    return Future.all(started);
  }
}
