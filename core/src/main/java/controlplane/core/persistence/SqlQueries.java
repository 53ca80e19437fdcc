package controlplane.core.persistence;

/** Every SQL statement of core, in one place. Parameters are positional ($1, $2...). */
final class SqlQueries {

  static final String SITE_COLUMNS =
      "id, org_id, username, ip_address, api_port, server_ip, tls, status, created_at, updated_at, tls_fingerprint,"
          + " tls_server_name";

  // A deleted site (deleted_at set, V5) is invisible to every statement below that reads or changes a live site;
  // only the deleted-site statements further down see it.

  static final String SELECT_SITE = "SELECT " + SITE_COLUMNS + " FROM sites WHERE id = $1 AND deleted_at IS NULL";

  /** The site enrolled with a router (at most one: V6). */
  static final String SELECT_SITE_OF_ROUTER =
      "SELECT id FROM sites WHERE server_ip = $1 AND ip_address = $2 AND api_port = $3 AND username = $4"
          + " AND deleted_at IS NULL";

  /** Locks the site row: rotations and re-pushes of one site start one at a time. */
  static final String LOCK_SITE = "SELECT " + SITE_COLUMNS
      + ", (push_lease_until IS NOT NULL AND push_lease_until > now()) AS push_busy FROM sites"
      + " WHERE id = $1 AND deleted_at IS NULL FOR UPDATE";

  /** Locks the site row, deleted or not: the lock order of every transaction that changes a site's versions. */
  static final String LOCK_SITE_ROW = "SELECT 1 FROM sites WHERE id = $1 FOR UPDATE";

  /**
   * Inserts or updates a site with its pin $8 (null: none), status $9 ({@code in_sync}, or {@code unverified} when
   * nobody proved the password) and TLS server name $10 (null: none), but never one of another organisation nor a
   * deleted one (then no row is returned).
   */
  static final String UPSERT_SITE = """
      INSERT INTO sites (id, org_id, username, ip_address, api_port, server_ip, tls, tls_fingerprint, status,
        tls_server_name)
      VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)
      ON CONFLICT (id) DO UPDATE SET username = EXCLUDED.username, ip_address = EXCLUDED.ip_address,
        api_port = EXCLUDED.api_port, server_ip = EXCLUDED.server_ip, tls = EXCLUDED.tls,
        tls_fingerprint = EXCLUDED.tls_fingerprint, status = EXCLUDED.status, tls_server_name = EXCLUDED.tls_server_name,
        recheck_at = NULL, recheck_attempts = 0, updated_at = now()
      WHERE sites.org_id = EXCLUDED.org_id AND sites.deleted_at IS NULL
      RETURNING\s""" + SITE_COLUMNS;

  /** Soft deletion of a live site locked by the caller: its row and versions stay until it is purged. */
  static final String SOFT_DELETE_SITE =
      "UPDATE sites SET deleted_at = now() WHERE id = $1 AND deleted_at IS NULL RETURNING deleted_at";

  static final String DELETED_SITE_COLUMNS = SITE_COLUMNS + ", deleted_at";

  /** A deleted site, whatever its organisation. */
  static final String SELECT_DELETED_SITE = "SELECT " + DELETED_SITE_COLUMNS
      + " FROM sites WHERE id = $1 AND deleted_at IS NOT NULL";

  static final String LOCK_DELETED_SITE = SELECT_DELETED_SITE + " FOR UPDATE";

  /** Up to $3 deleted sites of organisation $1 with an id after $2 (null: from the first), by id. */
  static final String LIST_DELETED_SITES = "SELECT " + DELETED_SITE_COLUMNS + " FROM sites"
      + " WHERE org_id = $1 AND deleted_at IS NOT NULL AND ($2::uuid IS NULL OR id > $2::uuid) ORDER BY id LIMIT $3";

  static final String RECOVER_SITE = "UPDATE sites SET deleted_at = NULL, updated_at = now()"
      + " WHERE id = $1 AND deleted_at IS NOT NULL RETURNING " + SITE_COLUMNS;

