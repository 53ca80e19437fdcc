package controlplane.core.bus;

/** Values of {@link Fields#OUTCOME} in a reply to {@link DeviceOps#APPLY}. */
public final class DeviceOutcome {

  /** The new password is set and a fresh login with it succeeded. */
  public static final String APPLIED = "applied";
  /** The router definitely does not have the new password (never sent, or refused). */
  public static final String NOT_APPLIED = "not_applied";
  /** The change was sent but its result is unknown (connection lost, timeout after sending). */
  public static final String UNKNOWN = "unknown";

  private DeviceOutcome() {
  }
}
