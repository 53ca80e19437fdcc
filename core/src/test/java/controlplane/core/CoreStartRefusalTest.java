package controlplane.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.core.Vertx;
import java.util.Base64;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** Core refuses to start with a rotation lease that a device operation could outlast, before touching the database. */
class CoreStartRefusalTest {

  private final Vertx vertx = Vertx.vertx();

  @AfterEach
  void close() throws Exception {
    vertx.close().await(1, TimeUnit.MINUTES);
  }

  @Test
  @DisplayName("rotation.leaseSeconds 5 with the default 30 s device timeout: the deployment fails naming both keys")
  void shortLeaseRefused() {
    // Nothing listens on port 1: the refusal comes before any connection.
    CoreConfig config = new CoreConfig(new CoreConfig.Database("postgresql://cp:pw@127.0.0.1:1/cp", 2),
        new CoreConfig.Crypto(Map.of("k1", Base64.getEncoder().encodeToString(new byte[32])), "k1"),
        new CoreConfig.Rotation(32, 5, 30_000), new CoreConfig.Reconciler(10_000));

    assertThatThrownBy(() -> vertx.deployVerticle(new CoreVerticle(config, new SimpleMeterRegistry()))
        .await(1, TimeUnit.MINUTES))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("rotation.leaseSeconds (5) must be at least 31: longer than the longest device operation,"
            + " rotation.deviceTimeoutMs (30000 ms)");
    assertThat(vertx.deploymentIDs()).isEmpty();
  }
}
