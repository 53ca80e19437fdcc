package controlplane.config;

import static org.assertj.core.api.Assertions.assertThat;

import controlplane.device.push.DevicePushVerticle;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.internal.VertxInternal;
import io.vertx.core.internal.deployment.Deployment;
import io.vertx.core.internal.deployment.DeploymentContext;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * {@code device.instances}: the process deploys that many device-push verticles, each on its own event loop (where
 * its router connections run); 0, the default, one per event loop of the Vert.x.
 */
class DeviceInstancesTest {

  private static JsonObject deviceOnly(Vertx vertx, int instances) throws Exception {
    JsonObject config = ConfigLoader.load(vertx, null, Map.of()).await();
    config.put("roles", new JsonArray(List.of("device")));
    config.getJsonObject("http").put("host", "127.0.0.1").put("port", FreePorts.next());
    config.getJsonObject("simulator").put("enabled", false);
    config.getJsonObject("device").put("instances", instances);
    return config;
  }

  /** The instances of the one deployment of device-push verticles. */
  private static Deployment devices(Vertx vertx) {
    List<Deployment> found = ((VertxInternal) vertx).deploymentManager().deployments().stream()
        .map(DeploymentContext::deployment)
        .filter(d -> d.instances().stream().anyMatch(DevicePushVerticle.class::isInstance))
        .toList();
    assertThat(found).hasSize(1);
    return found.get(0);
  }

  /** The device-push deployment of a device-only process started with {@code instances}; stopped after. */
  private static Deployment started(int instances) throws Exception {
    Vertx vertx = Vertx.vertx();
    try {
      ControlPlane cp = ControlPlane.start(vertx, deviceOnly(vertx, instances),
          new PrometheusMeterRegistry(PrometheusConfig.DEFAULT)).await(1, TimeUnit.MINUTES);
      Deployment d = devices(vertx);
      cp.stop().await(1, TimeUnit.MINUTES);
      return d;
    } finally {
      vertx.close().await(1, TimeUnit.MINUTES);
    }
  }

  @Test
  @DisplayName("device.instances 3: three device-push verticles, on three event loops")
  void asConfigured() throws Exception {
    Deployment d = started(3);
    assertThat(d.instances()).hasSize(3).allMatch(DevicePushVerticle.class::isInstance);
    assertThat(d.contexts()).hasSize(3);
    assertThat(d.contexts().stream().map(Context::isEventLoopContext).collect(Collectors.toSet()))
        .containsExactly(true);
  }

  @Test
  @DisplayName("device.instances 0 (the default): one device-push verticle per event loop")
  void onePerEventLoop() throws Exception {
    assertThat(started(0).instances()).hasSize(io.vertx.core.VertxOptions.DEFAULT_EVENT_LOOP_POOL_SIZE);
  }
}
