package controlplane.core.bus;

/** Values of {@link Fields#OP} on a device-push address. */
public final class DeviceOps {

  /**
   * Log in with the first of login_passwords that works, set new_password on the target's API user, end that
   * user's other sessions, then verify with a fresh connection and login using new_password.
   * Reply: {outcome, login_index, failure?, message?}.
   */
  public static final String APPLY = "apply";

  /**
   * Try each of login_passwords in order on a fresh connection; stop at the first that logs in.
   * Reply: {reachable, login_index (-1 when none logged in), failure?, message?}.
   */
  public static final String PROBE = "probe";

  private DeviceOps() {
  }
}
