package controlplane.simulator;

import io.vertx.core.Vertx;
import java.nio.file.Path;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/** Runs a simulator in its own Vert.x instance for a blocking test class. */
final class SimulatorFixture implements AutoCloseable {

  final Vertx vertx;
  final SimulatorVerticle verticle;
  final String deploymentId;

  SimulatorFixture(Fleet fleet, Path stateFile) throws Exception {
    vertx = Vertx.vertx();
    verticle = new SimulatorVerticle(fleet, stateFile);
    deploymentId = vertx.deployVerticle(verticle).toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
  }

  static SimulatorFixture start(String yaml) throws Exception {
    return new SimulatorFixture(Fleet.fromYaml(yaml), null);
  }

  Simulator simulator() {
    return verticle.simulator();
  }

  SimulatedRouter router(String name) {
    return simulator().router(name).orElseThrow();
  }

  @Override
  public void close() throws ExecutionException, TimeoutException {
    try {
      vertx.close().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