  /** Purges a deleted site: its versions and idempotency records go with it (cascade), its audit events stay. */
  static final String PURGE_SITE = "DELETE FROM sites WHERE id = $1 AND deleted_at IS NOT NULL";

  /** A change of status starts the out_of_sync re-checks afresh. */
  static final String SET_SITE_STATUS = "UPDATE sites SET status = $2, updated_at = now(), recheck_at = NULL,"
      + " recheck_attempts = 0 WHERE id = $1 AND status <> $2";

  /**
   * Claims up to $2 out_of_sync or unverified sites due for another look and pushes their next look out: min($1 * 2^attempts, $3)
   * seconds. SKIP LOCKED and the new time make sure that two processes never look at the same site at once.
   */
  static final String CLAIM_OUT_OF_SYNC = """
      UPDATE sites SET recheck_attempts = recheck_attempts + 1,
        recheck_at = now() + make_interval(secs => LEAST($1 * power(2, LEAST(recheck_attempts, 20)), $3))
      WHERE id IN (SELECT id FROM sites WHERE status IN ('out_of_sync', 'unverified') AND deleted_at IS NULL
                     AND (recheck_at IS NULL OR recheck_at <= now())
                   ORDER BY recheck_at NULLS FIRST LIMIT $2 FOR UPDATE SKIP LOCKED)
      RETURNING\s""" + SITE_COLUMNS;

  /**
   * Pins $2 on API-SSL site $1 only while it has no pin: the certificate its first successful login saw (a site
   * enrolled without verify and without a stated pin), never replacing a pin an enrolment set meanwhile.
   */
  static final String PIN_UNPINNED = "UPDATE sites SET tls_fingerprint = $2, updated_at = now()"
      + " WHERE id = $1 AND tls AND tls_fingerprint IS NULL";

  static final String TAKE_PUSH_LEASE =
      "UPDATE sites SET push_lease_until = now() + make_interval(secs => $2) WHERE id = $1";

  static final String RELEASE_PUSH_LEASE = "UPDATE sites SET push_lease_until = NULL WHERE id = $1";

  static final String COUNT_OUT_OF_SYNC =
      "SELECT count(*) FROM sites WHERE status = 'out_of_sync' AND deleted_at IS NULL";

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
   * the new lease make sure that two processes never settle the same version. The owner is cleared (V12): from now on
   * the version is the reconciler's, which never pushes, so only its lease says when to look again.
   */
  static final String CLAIM_EXPIRED = """
      UPDATE credential_versions SET lease_expires_at = now() + make_interval(secs => $1), updated_at = now(),
        owner_process = NULL
      WHERE id IN (SELECT v.id FROM credential_versions v WHERE v.state = 'PENDING' AND v.lease_expires_at <= now()
                     AND NOT EXISTS (SELECT 1 FROM sites s WHERE s.id = v.site_id AND s.deleted_at IS NOT NULL)
                   ORDER BY v.lease_expires_at LIMIT $2 FOR UPDATE OF v SKIP LOCKED)
      RETURNING\s""" + VERSION_COLUMNS;

