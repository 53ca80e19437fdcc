package controlplane.core.rotation;

import io.vertx.core.Future;
import java.util.UUID;

/**
 * Called when a rotation reaches a {@link RotationStep}. A failed future stops the rotation right there, leaving the
 * stored state exactly as a crash at that point would (the reconciler settles it once the lease expires): tests use
 * it to stop between steps. Production uses {@link #NONE}.
 */
@FunctionalInterface
public interface RotationHook {

  /** Lets every rotation run through. */
  RotationHook NONE = (step, siteId, versionId) -> Future.succeededFuture();

  /** @param versionId the pending version of this rotation */
  Future<Void> reached(RotationStep step, UUID siteId, UUID versionId);
}
