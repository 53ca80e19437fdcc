package controlplane.core.rotation;

/** The points of a rotation where the process may die; a {@link RotationHook} is called at each. */
public enum RotationStep {
  /** The PENDING version is committed; the router has not been asked yet. */
  PENDING_COMMITTED,
  /** The device replied {@code applied} (router changed and verified); nothing is finalised yet. */
  DEVICE_APPLIED,
  /** The promotion is committed; the caller has not been answered yet. */
  FINALISED
}
