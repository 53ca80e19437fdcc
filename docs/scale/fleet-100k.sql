-- 100,000 sites behind 1,000 edges, one organisation with a 30-day policy (1 h window), 6 h drift checks:
-- next rotations spread over 30 days, next drift checks over 6 h, one CURRENT version per site.
INSERT INTO sites (id, org_id, username, ip_address, api_port, server_ip, next_rotation_at, rotation_due_at,
                   next_drift_check_at)
SELECT md5('site' || i)::uuid, 'org-scale', 'altostrat-api', '10.' || (i / 65536) || '.' || ((i / 256) % 256) || '.' || (i % 256),
       8728, 'edge-' || (i % 1000), now() + random() * interval '30 days', NULL, now() + random() * interval '6 hours'
FROM generate_series(1, 100000) i;
UPDATE sites SET rotation_due_at = next_rotation_at;
INSERT INTO credential_versions (id, site_id, state, sealed_password, key_id, nonce, created_at)
SELECT md5('v' || s.id)::uuid, s.id, 'CURRENT', '\x00', 'k1', '\x000000000000000000000000', now() - random() * interval '30 days'
FROM sites s;
INSERT INTO rotation_policies (org_id, rotation_period_seconds, rotation_window_seconds, drift_check_period_seconds)
VALUES ('org-scale', 2592000, 3600, 21600);
-- What one 5 s tick finds due at this fleet's rate: 100,000 / 30 d = 0.19 rotations, 100,000 / 6 h = 23 drift checks.
-- Make 25 of each due now, so the claims below have work.
UPDATE sites SET next_rotation_at = now() - interval '1 s', rotation_due_at = now() - interval '1 s'
WHERE id IN (SELECT id FROM sites ORDER BY id LIMIT 25);
UPDATE sites SET next_drift_check_at = now() - interval '1 s' WHERE id IN (SELECT id FROM sites ORDER BY id DESC LIMIT 25);
VACUUM ANALYZE sites; VACUUM ANALYZE credential_versions;
