-- Issue 12 points 2, 3 and 4: rotation policies, the scheduler, drift checks and the reconcile account.
--
-- A policy is an organisation's default (site_id NULL) or one site's override. Exactly one of
-- rotation_period_seconds and rotation_schedule (five-field cron, UTC) is set; the check is also made by core before
-- any write, with a readable error.
CREATE TABLE rotation_policies (
  org_id                     TEXT        NOT NULL,
  site_id                    UUID        REFERENCES sites (id) ON DELETE CASCADE,
  rotation_period_seconds    BIGINT      CHECK (rotation_period_seconds >= 60),
  rotation_schedule          TEXT,
  rotation_window_seconds    BIGINT      NOT NULL DEFAULT 0 CHECK (rotation_window_seconds >= 0),
  drift_check_period_seconds BIGINT      CHECK (drift_check_period_seconds >= 60),
  created_at                 TIMESTAMPTZ NOT NULL DEFAULT now(),
  updated_at                 TIMESTAMPTZ NOT NULL DEFAULT now(),
  CHECK ((rotation_period_seconds IS NULL) <> (rotation_schedule IS NULL))
);
CREATE UNIQUE INDEX rotation_policies_org_default ON rotation_policies (org_id) WHERE site_id IS NULL;
CREATE UNIQUE INDEX rotation_policies_site ON rotation_policies (site_id) WHERE site_id IS NOT NULL;

-- The fleet loop's bookkeeping on each site. next_rotation_at is when the scheduler looks at the site next: a due
-- rotation, a retry, or (replan) only to compute its next time from the policy in force after a policy or an
-- enrolment changed. While a process works on a site, next_rotation_at (next_drift_check_at) is pushed forward as
-- its lease. rotation_due_at is when the rotation in hand fell due (kept through retries and leases): the site
-- object's next_rotation_at and the due/overdue gauges read it.
ALTER TABLE sites
  ADD COLUMN next_rotation_at    TIMESTAMPTZ,
  ADD COLUMN rotation_due_at     TIMESTAMPTZ,
  ADD COLUMN replan              BOOLEAN NOT NULL DEFAULT FALSE,
  ADD COLUMN rotation_attempts   INTEGER NOT NULL DEFAULT 0,
  ADD COLUMN next_drift_check_at TIMESTAMPTZ;

-- Existing sites get their first plan at the scheduler's first pass.
UPDATE sites SET next_rotation_at = now(), replan = TRUE WHERE deleted_at IS NULL;

-- Due queries are index range scans: their cost grows with what is due, not with the fleet.
CREATE INDEX sites_next_rotation ON sites (next_rotation_at)
  WHERE deleted_at IS NULL AND next_rotation_at IS NOT NULL;
CREATE INDEX sites_rotation_due ON sites (rotation_due_at)
  WHERE deleted_at IS NULL AND rotation_due_at IS NOT NULL;
CREATE INDEX sites_next_drift_check ON sites (next_drift_check_at)
  WHERE deleted_at IS NULL AND next_drift_check_at IS NOT NULL;

-- The reconcile account of a site: a second router user allowed to set the API user's password, used only when no
-- known password of the API user logs in. Sealed like a credential version: id is the sealing context's version id.
CREATE TABLE reconcile_accounts (
  site_id         UUID PRIMARY KEY REFERENCES sites (id) ON DELETE CASCADE,
  id              UUID        NOT NULL,
  username        TEXT        NOT NULL,
  sealed_password BYTEA       NOT NULL,
  key_id          TEXT        NOT NULL,
  nonce           BYTEA       NOT NULL,
  created_at      TIMESTAMPTZ NOT NULL DEFAULT now()
);
