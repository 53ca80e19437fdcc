package controlplane.core.bus;

/** Field names of event-bus messages. They match the public JSON names where the public API has one. */
public final class Fields {

  // Request envelope (http -> core)
  public static final String SITE_ID = "site_id";
  public static final String ORG_ID = "org_id";
  public static final String ACTOR = "actor";
  public static final String IDEMPOTENCY_KEY = "idempotency_key";
  public static final String REQUEST_ID = "request_id";

  // Credential object (the public contract) and site object
  public static final String ID = "id";
  public static final String USERNAME = "username";
  public static final String PASSWORD = "password";
  public static final String IP_ADDRESS = "ip_address";
  public static final String API_PORT = "api_port";
  public static final String SERVER_IP = "server_ip";
  public static final String TLS = "tls";
  /**
   * API-SSL: the SHA-256 of the router's certificate, 64 lower-case hex digits; the pin every connection to the
   * router must present (enrolment and site object), or the certificate a probe saw (probe reply).
   */
  public static final String TLS_FINGERPRINT = "tls_fingerprint";
  public static final String TLS_SERVER_NAME = "tls_server_name";
  public static final String VERIFY = "verify";
  public static final String STATUS = "status";
  public static final String CREATED_AT = "created_at";
  public static final String UPDATED_AT = "updated_at";
  public static final String DELETED = "deleted";

  // Deleted sites
  public static final String DELETED_AT = "deleted_at";
  public static final String PURGE_AT = "purge_at";
  /** A page of deleted sites starts after this site id (keyset on id). */
  public static final String AFTER = "after";
  public static final String LIMIT = "limit";
  public static final String DELETED_SITES = "deleted_sites";
  /** The {@link #AFTER} of the next page; absent on the last one. */
  public static final String NEXT_AFTER = "next_after";

  // Credential history and audit trail
  public static final String VERSIONS = "versions";
  /** A version's state: PENDING, CURRENT, PREVIOUS, FAILED or SUPERSEDED. */
  public static final String STATE = "state";
  /** Why a version is in its state, when something says so (a failure, how the reconciler settled it). */
  public static final String REASON = "reason";
  public static final String EVENTS = "events";
  public static final String AT = "at";
  public static final String ACTION = "action";
  public static final String VERSION_ID = "version_id";
  public static final String DETAIL = "detail";
  /** An opaque position in a list: the page starts after it ({@link AuditCursor}). */
  public static final String CURSOR = "cursor";
  /** The {@link #CURSOR} of the next page; absent on the last one. */
  public static final String NEXT_CURSOR = "next_cursor";
  // Bulk rotation jobs
  public static final String JOB_ID = "job_id";
  public static final String SELECTOR = "selector";
  public static final String SITE_IDS = "site_ids";
  public static final String MAX_IN_FLIGHT = "max_in_flight";
  public static final String TOTAL = "total";
  public static final String SUCCEEDED = "succeeded";
  public static final String FAILED = "failed";
  public static final String UNKNOWN = "unknown";
  public static final String REMAINING = "remaining";
  public static final String FINISHED_AT = "finished_at";
  public static final String JOBS = "jobs";

  // Device-push messages (core -> device)
  public static final String OP = "op";
  /** The router to reach: {host, port, tls, username, site_id}. */
  public static final String TARGET = "target";
  public static final String HOST = "host";
  public static final String PORT = "port";
  /** apply: the password to set on the API user. */
  public static final String NEW_PASSWORD = "new_password";
  /** apply and probe: passwords to log in with, tried in order (apply: current, pending, previous). */
  public static final String LOGIN_PASSWORDS = "login_passwords";
  /**
   * apply: milliseconds the device may still spend, counted from receipt. It never sends the password change once
   * they are spent: the sender has given up by then and handed the version to the reconciler.
   */
  public static final String BUDGET_MS = "budget_ms";
  /** Reply: apply outcome, one of {@link DeviceOutcome}. */
  public static final String OUTCOME = "outcome";
  /** Reply: index in login_passwords of the password that logged in, or -1. */
  public static final String LOGIN_INDEX = "login_index";
  /** Reply (probe): true when conclusive, i.e. a password logged in or the router refused every one. */
  public static final String REACHABLE = "reachable";
  /** Reply: the {@link Failure#id()} that classifies a failed or unknown outcome. */
  public static final String FAILURE = "failure";
  /** Reply: a human-readable detail. Never carries a password. */
  public static final String MESSAGE = "message";

  // Enrolment (issue 12): the reconcile account and rotate-on-enrol
  /** A second router user allowed to set the API user's password; its password is sealed and never returned. */
  public static final String RECONCILE_USERNAME = "reconcile_username";
  public static final String RECONCILE_PASSWORD = "reconcile_password";
  /** Enrolment: rotate the bootstrap password at once (default true). */
  public static final String ROTATE_ON_ENROL = "rotate_on_enrol";
  /** Site object: when the current password became current; when the scheduler rotates next (null: no policy). */
  public static final String LAST_ROTATED_AT = "last_rotated_at";
  public static final String NEXT_ROTATION_AT = "next_rotation_at";

  // Rotation policies
  public static final String ROTATION_PERIOD_SECONDS = "rotation_period_seconds";
  public static final String ROTATION_SCHEDULE = "rotation_schedule";
  public static final String ROTATION_WINDOW_SECONDS = "rotation_window_seconds";
  public static final String DRIFT_CHECK_PERIOD_SECONDS = "drift_check_period_seconds";

  // Device repair (core -> device): the reconcile account's login
  /** repair: the reconcile account's user name and password. */
  public static final String LOGIN_USERNAME = "login_username";
  public static final String LOGIN_PASSWORD = "login_password";

  // Health
  public static final String DATABASE = "database";
  public static final String MIGRATIONS = "migrations";

  private Fields() {
  }
}
