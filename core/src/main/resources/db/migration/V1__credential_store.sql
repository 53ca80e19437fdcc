-- Sites, credential versions, audit events and idempotency records of the credential control plane.
-- Passwords are stored only sealed (AES-256-GCM): sealed_password, with key_id and nonce beside it.

CREATE TABLE sites (
  id               UUID PRIMARY KEY,
  org_id           TEXT        NOT NULL,
  username         TEXT        NOT NULL,
  ip_address       TEXT        NOT NULL,
  api_port         INTEGER     NOT NULL CHECK (api_port BETWEEN 1 AND 65535),
  server_ip        TEXT        NOT NULL,
  tls              BOOLEAN     NOT NULL DEFAULT FALSE,
  status           TEXT        NOT NULL DEFAULT 'in_sync' CHECK (status IN ('in_sync', 'out_of_sync')),
  -- While set and in the future, a re-push of the current password (resend) holds the site: no rotation starts.
  push_lease_until TIMESTAMPTZ,
  created_at       TIMESTAMPTZ NOT NULL DEFAULT now(),
  updated_at       TIMESTAMPTZ NOT NULL DEFAULT now()
);
CREATE INDEX sites_org ON sites (org_id);

CREATE TABLE credential_versions (
  id               UUID PRIMARY KEY,
  site_id          UUID        NOT NULL REFERENCES sites (id) ON DELETE CASCADE,
  state            TEXT        NOT NULL CHECK (state IN ('PENDING', 'CURRENT', 'PREVIOUS', 'FAILED', 'SUPERSEDED')),
  sealed_password  BYTEA       NOT NULL,
  key_id           TEXT        NOT NULL,
  nonce            BYTEA       NOT NULL CHECK (octet_length(nonce) = 12),
  created_at       TIMESTAMPTZ NOT NULL DEFAULT now(),
  updated_at       TIMESTAMPTZ NOT NULL DEFAULT now(),
  invalidated_at   TIMESTAMPTZ,
  lease_expires_at TIMESTAMPTZ,
  attempts         INTEGER     NOT NULL DEFAULT 0,
  last_error       TEXT,
  CHECK (state <> 'PENDING' OR lease_expires_at IS NOT NULL)
);
CREATE INDEX credential_versions_site ON credential_versions (site_id, state);
-- PostgreSQL itself keeps at most one CURRENT, one PENDING and one PREVIOUS version per site.
-- The PENDING index is the rotation slot of a site, across every process: a second insert fails with 23505.
CREATE UNIQUE INDEX credential_versions_one_current ON credential_versions (site_id) WHERE state = 'CURRENT';
CREATE UNIQUE INDEX credential_versions_one_pending ON credential_versions (site_id) WHERE state = 'PENDING';
CREATE UNIQUE INDEX credential_versions_one_previous ON credential_versions (site_id) WHERE state = 'PREVIOUS';
-- The reconciler looks for pending versions whose lease has expired.
CREATE INDEX credential_versions_pending_lease ON credential_versions (lease_expires_at) WHERE state = 'PENDING';

-- Append-only: who did what to which site, and how it ended. Never a password.
CREATE TABLE audit_events (
  id         BIGSERIAL PRIMARY KEY,
  at         TIMESTAMPTZ NOT NULL DEFAULT now(),
  actor      TEXT        NOT NULL,
  action     TEXT        NOT NULL,
  org_id     TEXT,
  site_id    UUID,
  version_id UUID,
  outcome    TEXT        NOT NULL,
  request_id TEXT,
  detail     TEXT
);
CREATE INDEX audit_events_site ON audit_events (site_id, at);

CREATE FUNCTION audit_events_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'audit_events is append-only' USING ERRCODE = 'insufficient_privilege';
END;
$$;
CREATE TRIGGER audit_events_no_update_delete BEFORE UPDATE OR DELETE ON audit_events
  FOR EACH ROW EXECUTE FUNCTION audit_events_append_only();
CREATE TRIGGER audit_events_no_truncate BEFORE TRUNCATE ON audit_events
  FOR EACH STATEMENT EXECUTE FUNCTION audit_events_append_only();

-- An Idempotency-Key answers the same credential for 24 hours (the reader checks created_at).
CREATE TABLE idempotency_records (
  org_id                TEXT        NOT NULL,
  key                   TEXT        NOT NULL,
  site_id               UUID        NOT NULL REFERENCES sites (id) ON DELETE CASCADE,
  action                TEXT        NOT NULL,
  credential_version_id UUID        NOT NULL,
  created_at            TIMESTAMPTZ NOT NULL DEFAULT now(),
  PRIMARY KEY (org_id, key)
);
