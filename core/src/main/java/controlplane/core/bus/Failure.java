package controlplane.core.bus;

import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.eventbus.ReplyFailure;

/**
 * Failure codes carried by event-bus replies ({@code message.fail(failure.code(), text)}). Callers branch on
 * {@link ReplyException#failureCode()} through {@link #of(Throwable)}, never on the message text. The text is
 * safe to show to an API client: it never carries a password.
 */
public enum Failure {
  INVALID_SITE_ID(4001, "invalid_site_id"),
  INVALID_REQUEST(4000, "invalid_request"),
  UNAUTHORIZED(4010, "unauthorized"),
  FORBIDDEN(4030, "forbidden"),
  SITE_NOT_FOUND(4040, "site_not_found"),
  /** No such bulk rotation job in the caller's organisation. */
  JOB_NOT_FOUND(4041, "job_not_found"),
  /** No rotation policy is set where one was asked for (the organisation's default or the site's override). */
  POLICY_NOT_FOUND(4042, "policy_not_found"),
  ROTATION_IN_PROGRESS(4090, "rotation_in_progress"),
  /** The site id is a deleted site of the caller's organisation: recover or purge it first. */
  SITE_DELETED(4091, "site_deleted"),
  /** A live site has this id: there is no deleted site of that id to recover or purge. */
  SITE_EXISTS(4092, "site_exists"),
  ROUTER_ALREADY_ENROLLED(4093, "router_already_enrolled"),
  IDEMPOTENCY_KEY_REUSED(4220, "idempotency_key_reused"),
  TARGET_NOT_ALLOWED(4221, "target_not_allowed"),
  /** Its message says when to come back: see {@link RateLimit}. */
  RATE_LIMITED(4290, "rate_limited"),
  DEVICE_UNREACHABLE(5021, "device_unreachable"),
  DEVICE_REJECTED_CREDENTIALS(5022, "device_rejected_credentials"),
  /** API-SSL: the router's certificate is not the pinned one (or not trusted); nothing was sent to it. */
  DEVICE_CERTIFICATE_MISMATCH(5023, "device_certificate_mismatch"),
  DEVICE_TIMEOUT(5041, "device_timeout"),
  DEVICE_OUTCOME_UNKNOWN(5042, "device_outcome_unknown"),
  DATABASE_UNAVAILABLE(5030, "database_unavailable"),
  /**
   * No process serves the site's edge (no consumer of its device-push address, nor of the catch-all one): nothing
   * was sent to any router. Answered at once, never after a timeout.
   */
  EDGE_UNAVAILABLE(5031, "edge_unavailable"),
  INTERNAL_ERROR(5000, "internal_error");

  private final int code;
  private final String id;

  Failure(int code, String id) {
    this.code = code;
    this.id = id;
  }

  /** The int carried as {@link ReplyException#failureCode()}. */
  public int code() {
    return code;
  }

  /** The public error code, e.g. {@code rotation_in_progress}. */
  public String id() {
    return id;
  }

  /** A {@link ReplyException} carrying this failure, to fail a future with. */
  public ReplyException exception(String message) {
    return new ReplyException(ReplyFailure.RECIPIENT_FAILURE, code, message);
  }

  public static Failure byCode(int code) {
    for (Failure f : values()) {
      if (f.code == code) {
        return f;
      }
    }
    return INTERNAL_ERROR;
  }

  public static Failure byId(String id) {
    for (Failure f : values()) {
      if (f.id.equals(id)) {
        return f;
      }
    }
    return INTERNAL_ERROR;
  }

  /**
   * Classifies a failed event-bus reply: recipient failures by their code; a timeout or a missing consumer as
   * {@link #INTERNAL_ERROR} unless the caller knows better.
   */
  public static Failure of(Throwable t) {
    if (t instanceof ReplyException re && re.failureType() == ReplyFailure.RECIPIENT_FAILURE) {
      return byCode(re.failureCode());
    }
    return INTERNAL_ERROR;
  }
}
