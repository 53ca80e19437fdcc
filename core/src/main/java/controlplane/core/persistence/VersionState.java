package controlplane.core.persistence;

/** The life of a credential version. */
public enum VersionState {
  /** Committed before the router is touched; settled by the rotation, or by the reconciler once its lease expired. */
  PENDING,
  /** The password the router accepts; at most one per site. */
  CURRENT,
  /** The password before the current one, invalidated; kept so that a retry after a crash can still log in. */
  PREVIOUS,
  /** Never applied (the router refused, or kept another password); never pushed again. */
  FAILED,
  /** An older previous version. */
  SUPERSEDED
}
