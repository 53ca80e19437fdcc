package controlplane.core.bus;

import io.vertx.core.Future;
import java.util.UUID;

/**
 * Called when a rotation reaches a {@link RotationStep}, by core and by the device. A failed future stops the
 * rotation right there, leaving the stored state exactly as a crash at that point would (the reconciler settles it):
 * tests inject a hook to stop or kill the process between steps. Production runs with {@link #NONE}.
 */
@FunctionalInterface
public interface RotationHook {

  /** Lets every rotation run through. */
  RotationHook NONE = (step, siteId, versionId) -> Future.succeededFuture();

  /**
   * @param siteId the site, or null where the caller does not know it
   * @param versionId the pending version of this rotation, or null where the caller does not know it (the device)
   */
  Future<Void> reached(RotationStep step, UUID siteId, UUID versionId);
}
