package controlplane.simulator;

import io.vertx.core.Future;
import java.util.List;
import java.util.Optional;

/** The running fleet of simulated routers: lookup by name or address, fault control, state persistence. */
public interface Simulator {

  /** Every router, in fleet order. */
  List<SimulatedRouter> routers();

  Optional<SimulatedRouter> router(String name);

  /** The router listening on {@code address:port} (its api or api-ssl port). */
  Optional<SimulatedRouter> routerAt(String address, int port);

  /** The first router listening on {@code address}, whatever its port. */
  Optional<SimulatedRouter> routerAt(String address);

  int size();

  /** PEM of the self-signed certificate every api-ssl service presents, or null when no router has api-ssl. */
  String certificatePem();

  /** Writes the state file now (when one is configured); completes when the file is in place. */
  Future<Void> persist();
}
