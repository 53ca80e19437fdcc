package controlplane.core.bus;

/** The outcome of an {@link ApplyRequest}, by its wire name ({@link Fields#OUTCOME}). */
public enum DeviceOutcome {
  /** The new password is set and a fresh login with it succeeded. */
  APPLIED("applied"),
  /** The router definitely does not have the new password (never sent, or refused). */
  NOT_APPLIED("not_applied"),
  /** The change was sent but its result is unknown (connection lost, timeout after sending). */
  UNKNOWN("unknown");

  private final String wire;

  DeviceOutcome(String wire) {
    this.wire = wire;
  }

  public String wire() {
    return wire;
  }

  /** {@link #UNKNOWN} for anything else: an outcome nobody can read is not known. */
  static DeviceOutcome byWire(String name) {
    for (DeviceOutcome o : values()) {
      if (o.wire.equals(name)) {
        return o;
      }
    }
    return UNKNOWN;
  }
}