  /**
   * Takeover (V12): claims up to $3 pending versions whose lease still runs but whose owner process is dead, its
   * heartbeat older than $1 seconds (or its row gone). Clears the owner, so a version is taken over once, and holds it
   * for at least $2 seconds so that no other process probes it meanwhile; answers, as {@code held_until}, the lease it
   * had, which {@link #RESTORE_LEASE} gives back when the takeover does not settle it. SKIP LOCKED, and the re-check
   * of the owner under the row lock, make sure that two processes never take over the same version.
   */
  static final String CLAIM_ORPHANED = """
      WITH c AS (
        SELECT v.id, v.lease_expires_at AS held_until FROM credential_versions v
        WHERE v.state = 'PENDING' AND v.owner_process IS NOT NULL AND v.lease_expires_at > now()
          AND NOT EXISTS (SELECT 1 FROM cp_processes p WHERE p.id = v.owner_process
                            AND p.heartbeat_at > now() - make_interval(secs => $1))
          AND NOT EXISTS (SELECT 1 FROM sites s WHERE s.id = v.site_id AND s.deleted_at IS NOT NULL)
        ORDER BY v.created_at LIMIT $3 FOR UPDATE OF v SKIP LOCKED)
      UPDATE credential_versions v SET owner_process = NULL, updated_at = now(),
        lease_expires_at = GREATEST(v.lease_expires_at, now() + make_interval(secs => $2))
      FROM c WHERE v.id = c.id
      RETURNING c.held_until,\s""" + prefixed("v.", VERSION_COLUMNS);

  /** Gives a taken-over version its former lease back ($2), unless the lease is shorter now. */
  static final String RESTORE_LEASE = "UPDATE credential_versions SET lease_expires_at = LEAST(lease_expires_at, $2)"
      + " WHERE id = $1 AND state = 'PENDING'";

  /**
   * The passwords an out_of_sync or unverified site's router may hold: current, previous, the failed versions whose
   * outcome was never known ($3 is their last_error), then the newest other failed and superseded ones (a repeated
   * enrolment with a wrong password must not hide the one that works).
   */
  static final String SELECT_RESYNC_CANDIDATES = "SELECT " + VERSION_COLUMNS + " FROM credential_versions"
      + " WHERE site_id = $1 AND state IN ('CURRENT', 'PREVIOUS', 'FAILED', 'SUPERSEDED') ORDER BY CASE"
      + " WHEN state = 'CURRENT' THEN 0 WHEN state = 'PREVIOUS' THEN 1 WHEN last_error = $3 THEN 2 ELSE 3 END,"
      + " created_at DESC LIMIT $2";

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
  static final String TAKE_SLOT = "SELECT outcome, t.id, t.org_id, t.username, t.ip_address, t.api_port, t.server_ip,"
      + " t.tls, t.status, t.created_at, t.updated_at,"
      // cp_take_slot predates the pin, which is read beside it as of this statement's start: against a concurrent
      // re-pin it may be the pin of a moment before, which the router must then present
      + " (SELECT s.tls_fingerprint FROM sites s WHERE s.id = t.id) AS tls_fingerprint,"
      + " (SELECT s.tls_server_name FROM sites s WHERE s.id = t.id) AS tls_server_name,"
      + " current_id, current_sealed, current_key_id, current_nonce, previous_id, previous_sealed, previous_key_id,"
      + " previous_nonce FROM cp_take_slot($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) t";

  /** The promotion of a pending version (R__credential_states.sql, {@code cp_promote}): the promoted version, or no row. */
  static final String PROMOTE = "SELECT " + VERSION_COLUMNS + " FROM cp_promote($1, $2, $3, $4, $5, $6)";

  // Many TAKE_SLOTs (PROMOTEs) in one statement and one transaction: arrays, element i one call (RotationBatches)
  static final String TAKE_SLOTS = "SELECT * FROM cp_take_slots($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)";

  static final String PROMOTE_MANY = "SELECT idx, " + VERSION_COLUMNS + " FROM cp_promote_many($1, $2, $3, $4, $5, $6)";

  // PROMOTE_MANY that also ends the promoted rotations' bulk-job sites and claims the next ones (V17)
  static final String PROMOTE_JOB_SITES = "SELECT * FROM cp_promote_job_sites($1, $2, $3, $4, $5, $6, $7, $8, $9, $10,"
      + " $11)";

  static final String INSERT_AUDIT = "SELECT cp_audit($1, $2, $3, $4, $5, $6, $7, $8)";

  // The state transitions of a credential version: functions of R__credential_states.sql, their one home.

  static final String INSTALL_CURRENT = "SELECT cp_install_current($1, $2, $3, $4, $5)";

