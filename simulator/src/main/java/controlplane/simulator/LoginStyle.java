package controlplane.simulator;

/** How a simulated router answers {@code /login}. */
public enum LoginStyle {
  /** RouterOS 6.43 and later: {@code /login =name= =password=} answered with {@code !done}. */
  PLAIN,
  /** Before 6.43: every {@code /login} without {@code =response=} is answered with an MD5 challenge. */
  LEGACY;

  /** Parses the fleet-file spelling {@code plain} or {@code legacy}. */
  public static LoginStyle parse(String text) {
    return switch (text.trim().toLowerCase(java.util.Locale.ROOT)) {
      case "plain" -> PLAIN;
      case "legacy" -> LEGACY;
      default -> throw new IllegalArgumentException("login must be plain or legacy, not " + text);
    };
  }
}
