package controlplane.core;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Named points in the rotation where crash tests stop the process for real. Off unless the JVM runs with
 * {@code -Dcontrolplane.crashAt=NAME}; then reaching that point halts the process at once (no shutdown hooks, as
 * with SIGKILL), so a test can restart it and check that the reconciler converges.
 */
public final class Failpoints {

  /** The PENDING version is committed; the router is not yet touched. */
  public static final String PENDING_COMMITTED = "pending_committed";
  /** The router accepted the new password ({@code /user/set} answered {@code !done}); not yet verified. */
  public static final String ROUTER_CHANGED = "router_changed";
  /** The device verified the new password and replied; nothing committed yet. */
  public static final String VERIFY_DONE = "verify_done";
  /** Pending promoted to current and committed; the HTTP reply not yet sent. */
  public static final String FINALISE_COMMITTED = "finalise_committed";

  public static final String PROPERTY = "controlplane.crashAt";
  /** Exit status of a process halted at a failpoint. */
  public static final int EXIT_STATUS = 86;

  private static final Logger LOG = LoggerFactory.getLogger(Failpoints.class);
  private static final String ARMED = System.getProperty(PROPERTY);

  private Failpoints() {
  }

  /** Halts the JVM when {@code name} is the armed failpoint; does nothing otherwise. */
  public static void reach(String name) {
    if (ARMED != null && ARMED.equals(name)) {
      LOG.warn("failpoint {} reached: halting", name);
      System.out.flush();
      System.err.flush();
      Runtime.getRuntime().halt(EXIT_STATUS);
    }
  }
}
