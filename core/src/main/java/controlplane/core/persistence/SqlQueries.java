package controlplane.core.persistence;

/** Every SQL statement of core, in one place. Parameters are positional ($1, $2...). */
final class SqlQueries {

  static final String SITE_COLUMNS =
      "id, org_id, username, ip_address, api_port, server_ip, tls, status, created_at, updated_at";

  static final String SELECT_SITE = "SELECT " + SITE_COLUMNS + " FROM sites WHERE id = $1";

  /** The site enrolled with a router (at most one: V6). */
  static final String SELECT_SITE_OF_ROUTER =
      "SELECT id FROM sites WHERE server_ip = $1 AND ip_address = $2 AND api_port = $3 AND username = $4";

  /** Locks the site row: rotations and re-pushes of one site start one at a time. */
  static final String LOCK_SITE = "SELECT " + SITE_COLUMNS
      + ", (push_lease_until IS NOT NULL AND push_lease_until > now()) AS push_busy FROM sites WHERE id = $1 FOR UPDATE";

  /** Inserts or updates a site, but never one of another organisation (then no row is returned). */
  static final String UPSERT_SITE = """
      INSERT INTO sites (id, org_id, username, ip_address, api_port, server_ip, tls, status)
      VALUES ($1, $2, $3, $4, $5, $6, $7, 'in_sync')
      ON CONFLICT (id) DO UPDATE SET username = EXCLUDED.username, ip_address = EXCLUDED.ip_address,
        api_port = EXCLUDED.api_port, server_ip = EXCLUDED.server_ip, tls = EXCLUDED.tls, status = 'in_sync',
        recheck_at = NULL, recheck_attempts = 0, updated_at = now()
      WHERE sites.org_id = EXCLUDED.org_id
      RETURNING\s""" + SITE_COLUMNS;

  static final String DELETE_SITE = "DELETE FROM sites WHERE id = $1 AND org_id = $2";

  /** A change of status starts the out_of_sync re-checks afresh. */
  static final String SET_SITE_STATUS = "UPDATE sites SET status = $2, updated_at = now(), recheck_at = NULL,"
      + " recheck_attempts = 0 WHERE id = $1 AND status <> $2";

  /**
   * Claims up to $2 out_of_sync sites due for another look and pushes their next look out: min($1 * 2^attempts, $3)
   * seconds. SKIP LOCKED and the new time make sure that two processes never look at the same site at once.
   */
  static final String CLAIM_OUT_OF_SYNC = """
      UPDATE sites SET recheck_attempts = recheck_attempts + 1,
        recheck_at = now() + make_interval(secs => LEAST($1 * power(2, LEAST(recheck_attempts, 20)), $3))
      WHERE id IN (SELECT id FROM sites WHERE status = 'out_of_sync' AND (recheck_at IS NULL OR recheck_at <= now())
                   ORDER BY recheck_at NULLS FIRST LIMIT $2 FOR UPDATE SKIP LOCKED)
      RETURNING\s""" + SITE_COLUMNS;

  static final String TAKE_PUSH_LEASE =
      "UPDATE sites SET push_lease_until = now() + make_interval(secs => $2) WHERE id = $1";

  static final String RELEASE_PUSH_LEASE = "UPDATE sites SET push_lease_until = NULL WHERE id = $1";

  static final String COUNT_OUT_OF_SYNC = "SELECT count(*) FROM sites WHERE status = 'out_of_sync'";

  static final String VERSION_COLUMNS = "id, site_id, state, sealed_password, key_id, nonce, created_at, updated_at,"
      + " invalidated_at, lease_expires_at, attempts, last_error";

  static final String SELECT_VERSION = "SELECT " + VERSION_COLUMNS + " FROM credential_versions WHERE id = $1";

  /** The CURRENT, PENDING and PREVIOUS versions of a site. */
  static final String SELECT_LIVE_VERSIONS = "SELECT " + VERSION_COLUMNS
      + " FROM credential_versions WHERE site_id = $1 AND state IN ('CURRENT', 'PENDING', 'PREVIOUS')";

