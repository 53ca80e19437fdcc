package controlplane.core.persistence;

/**
 * The SQL of rotation policies, the scheduler, drift checks and reconcile accounts (V11). Parameters are positional.
 * Every claim is an index range scan on a partial index of V11 with FOR UPDATE SKIP LOCKED, and pushes the claimed
 * time forward as a lease: any number of processes share the due sites, and the cost of a look grows with what is
 * due, not with the fleet.
 */
final class PolicyQueries {

  static final String POLICY_COLUMNS = "org_id, site_id, rotation_period_seconds, rotation_schedule,"
      + " rotation_window_seconds, drift_check_period_seconds, created_at, updated_at";

  static final String SELECT_ORG_POLICY = "SELECT " + POLICY_COLUMNS
      + " FROM rotation_policies WHERE org_id = $1 AND site_id IS NULL";

  static final String SELECT_SITE_POLICY = "SELECT " + POLICY_COLUMNS
      + " FROM rotation_policies WHERE site_id = $1 AND org_id = $2";

  static final String UPSERT_ORG_POLICY = """
      INSERT INTO rotation_policies (org_id, site_id, rotation_period_seconds, rotation_schedule,
        rotation_window_seconds, drift_check_period_seconds)
      VALUES ($1, NULL, $2, $3, $4, $5)
      ON CONFLICT (org_id) WHERE site_id IS NULL DO UPDATE SET
        rotation_period_seconds = EXCLUDED.rotation_period_seconds, rotation_schedule = EXCLUDED.rotation_schedule,
        rotation_window_seconds = EXCLUDED.rotation_window_seconds,
        drift_check_period_seconds = EXCLUDED.drift_check_period_seconds, updated_at = now()
      RETURNING\s""" + POLICY_COLUMNS;

  static final String UPSERT_SITE_POLICY = """
      INSERT INTO rotation_policies (org_id, site_id, rotation_period_seconds, rotation_schedule,
        rotation_window_seconds, drift_check_period_seconds)
      VALUES ($1, $6, $2, $3, $4, $5)
      ON CONFLICT (site_id) WHERE site_id IS NOT NULL DO UPDATE SET
        rotation_period_seconds = EXCLUDED.rotation_period_seconds, rotation_schedule = EXCLUDED.rotation_schedule,
        rotation_window_seconds = EXCLUDED.rotation_window_seconds,
        drift_check_period_seconds = EXCLUDED.drift_check_period_seconds, updated_at = now()
      RETURNING\s""" + POLICY_COLUMNS;

  static final String DELETE_ORG_POLICY = "DELETE FROM rotation_policies WHERE org_id = $1 AND site_id IS NULL";

  static final String DELETE_SITE_POLICY = "DELETE FROM rotation_policies WHERE site_id = $1 AND org_id = $2";

  /** The sites whose policy is the organisation's default are planned again at the scheduler's next look. */
  static final String REPLAN_ORG = """
      UPDATE sites s SET replan = TRUE, next_rotation_at = now(), rotation_due_at = NULL
      WHERE s.org_id = $1 AND s.deleted_at IS NULL
        AND NOT EXISTS (SELECT 1 FROM rotation_policies p WHERE p.site_id = s.id)""";

  /** One site is planned again at the scheduler's next look (its policy changed, or it was enrolled). */
  static final String REPLAN_SITE = "UPDATE sites SET replan = TRUE, next_rotation_at = now(), rotation_due_at = NULL,"
      + " rotation_attempts = 0 WHERE id = $1 AND deleted_at IS NULL";

  /** The policy in force for a claimed site c: its override, else its organisation's default. */
  private static final String EFFECTIVE_POLICY = """
      LEFT JOIN LATERAL (SELECT p.rotation_period_seconds, p.rotation_schedule, p.rotation_window_seconds,
                                p.drift_check_period_seconds, p.site_id IS NOT NULL AS override
                         FROM rotation_policies p
                         WHERE p.site_id = c.id OR (p.org_id = c.org_id AND p.site_id IS NULL)
                         ORDER BY p.site_id IS NULL LIMIT 1) p ON TRUE""";

  private static final String CLAIMED_COLUMNS = "c.id, c.org_id, c.username, c.ip_address, c.api_port, c.server_ip,"
      + " c.tls, c.status, c.created_at, c.updated_at, c.tls_fingerprint, c.tls_server_name, c.replan,"
      + " c.rotation_attempts,"
      + " c.rotation_due_at, c.next_drift_check_at, p.rotation_period_seconds, p.rotation_schedule,"
      + " p.rotation_window_seconds, p.drift_check_period_seconds";

  /**
   * Claims up to $1 sites whose next_rotation_at has come (a due rotation, a retry or a replan), holding each for
   * $2 seconds (the lease: next_rotation_at pushed forward), with the policy in force.
   */
  static final String CLAIM_DUE_ROTATIONS = """
      WITH due AS (
        SELECT id FROM sites WHERE deleted_at IS NULL AND next_rotation_at IS NOT NULL AND next_rotation_at <= now()
        ORDER BY next_rotation_at LIMIT $1 FOR UPDATE SKIP LOCKED),
      c AS (
        UPDATE sites s SET next_rotation_at = now() + make_interval(secs => $2) FROM due WHERE s.id = due.id
        RETURNING s.*)
      SELECT\s""" + CLAIMED_COLUMNS + " FROM c " + EFFECTIVE_POLICY;

