package controlplane.http.impl;

/** Fails a routing context with a ready {@link HttpError}; carries no stack trace (it is an answer, not a bug). */
public final class ApiException extends RuntimeException {

  private final transient HttpError error;

  public ApiException(HttpError error) {
    super(error.code() + ": " + error.message(), null, false, false);
    this.error = error;
  }

  public HttpError error() {
    return error;
  }
}
