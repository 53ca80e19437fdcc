-- Issue 10: the audit trail's retention is enforced by the database, and finished bulk jobs are purged.

-- The audit retention in days (retention.auditDays), one row. Every core process writes its configured value here at
-- start (AuditRetention). Any change, by the service or by hand, leaves an audit.retention_changed event with the old
-- and the new value (outcome lowered or raised); the row can be changed but not removed. 400 is the default of
-- retention.auditDays.
CREATE TABLE audit_retention (
  one        BOOLEAN          PRIMARY KEY DEFAULT TRUE CHECK (one),
  days       DOUBLE PRECISION NOT NULL CHECK (days >= 0),
  updated_at TIMESTAMPTZ      NOT NULL DEFAULT now()
);
INSERT INTO audit_retention (days) VALUES (400);

-- The actor of the event is the transaction-local setting cp.actor when set (the service sets it), else the database
-- user that made the change.
CREATE FUNCTION audit_retention_guard() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP <> 'UPDATE' THEN
    RAISE EXCEPTION 'audit_retention keeps its one row' USING ERRCODE = 'insufficient_privilege';
  END IF;
  IF NEW.days IS DISTINCT FROM OLD.days THEN
    NEW.updated_at := now();
    INSERT INTO audit_events (actor, action, outcome, detail)
    VALUES (coalesce(nullif(current_setting('cp.actor', true), ''), 'database user ' || session_user),
            'audit.retention_changed', CASE WHEN NEW.days < OLD.days THEN 'lowered' ELSE 'raised' END,
            'retention.auditDays ' || OLD.days || ' -> ' || NEW.days);
  END IF;
  RETURN NEW;
END;
$$;
CREATE TRIGGER audit_retention_one_row BEFORE INSERT OR UPDATE OR DELETE ON audit_retention
  FOR EACH ROW EXECUTE FUNCTION audit_retention_guard();
CREATE TRIGGER audit_retention_no_truncate BEFORE TRUNCATE ON audit_retention
  FOR EACH STATEMENT EXECUTE FUNCTION audit_retention_guard();

-- The retention floor: the start (UTC) of the month that holds now() - audit_retention.days. No audit event at or
-- after it can be deleted. NULL (nothing can be deleted) if the row is gone.
CREATE FUNCTION cp_audit_floor() RETURNS TIMESTAMPTZ LANGUAGE sql STABLE AS $$
  SELECT date_trunc('month', (now() - make_interval(secs => days * 86400)) AT TIME ZONE 'UTC') AT TIME ZONE 'UTC'
  FROM audit_retention
$$;

-- audit_events stays append-only (UPDATE and TRUNCATE are always refused), with one exception: a DELETE of a row older
-- than both the cutoff that the deleting transaction names in the transaction-local setting cp.audit_purge_before
-- (which must be the start of a month, UTC) and the retention floor above. A session can name any cutoff it likes:
-- rows inside the retention the database holds stay. Only changing audit_retention (which is audited) or dropping
-- this trigger lets them go. Replaces the V5 body, whose only bound was the start of the current month: V5's comment
-- promised that a row inside the retention could not be deleted, but a session naming that month's start could.
CREATE OR REPLACE FUNCTION audit_events_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  cutoff TIMESTAMPTZ;
BEGIN
  IF TG_OP = 'DELETE' THEN
    cutoff := nullif(current_setting('cp.audit_purge_before', true), '')::timestamptz;
    IF cutoff IS NOT NULL
       AND cutoff = date_trunc('month', cutoff AT TIME ZONE 'UTC') AT TIME ZONE 'UTC'
       AND OLD.at < cutoff
       AND OLD.at < cp_audit_floor() THEN
      RETURN OLD;
    END IF;
  END IF;
  RAISE EXCEPTION 'audit_events is append-only' USING ERRCODE = 'insufficient_privilege';
END;
$$;

-- The housekeeper's search for finished bulk jobs older than retention.jobDays (their site lists go first).
CREATE INDEX rotation_jobs_finished ON rotation_jobs (finished_at) WHERE state IN ('completed', 'cancelled');