  /** Claims up to $1 sites whose drift check has come, holding each for $2 seconds, with the policy in force. */
  static final String CLAIM_DUE_DRIFT_CHECKS = """
      WITH due AS (
        SELECT id FROM sites WHERE deleted_at IS NULL AND next_drift_check_at IS NOT NULL
          AND next_drift_check_at <= now()
        ORDER BY next_drift_check_at LIMIT $1 FOR UPDATE SKIP LOCKED),
      c AS (
        UPDATE sites s SET next_drift_check_at = now() + make_interval(secs => $2) FROM due WHERE s.id = due.id
        RETURNING s.*)
      SELECT\s""" + CLAIMED_COLUMNS + " FROM c " + EFFECTIVE_POLICY;

  /** A replanned site: its next rotation $2 (null: no policy), the next drift check $3 (null: none). */
  static final String SET_PLAN = """
      UPDATE sites SET next_rotation_at = $2, rotation_due_at = $2, replan = FALSE, rotation_attempts = 0,
        next_drift_check_at = $3
      WHERE id = $1""";

  /** After a scheduled rotation that landed (or a skip): the next one at $2, attempts reset. */
  static final String SET_NEXT_ROTATION = """
      UPDATE sites SET next_rotation_at = CASE WHEN replan THEN now() ELSE $2 END,
        rotation_due_at = CASE WHEN replan THEN NULL ELSE $2 END, rotation_attempts = 0
      WHERE id = $1""";

  /** A failed scheduled rotation: tried again at $2, one more attempt counted; rotation_due_at kept. */
  static final String SET_RETRY = "UPDATE sites SET next_rotation_at = CASE WHEN replan THEN now() ELSE $2 END,"
      + " rotation_attempts = rotation_attempts + 1 WHERE id = $1 RETURNING rotation_attempts";

  /** A due rotation looked at again at $2, no attempt counted (another rotation of the site was under way). */
  static final String SET_LATER = "UPDATE sites SET next_rotation_at = CASE WHEN replan THEN now() ELSE $2 END"
      + " WHERE id = $1";

  /** The next drift check of a site. */
  static final String SET_NEXT_DRIFT_CHECK = "UPDATE sites SET next_drift_check_at = $2 WHERE id = $1";

  /** The site object's schedule: when its current password became current, and when it is due for rotation. */
  static final String SELECT_SCHEDULE = """
      SELECT s.rotation_due_at,
             (SELECT v.updated_at FROM credential_versions v WHERE v.site_id = s.id AND v.state = 'CURRENT')
               AS last_rotated_at
      FROM sites s WHERE s.id = $1""";

  /** Sites due for rotation now, and those due for longer than their window and an hour ($1 seconds). */
  static final String COUNT_DUE = """
      SELECT count(*) AS due,
             count(*) FILTER (WHERE c.rotation_due_at < now() - make_interval(secs =>
               coalesce(p.rotation_window_seconds, 0) + $1)) AS overdue
      FROM sites c\s""" + EFFECTIVE_POLICY + """

      WHERE c.deleted_at IS NULL AND c.rotation_due_at IS NOT NULL AND c.rotation_due_at <= now()""";

  static final String UPSERT_RECONCILE_ACCOUNT = """
      INSERT INTO reconcile_accounts (site_id, id, username, sealed_password, key_id, nonce)
      VALUES ($1, $2, $3, $4, $5, $6)
      ON CONFLICT (site_id) DO UPDATE SET id = EXCLUDED.id, username = EXCLUDED.username,
        sealed_password = EXCLUDED.sealed_password, key_id = EXCLUDED.key_id, nonce = EXCLUDED.nonce,
        created_at = now()""";

  static final String DELETE_RECONCILE_ACCOUNT = "DELETE FROM reconcile_accounts WHERE site_id = $1";

  static final String SELECT_RECONCILE_ACCOUNT =
      "SELECT id, username, sealed_password, key_id, nonce FROM reconcile_accounts WHERE site_id = $1";

  /** Up to $2 reconcile accounts sealed with another key than $1 (the reseal command). */
  static final String SELECT_RECONCILE_NOT_UNDER_KEY = "SELECT site_id, id, username, sealed_password, key_id, nonce"
      + " FROM reconcile_accounts WHERE key_id <> $1 ORDER BY site_id LIMIT $2";

  /** Re-seals one reconcile account, only if nobody changed it since it was read. */
  static final String RESEAL_RECONCILE_ACCOUNT = "UPDATE reconcile_accounts SET sealed_password = $2, key_id = $3,"
      + " nonce = $4 WHERE site_id = $1 AND key_id = $5 AND nonce = $6";

  private PolicyQueries() {
  }
}