  static final String EXPIRE_LEASE = "UPDATE credential_versions SET lease_expires_at = now(), last_error = $2,"
      + " updated_at = now() WHERE id = $1 AND state = 'PENDING'";

  /** Puts a pending version back for later with a new lease (reconciler back-off). */
  static final String BACK_OFF = "UPDATE credential_versions SET attempts = attempts + $4, last_error = $2,"
      + " lease_expires_at = now() + make_interval(secs => $3), updated_at = now() WHERE id = $1 AND state = 'PENDING'";

  /**
   * Claims up to $2 pending versions whose lease has expired by renewing their lease for $1 seconds. SKIP LOCKED and
   * the new lease make sure that two processes never settle the same version.
   */
  static final String CLAIM_EXPIRED = """
      UPDATE credential_versions SET lease_expires_at = now() + make_interval(secs => $1), updated_at = now()
      WHERE id IN (SELECT id FROM credential_versions WHERE state = 'PENDING' AND lease_expires_at <= now()
                   ORDER BY lease_expires_at LIMIT $2 FOR UPDATE SKIP LOCKED)
      RETURNING\s""" + VERSION_COLUMNS;

  /**
   * The passwords an out_of_sync site's router may hold: current, previous, the failed versions whose outcome was
   * never known ($3 is their last_error), then the newest other failed ones.
   */
  static final String SELECT_RESYNC_CANDIDATES = "SELECT " + VERSION_COLUMNS + " FROM credential_versions"
      + " WHERE site_id = $1 AND state IN ('CURRENT', 'PREVIOUS', 'FAILED') ORDER BY CASE WHEN state = 'CURRENT'"
      + " THEN 0 WHEN state = 'PREVIOUS' THEN 1 WHEN last_error = $3 THEN 2 ELSE 3 END, created_at DESC LIMIT $2";

  static final String COUNT_PENDING = "SELECT count(*) FROM credential_versions WHERE state = 'PENDING'";

  static final String SELECT_VERSIONS_NOT_UNDER_KEY = "SELECT " + VERSION_COLUMNS
      + " FROM credential_versions WHERE key_id <> $1 ORDER BY id LIMIT $2";

  /** Re-seals one value, only if nobody re-sealed it since it was read. */
  static final String RESEAL_VERSION = "UPDATE credential_versions SET sealed_password = $2, key_id = $3, nonce = $4"
      + " WHERE id = $1 AND key_id = $5 AND nonce = $6";

  /**
   * The slot of a rotation (R__credential_states.sql, {@code cp_take_slot}): outcome 'taken' or 'busy', the locked site, and the
   * sealed current and previous passwords.
   */
  static final String TAKE_SLOT = "SELECT outcome, " + SITE_COLUMNS + ", current_id, current_sealed, current_key_id,"
      + " current_nonce, previous_id, previous_sealed, previous_key_id, previous_nonce"
      + " FROM cp_take_slot($1, $2, $3, $4, $5, $6, $7, $8, $9)";

  /** The promotion of a pending version (R__credential_states.sql, {@code cp_promote}): the promoted version, or no row. */
  static final String PROMOTE = "SELECT " + VERSION_COLUMNS + " FROM cp_promote($1, $2, $3, $4, $5, $6)";

  static final String INSERT_AUDIT = "SELECT cp_audit($1, $2, $3, $4, $5, $6, $7, $8)";

  // The state transitions of a credential version: functions of R__credential_states.sql, their one home.

  static final String INSTALL_CURRENT = "SELECT cp_install_current($1, $2, $3, $4, $5)";

  static final String FAIL_PENDING = "SELECT cp_fail_pending($1, $2)";

  static final String SWAP_CURRENT_PREVIOUS = "SELECT cp_swap_current_previous($1, $2)";

  static final String ADOPT_FAILED = "SELECT cp_adopt_failed($1, $2)";

  /** A record of less than 24 hours for this organisation and key. */
  static final String SELECT_IDEMPOTENCY = "SELECT site_id, action, credential_version_id FROM idempotency_records"
      + " WHERE org_id = $1 AND key = $2 AND created_at > now() - interval '24 hours'";

  static final String PING = "SELECT 1";

  private SqlQueries() {
  }
}
