package controlplane.core.rotation;

import controlplane.core.bus.Failure;

/** How a rotation ended: the {@code outcome} tag of {@value CoreMetrics#ROTATIONS}, {@link #tag()} on the wire. */
public enum RotationOutcome {
  APPLIED("applied"),
  /** The answer given before for the same Idempotency-Key. */
  REPLAYED("replayed"),
  NOT_APPLIED("not_applied"),
  UNKNOWN("unknown"),
  IN_PROGRESS("in_progress"),
  REJECTED("rejected"),
  ERROR("error");

  private final String tag;

  RotationOutcome(String tag) {
    this.tag = tag;
  }

  /** The tag value, as dashboards and alerts query it. */
  public String tag() {
    return tag;
  }

  /** The outcome of a rotation that failed with {@code failure}. */
  static RotationOutcome of(Failure failure) {
    return switch (failure) {
      case DEVICE_UNREACHABLE, DEVICE_REJECTED_CREDENTIALS, DEVICE_CERTIFICATE_MISMATCH, DEVICE_TIMEOUT,
          TARGET_NOT_ALLOWED, EDGE_UNAVAILABLE -> NOT_APPLIED;
      case DEVICE_OUTCOME_UNKNOWN -> UNKNOWN;
      case ROTATION_IN_PROGRESS -> IN_PROGRESS;
      case SITE_NOT_FOUND, INVALID_SITE_ID, INVALID_REQUEST, IDEMPOTENCY_KEY_REUSED -> REJECTED;
      default -> ERROR;
    };
  }
}
