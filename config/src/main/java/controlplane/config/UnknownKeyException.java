package controlplane.config;

/** A configuration names a key, or a {@code CP_} variable, that no part of the service reads. */
final class UnknownKeyException extends IllegalArgumentException {

  UnknownKeyException(String message) {
    super(message);
  }
}
