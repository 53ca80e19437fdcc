-- Bulk rotation jobs (issue 12): a job rotates a snapshot of an organisation's sites, taken once at creation. Any
-- process works on any job: it claims queued sites (FOR UPDATE SKIP LOCKED) under a lease, so a crashed process's
-- sites are claimed again once their lease has run out.
CREATE TABLE rotation_jobs (
  id              UUID PRIMARY KEY,
  org_id          TEXT        NOT NULL,
  actor           TEXT        NOT NULL,
  -- {site_ids?, server_ip?, status?} as given; evaluated once, into rotation_job_sites.
  selector        JSONB       NOT NULL,
  max_in_flight   INTEGER     NOT NULL CHECK (max_in_flight BETWEEN 1 AND 1000),
  state           TEXT        NOT NULL CHECK (state IN ('queued', 'running', 'completed', 'cancelled')),
  total           INTEGER     NOT NULL DEFAULT 0,
  succeeded       INTEGER     NOT NULL DEFAULT 0,
  failed          INTEGER     NOT NULL DEFAULT 0,
  unknown         INTEGER     NOT NULL DEFAULT 0,
  idempotency_key TEXT,
  request_id      TEXT,
  created_at      TIMESTAMPTZ NOT NULL DEFAULT now(),
  updated_at      TIMESTAMPTZ NOT NULL DEFAULT now(),
  finished_at     TIMESTAMPTZ
);
-- One job per Idempotency-Key and organisation.
CREATE UNIQUE INDEX rotation_jobs_idempotency ON rotation_jobs (org_id, idempotency_key)
  WHERE idempotency_key IS NOT NULL;
-- The listing: an organisation's jobs, newest first.
CREATE INDEX rotation_jobs_org ON rotation_jobs (org_id, created_at DESC, id DESC);
-- The poll: jobs that may have work.
CREATE INDEX rotation_jobs_active ON rotation_jobs (created_at) WHERE state IN ('queued', 'running');

CREATE TABLE rotation_job_sites (
  job_id      UUID        NOT NULL REFERENCES rotation_jobs (id) ON DELETE CASCADE,
  -- No reference to sites: a site deleted or purged meanwhile stays in the job (its rotation fails: not found).
  site_id     UUID        NOT NULL,
  server_ip   TEXT        NOT NULL,
  state       TEXT        NOT NULL DEFAULT 'queued'
                CHECK (state IN ('queued', 'running', 'succeeded', 'failed', 'unknown')),
  -- The process holding a running site, until lease_until; a queued site is claimable from not_before on.
  claimed_by  TEXT,
  lease_until TIMESTAMPTZ,
  not_before  TIMESTAMPTZ,
  attempts    INTEGER     NOT NULL DEFAULT 0,
  last_error  TEXT,
  finished_at TIMESTAMPTZ,
  PRIMARY KEY (job_id, site_id),
  CHECK (state <> 'running' OR lease_until IS NOT NULL)
);
-- The claim: a job's sites still to do (queued, or running under a lease that may have run out).
CREATE INDEX rotation_job_sites_open ON rotation_job_sites (job_id, state) WHERE state IN ('queued', 'running');
