BEGIN;
EXPLAIN (ANALYZE, BUFFERS, TIMING)       WITH due AS (
        SELECT id FROM sites WHERE deleted_at IS NULL AND next_rotation_at IS NOT NULL AND next_rotation_at <= now()
        ORDER BY next_rotation_at LIMIT 200 FOR UPDATE SKIP LOCKED),
      c AS (
        UPDATE sites s SET next_rotation_at = now() + make_interval(secs => 60) FROM due WHERE s.id = due.id
        RETURNING s.*)
      SELECT c.id, c.org_id, c.username, c.ip_address, c.api_port, c.server_ip, c.tls, c.status, c.created_at, c.updated_at, c.tls_fingerprint, c.replan, c.rotation_attempts, c.rotation_due_at, c.next_drift_check_at, p.rotation_period_seconds, p.rotation_schedule, p.rotation_window_seconds, p.drift_check_period_seconds FROM c       LEFT JOIN LATERAL (SELECT p.rotation_period_seconds, p.rotation_schedule, p.rotation_window_seconds,
                                p.drift_check_period_seconds, p.site_id IS NOT NULL AS override
                         FROM rotation_policies p
                         WHERE p.site_id = c.id OR (p.org_id = c.org_id AND p.site_id IS NULL)
                         ORDER BY p.site_id IS NULL LIMIT 1) p ON TRUE;
ROLLBACK;
BEGIN;
EXPLAIN (ANALYZE, BUFFERS, TIMING)       WITH due AS (
        SELECT id FROM sites WHERE deleted_at IS NULL AND next_drift_check_at IS NOT NULL
          AND next_drift_check_at <= now()
        ORDER BY next_drift_check_at LIMIT 200 FOR UPDATE SKIP LOCKED),
      c AS (
        UPDATE sites s SET next_drift_check_at = now() + make_interval(secs => 60) FROM due WHERE s.id = due.id
        RETURNING s.*)
      SELECT c.id, c.org_id, c.username, c.ip_address, c.api_port, c.server_ip, c.tls, c.status, c.created_at, c.updated_at, c.tls_fingerprint, c.replan, c.rotation_attempts, c.rotation_due_at, c.next_drift_check_at, p.rotation_period_seconds, p.rotation_schedule, p.rotation_window_seconds, p.drift_check_period_seconds FROM c       LEFT JOIN LATERAL (SELECT p.rotation_period_seconds, p.rotation_schedule, p.rotation_window_seconds,
                                p.drift_check_period_seconds, p.site_id IS NOT NULL AS override
                         FROM rotation_policies p
                         WHERE p.site_id = c.id OR (p.org_id = c.org_id AND p.site_id IS NULL)
                         ORDER BY p.site_id IS NULL LIMIT 1) p ON TRUE;
ROLLBACK;
BEGIN;
EXPLAIN (ANALYZE, BUFFERS, TIMING) SELECT count(*) AS due, count(*) FILTER (WHERE c.rotation_due_at < now() - make_interval(secs => coalesce(p.rotation_window_seconds, 0) + 3600)) AS overdue FROM sites c       LEFT JOIN LATERAL (SELECT p.rotation_period_seconds, p.rotation_schedule, p.rotation_window_seconds,
                                p.drift_check_period_seconds, p.site_id IS NOT NULL AS override
                         FROM rotation_policies p
                         WHERE p.site_id = c.id OR (p.org_id = c.org_id AND p.site_id IS NULL)
                         ORDER BY p.site_id IS NULL LIMIT 1) p ON TRUE
      WHERE c.deleted_at IS NULL AND c.rotation_due_at IS NOT NULL AND c.rotation_due_at <= now();
ROLLBACK;
BEGIN;
EXPLAIN (ANALYZE, BUFFERS, TIMING) SELECT status, count(*) AS n FROM sites WHERE deleted_at IS NULL GROUP BY status;
ROLLBACK;
BEGIN;
EXPLAIN (ANALYZE, BUFFERS, TIMING) WITH a AS (SELECT extract(epoch FROM now() - v.created_at)::float8 AS age FROM credential_versions v JOIN sites s ON s.id = v.site_id WHERE v.state = 'CURRENT' AND s.deleted_at IS NULL) SELECT width_bucket(age, ARRAY[3600,86400,604800,2592000,7776000]::float8[]) AS bucket, count(*) AS n, sum(age) AS total, max(age) AS oldest FROM a GROUP BY 1;
ROLLBACK;
