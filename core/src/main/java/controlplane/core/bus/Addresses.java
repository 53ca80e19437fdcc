package controlplane.core.bus;

/**
 * Event-bus addresses. Every message on them is a {@link io.vertx.core.json.JsonObject} (so the bus can be
 * clustered), written and read only through the records of this package ({@code toJson}/{@code fromJson}); failures
 * are {@link io.vertx.core.eventbus.ReplyException}s whose failure code is one of {@link Failure#code()}. The message
 * shapes are documented in {@code docs/EVENT-BUS.md}.
 */
public final class Addresses {

  /** Rotate a site's API password: {@link RotateRequest}, reply {@link CredentialReply}. */
  public static final String ROTATE = "cp.credentials.rotate";
  /** Read a site's current credential: {@link SiteRequest}, reply {@link CredentialReply}. */
  public static final String CREDENTIALS_GET = "cp.credentials.get";
  /** Push the current credential to the router again: {@link SiteRequest}, reply {@link CredentialReply}. */
  public static final String RESEND = "cp.credentials.resend";

  /** Every stored version of a site's credential, never a password: {@link SiteRequest}, reply {@link HistoryReply}. */
  public static final String CREDENTIALS_HISTORY = "cp.credentials.history";
  /** A page of a site's audit trail, newest first: {@link AuditRequest}, reply {@link AuditPageReply}. */
  public static final String AUDIT_LIST = "cp.audit.list";

  /** Enrol or update a site: {@link EnrolRequest}, reply {@link SiteReply}. */
  public static final String SITE_PUT = "cp.site.put";
  /** Read a site: {@link SiteRequest}, reply {@link SiteReply}. */
  public static final String SITE_GET = "cp.site.get";
  /**
   * Delete a site, recoverably: {@link SiteRequest}, reply {@link DeletedReply}. The site and its sealed versions are
   * kept for {@code retention.deletedSiteDays}, invisible to every other address but the three below.
   */
  public static final String SITE_DELETE = "cp.site.delete";

  /** A page of the organisation's deleted sites: {@link DeletedSitesRequest}, reply {@link DeletedSitesReply}. */
  public static final String DELETED_SITES_LIST = "cp.site.deleted.list";
  /** Make a deleted site live again, with its credential: {@link SiteRequest}, reply {@link SiteReply}. */
  public static final String SITE_RECOVER = "cp.site.recover";
  /** Remove a deleted site and its versions for good: {@link SiteRequest}, reply {@link DeletedReply}. */
  public static final String SITE_PURGE = "cp.site.purge";

  /** Start a bulk rotation job: {@link JobCreateRequest}, reply {@link JobReply}. */
  public static final String JOB_CREATE = "cp.jobs.create";
  /** Read a job of the caller's organisation: {@link JobRequest}, reply {@link JobReply}. */
  public static final String JOB_GET = "cp.jobs.get";
  /** A page of the organisation's jobs, newest first: {@link JobsRequest}, reply {@link JobsReply}. */
  public static final String JOBS_LIST = "cp.jobs.list";
  /** Stop claiming a job's sites (running ones finish): {@link JobRequest}, reply {@link JobReply}. */
  public static final String JOB_CANCEL = "cp.jobs.cancel";
  /**
   * The rotation policy of the caller's organisation ({@code site_id} absent) or of one of its sites:
   * {@link PolicyRequest}, reply {@link PolicyReply}; delete replies {@link DeletedReply}.
   */
  public static final String POLICY_GET = "cp.policy.get";
  public static final String POLICY_PUT = "cp.policy.put";
  public static final String POLICY_DELETE = "cp.policy.delete";

  /** Readiness of persistence: request {@link HealthRequest} ({}), reply {@link HealthReply} or a failure. */
  public static final String PERSISTENCE_HEALTH = "cp.persistence.health";

  /** Prefix of the device-push address of one edge server ({@link DeviceRequest}); see {@link #devicePush(String)}. */
  public static final String DEVICE_PUSH_PREFIX = "cp.device.push.";
  /**
   * Consumed by a device-push verticle configured to serve every edge (the all-in-one process). Senders try the
   * edge's own address first and fall back to this one only when nobody consumes the edge address.
   */
  public static final String DEVICE_PUSH_ANY = DEVICE_PUSH_PREFIX + "*";

  /** The device-push address of the edge server {@code serverIp}: routers are dialled only from their edge. */
  public static String devicePush(String serverIp) {
    return DEVICE_PUSH_PREFIX + serverIp;
  }

  private Addresses() {
  }
}
