package controlplane.core.rotation;

import controlplane.core.bus.Failure;
import controlplane.core.network.IpLiterals;
import controlplane.core.network.NetworkRule;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.net.InetAddress;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Where a router may be dialled: its host resolved once (a literal without any lookup, a name on a worker thread),
 * the address checked against the {@link NetworkRule}, and that same address, as text, handed back to be dialled.
 * Enrolment asks before anything else, and so does every device operation, so a network denied later, or a name
 * that resolves elsewhere now, is never dialled either.
 */
final class TargetGuard {

  static final String NOT_ALLOWED = "the target address is not allowed for enrolment";

  private static final Logger LOG = LoggerFactory.getLogger(TargetGuard.class);

  private final Vertx vertx;
  private final NetworkRule rule;

  TargetGuard(Vertx vertx, NetworkRule rule) {
    this.vertx = vertx;
    this.rule = rule;
  }

  /**
   * The canonical address to dial for {@code host}; fails with {@link Failure#TARGET_NOT_ALLOWED} when the rule
   * denies it, {@link Failure#DEVICE_UNREACHABLE} when the name does not resolve.
   */
  Future<String> address(String host) {
    InetAddress literal = IpLiterals.parse(host);
    Future<InetAddress> resolved = literal != null ? Future.succeededFuture(literal)
        : vertx.executeBlocking(() -> InetAddress.getAllByName(host)[0], false);
    return resolved.transform(ar -> {
      if (ar.failed()) {
        return Future.failedFuture(Failure.DEVICE_UNREACHABLE.exception("the router's host name does not resolve"));
      }
      if (!rule.permits(ar.result())) {
        LOG.warn("router address {} (from {}) is outside the enrolment networks: not dialled",
            IpLiterals.format(ar.result()), host);
        return Future.failedFuture(Failure.TARGET_NOT_ALLOWED.exception(NOT_ALLOWED));
      }
      return Future.succeededFuture(IpLiterals.format(ar.result()));
    });
  }
}
