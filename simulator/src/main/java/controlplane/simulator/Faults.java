package controlplane.simulator;

import java.util.Objects;

/**
 * Faults a simulated router injects. Immutable; change a router's faults at run time with
 * {@link SimulatedRouter#faults(Faults)}, typically starting from {@link #NONE} and the {@code with...} methods.
 *
 * @param refuseConnections the API services stop listening: new connections are refused (and open ones closed)
 * @param neverAnswer connections are accepted and read, but nothing is ever answered
 * @param delayMs every reply is sent this many milliseconds late (order is kept)
 * @param closeAfterCommand close the connection right after receiving this command, or null
 * @param rejectLogins every login fails with the router's ordinary failure message
 */
public record Faults(boolean refuseConnections, boolean neverAnswer, long delayMs,
    CloseAfterCommand closeAfterCommand, boolean rejectLogins) {

  /** A healthy router. */
  public static final Faults NONE = new Faults(false, false, 0, null, false);

  public Faults {
    if (delayMs < 0) {
      throw new IllegalArgumentException("delayMs must not be negative");
    }
  }

  /**
   * Closes the connection when {@code command} arrives.
   *
   * @param command the command word, e.g. {@code /user/set}
   * @param phase whether the command takes effect before the connection is closed
   */
  public record CloseAfterCommand(String command, Phase phase) {
    public CloseAfterCommand {
      Objects.requireNonNull(command, "command");
      Objects.requireNonNull(phase, "phase");
    }
  }

  /** When the connection is closed relative to applying the command. */
  public enum Phase {
    /** Closed without applying the command: the change is definitely not made. */
    BEFORE_APPLY,
    /** The command is applied, then the connection is closed without a reply: the outcome is unknown. */
    AFTER_APPLY;

    /** Parses the fleet-file spelling {@code beforeApply} or {@code afterApply}. */
    public static Phase parse(String text) {
      return switch (text.trim()) {
        case "beforeApply" -> BEFORE_APPLY;
        case "afterApply" -> AFTER_APPLY;
        default -> throw new IllegalArgumentException("when must be beforeApply or afterApply, not " + text);
      };
    }
  }

  public Faults withRefuseConnections(boolean value) {
    return new Faults(value, neverAnswer, delayMs, closeAfterCommand, rejectLogins);
  }

  public Faults withNeverAnswer(boolean value) {
    return new Faults(refuseConnections, value, delayMs, closeAfterCommand, rejectLogins);
  }

  public Faults withDelayMs(long value) {
    return new Faults(refuseConnections, neverAnswer, value, closeAfterCommand, rejectLogins);
  }

  /** {@code null} clears the fault. */
  public Faults withCloseAfterCommand(CloseAfterCommand value) {
    return new Faults(refuseConnections, neverAnswer, delayMs, value, rejectLogins);
  }

  public Faults withCloseAfterCommand(String command, Phase phase) {
    return withCloseAfterCommand(new CloseAfterCommand(command, phase));
  }

  public Faults withRejectLogins(boolean value) {
    return new Faults(refuseConnections, neverAnswer, delayMs, closeAfterCommand, value);
  }
}
