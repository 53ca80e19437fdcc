package controlplane.core.housekeeping;

/** What the housekeeper removes, in the order of a pass; {@link #tag()} is the {@code kind} tag of its counter. */
public enum PurgeKind {
  /** Sites deleted longer ago than {@code retention.deletedSiteDays}, each with its versions (counted here once). */
  DELETED_SITES("deleted_sites"),
  /** SUPERSEDED and FAILED versions past {@code retention.versionDays}, beyond each site's newest few. */
  VERSIONS("versions"),
  /** Idempotency records older than 24 hours. */
  IDEMPOTENCY("idempotency"),
  /** Audit events of whole months past {@code retention.auditDays} (and past the database's floor, V13). */
  AUDIT("audit"),
  /** The site lists of completed and cancelled bulk jobs that finished longer ago than {@code retention.jobDays}. */
  JOB_SITES("job_sites"),
  /** Those jobs themselves (with their Idempotency-Keys), once their site lists are gone. */
  JOBS("jobs");

  private final String tag;

  PurgeKind(String tag) {
    this.tag = tag;
  }

  public String tag() {
    return tag;
  }
}
