-- Soft deletion of sites, and what the housekeeper needs to keep the tables bounded (docs/OPERATIONS.md).

-- A deleted site keeps its row and its sealed versions until it is purged (on request, or by the housekeeper after
-- retention.deletedSiteDays); every read path ignores it (SqlQueries), and no rotation starts on it (cp_take_slot).
ALTER TABLE sites ADD COLUMN deleted_at TIMESTAMPTZ;
-- The listing of an organisation's deleted sites (keyset on id), and the housekeeper's search for expired ones.
CREATE INDEX sites_deleted_by_org ON sites (org_id, id) WHERE deleted_at IS NOT NULL;
CREATE INDEX sites_deleted_at ON sites (deleted_at) WHERE deleted_at IS NOT NULL;

-- The housekeeper's searches: old SUPERSEDED and FAILED versions, old idempotency keys, old audit events.
CREATE INDEX credential_versions_purgeable ON credential_versions (created_at)
  WHERE state IN ('SUPERSEDED', 'FAILED');
CREATE INDEX idempotency_records_created ON idempotency_records (created_at);
CREATE INDEX audit_events_at ON audit_events (at);

-- audit_events stays append-only (UPDATE and TRUNCATE are always refused), with one exception: a DELETE of rows
-- older than the cutoff that the deleting transaction names in the transaction-local setting cp.audit_purge_before,
-- which must be the start of a month (UTC) and not later than the start of the current one. The housekeeper sets it
-- to the start of the month that holds now() - retention.auditDays, so whole months go, and a row inside the
-- retention cannot be deleted by anyone who does not also drop this trigger. Why not partitions: docs/OPERATIONS.md.
CREATE OR REPLACE FUNCTION audit_events_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  cutoff TIMESTAMPTZ;
BEGIN
  IF TG_OP = 'DELETE' THEN
    cutoff := nullif(current_setting('cp.audit_purge_before', true), '')::timestamptz;
    IF cutoff IS NOT NULL
       AND cutoff = date_trunc('month', cutoff AT TIME ZONE 'UTC') AT TIME ZONE 'UTC'
       AND cutoff <= date_trunc('month', now() AT TIME ZONE 'UTC') AT TIME ZONE 'UTC'
       AND OLD.at < cutoff THEN
      RETURN OLD;
    END IF;
  END IF;
  RAISE EXCEPTION 'audit_events is append-only' USING ERRCODE = 'insufficient_privilege';
END;
$$;