  static final String FAIL_PENDING = "SELECT cp_fail_pending($1, $2)";

  static final String SWAP_CURRENT_PREVIOUS = "SELECT cp_swap_current_previous($1, $2)";

  static final String ADOPT_VERSION = "SELECT cp_adopt_version($1, $2)";

  /** A record of less than 24 hours for this organisation and key. */
  static final String SELECT_IDEMPOTENCY = "SELECT site_id, action, credential_version_id FROM idempotency_records"
      + " WHERE org_id = $1 AND key = $2 AND created_at > now() - interval '24 hours'";

  static final String PING = "SELECT 1";

  // Key custody (V4__key_checks.sql, KeyCustody).

  static final String SELECT_KEY_CHECKS = "SELECT key_id, nonce, check_value FROM key_checks";

  /** Records a key's check value unless one is recorded already (two processes starting together: the first wins). */
  static final String INSERT_KEY_CHECK = "INSERT INTO key_checks (key_id, nonce, check_value) VALUES ($1, $2, $3)"
      + " ON CONFLICT (key_id) DO NOTHING";

  /**
   * The distinct key ids of stored values, credential versions' and reconcile accounts' (V11): one pass over each
   * table, once per start (V9 dropped the index a loose scan would use, which every rotation paid for).
   */
  static final String SELECT_SEALING_KEY_IDS = "SELECT key_id FROM credential_versions"
      + " UNION SELECT key_id FROM reconcile_accounts";

  /**
   * Stored values sealed with key $1, at most one per table, to try a key on before its check value is recorded; each
   * with the site and id its sealing context names.
   */
  static final String SELECT_ONE_SEALED_WITH = """
      (SELECT site_id, id, sealed_password, key_id, nonce FROM credential_versions WHERE key_id = $1 LIMIT 1)
      UNION ALL
      (SELECT site_id, id, sealed_password, key_id, nonce FROM reconcile_accounts WHERE key_id = $1 LIMIT 1)""";

  // The audit retention the database enforces (V13, AuditRetention).

  /** Names the actor of the audit.retention_changed event the next change writes (this transaction only). */
  static final String SET_RETENTION_ACTOR = "SELECT set_config('cp.actor', $1, true)";

  static final String LOCK_AUDIT_RETENTION = "SELECT days FROM audit_retention FOR UPDATE";

  /** Its trigger writes the audit.retention_changed event. */
  static final String UPDATE_AUDIT_RETENTION = "UPDATE audit_retention SET days = $1";

  // Housekeeping (docs/OPERATIONS.md, "Retention and housekeeping"): each statement removes one batch of at most
  // its last parameter rows and answers how many it removed. None changes a version's state.

  /**
   * Taken by each housekeeping batch: while one process runs a batch, another's try fails and its pass ends. Released
   * at the end of the transaction.
   */
  static final String TRY_HOUSEKEEPING_LOCK = "SELECT pg_try_advisory_xact_lock($1)";

  /**
   * SUPERSEDED and FAILED versions created more than $1 seconds ago, unless among the $2 newest versions of their site
   * (by created_at, any state) or named by an idempotency record (a repeat of that key answers that version).
   */
  static final String PURGE_VERSIONS = """
      DELETE FROM credential_versions WHERE id IN (
        SELECT c.id FROM credential_versions c
        WHERE c.state IN ('SUPERSEDED', 'FAILED') AND c.created_at < now() - make_interval(secs => $1)
          AND (SELECT count(*) FROM (SELECT 1 FROM credential_versions n WHERE n.site_id = c.site_id
                                       AND (n.created_at, n.id) > (c.created_at, c.id) LIMIT $2) newer) >= $2
          AND NOT EXISTS (SELECT 1 FROM idempotency_records i WHERE i.credential_version_id = c.id)
        ORDER BY c.created_at LIMIT $3)""";

