package controlplane.core.bus;

/** The points of a rotation where the process may die; a {@link RotationHook} is called at each, in this order. */
public enum RotationStep {
  /** Core: the PENDING version is committed; the router has not been asked yet. */
  PENDING_COMMITTED,
  /** Device: the router accepted the new password ({@code /user/set} answered {@code !done}); not verified yet. */
  ROUTER_CHANGED,
  /** Core: the device replied {@code applied} (router changed and verified); nothing is finalised yet. */
  DEVICE_APPLIED,
  /** Core: the promotion is committed; the caller has not been answered yet. */
  FINALISED
}
