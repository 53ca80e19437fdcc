-- Two indexes that every rotation paid for and only rare reads used (measured: PostgreSQL CPU per rotation +20 to
-- 30 % with V4 and V5, docs/PERFORMANCE.md). Their readers go without them:
-- - credential_versions_key_id (V4): the key ids of stored values are read once per start, by a plain
--   SELECT DISTINCT (one pass over a table the housekeeper keeps to a few versions per site). Each state change of
--   a version updated this index too, since a change of state is never a HOT update.
-- - audit_events_at (V5): the housekeeper walks audit_events by id, which grows with insertion time as `at` does,
--   so the oldest rows come first on the primary key; every audit event (two per rotation) was one more index entry.
DROP INDEX IF EXISTS credential_versions_key_id;
DROP INDEX IF EXISTS audit_events_at;
