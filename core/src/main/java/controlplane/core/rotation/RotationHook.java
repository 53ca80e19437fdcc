package controlplane.core.rotation;

import controlplane.core.Failpoints;
import io.vertx.core.Future;
import java.util.UUID;

/**
 * Called when a rotation reaches a {@link RotationStep}. A failed future stops the rotation right there, leaving the
 * stored state exactly as a crash at that point would (the reconciler settles it once the lease expires): tests use
 * it to stop between steps. Production uses {@link #NONE}.
 */
@FunctionalInterface
public interface RotationHook {

  /**
   * Lets every rotation run through, except that a JVM started with {@code -Dcontrolplane.crashAt=NAME} halts at
   * that {@link Failpoints} name (crash tests of the real process).
   */
  RotationHook NONE = (step, siteId, versionId) -> {
    Failpoints.reach(switch (step) {
      case PENDING_COMMITTED -> Failpoints.PENDING_COMMITTED;
      case DEVICE_APPLIED -> Failpoints.VERIFY_DONE;
      case FINALISED -> Failpoints.FINALISE_COMMITTED;
    });
    return Future.succeededFuture();
  };

  /** @param versionId the pending version of this rotation */
  Future<Void> reached(RotationStep step, UUID siteId, UUID versionId);
}