  /** Idempotency records past their 24 hours (SELECT_IDEMPOTENCY no longer answers them). */
  static final String PURGE_IDEMPOTENCY = """
      DELETE FROM idempotency_records WHERE (org_id, key) IN (
        SELECT org_id, key FROM idempotency_records WHERE created_at <= now() - interval '24 hours'
        ORDER BY created_at LIMIT $1)""";

  /**
   * Names the audit cutoff for this transaction: the start (UTC) of the month that holds now() - $1 seconds. The
   * trigger of audit_events (V5) lets a DELETE through only for rows older than it.
   */
  static final String SET_AUDIT_CUTOFF = "SELECT set_config('cp.audit_purge_before', (date_trunc('month',"
      + " (now() - make_interval(secs => $1)) AT TIME ZONE 'UTC') AT TIME ZONE 'UTC')::text, true)";

  /**
   * One batch: of the $1 oldest audit events by id (ids grow with insertion time, as {@code at} does), those older
   * than the cutoff and than the database's retention floor (V13; lower when another process configured a longer
   * retention, and then the trigger would refuse the rows between the two). Bounded work with no index on
   * {@code at}: a pass that finds nothing to remove reads $1 rows.
   */
  static final String PURGE_AUDIT = """
      DELETE FROM audit_events WHERE id IN (
        SELECT id FROM (SELECT id, at FROM audit_events ORDER BY id LIMIT $1) oldest
        WHERE at < current_setting('cp.audit_purge_before')::timestamptz AND at < cp_audit_floor())""";

  /**
   * The site lists of completed and cancelled bulk jobs that finished more than $1 seconds ago, $2 rows at most. A
   * site still running under a live lease (a cancelled job's) stays until its process has finished it.
   */
  static final String PURGE_JOB_SITES = """
      DELETE FROM rotation_job_sites WHERE (job_id, site_id) IN (
        SELECT s.job_id, s.site_id FROM rotation_jobs j JOIN rotation_job_sites s ON s.job_id = j.id
        WHERE j.state IN ('completed', 'cancelled') AND j.finished_at < now() - make_interval(secs => $1)
          AND (s.state <> 'running' OR s.lease_until < now())
        LIMIT $2)""";

  /**
   * Completed and cancelled bulk jobs that finished more than $1 seconds ago and whose site list is gone
   * (PURGE_JOB_SITES runs first), with their Idempotency-Keys; $2 at most. A job locked by a process finishing one
   * of its sites is skipped.
   */
  static final String PURGE_JOBS = """
      DELETE FROM rotation_jobs WHERE id IN (
        SELECT j.id FROM rotation_jobs j
        WHERE j.state IN ('completed', 'cancelled') AND j.finished_at < now() - make_interval(secs => $1)
          AND NOT EXISTS (SELECT 1 FROM rotation_job_sites s WHERE s.job_id = j.id)
        ORDER BY j.finished_at LIMIT $2 FOR UPDATE SKIP LOCKED)""";

  /**
   * Sites deleted more than $1 seconds ago, with their versions and idempotency records (cascade); a site.purge audit
   * event each, by the housekeeper. A site recovered meanwhile is skipped (the DELETE re-checks deleted_at).
   */
  static final String PURGE_DELETED_SITES = """
      WITH purged AS (
        DELETE FROM sites WHERE id IN (
          SELECT id FROM sites WHERE deleted_at < now() - make_interval(secs => $1)
          ORDER BY deleted_at LIMIT $2 FOR UPDATE SKIP LOCKED)
        AND deleted_at < now() - make_interval(secs => $1)
        RETURNING id, org_id, deleted_at)
      SELECT cp_audit('housekeeper', 'site.purge', org_id, id, NULL, 'ok', NULL,
                      'retention: deleted at ' || to_char(deleted_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"'))
      FROM purged""";

  /** {@code columns}, a comma-separated list, each with {@code prefix}. */
  static String prefixed(String prefix, String columns) {
    return prefix + String.join(", " + prefix, columns.split(",\\s*"));
  }

  private SqlQueries() {
  }
}
