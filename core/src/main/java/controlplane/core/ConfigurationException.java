package controlplane.core;

/**
 * A start-up refused for a reason its message states completely (a key missing, malformed, or not the one that sealed
 * the database): reported as that one line, without a stack trace. The message never carries a secret.
 */
public final class ConfigurationException extends RuntimeException {

  public ConfigurationException(String message) {
    super(message, null, false, false);
  }
}
