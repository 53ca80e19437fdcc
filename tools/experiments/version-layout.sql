-- The experiment behind docs/PERFORMANCE.md, "A cheaper version layout? Measured: no". Two layouts of the credential
-- versions side by side, stripped to what a rotation does to rows (one transaction, no audit, no job):
--   a_*: today's (the state on the version row, a partial unique index per state): 1 insert + 3 non-HOT updates;
--   b_*: current, previous and pending version ids on the site row (no index on them, so the site's updates are
--        HOT): 1 insert + 2 HOT updates of the site + 1 HOT update of the demoted version.
-- Run against a scratch database (never the product's):
--   createdb layout && psql -d layout -f tools/experiments/version-layout.sql
--   printf '\set s random(1, 1000)\nSELECT a_rot(:s);\n' > a.sql; printf '\set s random(1, 1000)\nSELECT b_rot(:s);\n' > b.sql
--   PGOPTIONS="-c synchronous_commit=off" pgbench -n -c 2 -j 2 -T 15 -f a.sql layout   (then b.sql; alternate)
-- A: today's layout (state on the version row; partial unique indexes)
CREATE TABLE a_sites (id INT PRIMARY KEY, org TEXT, username TEXT, status TEXT, updated_at TIMESTAMPTZ DEFAULT now());
CREATE TABLE a_versions (id UUID PRIMARY KEY, site_id INT NOT NULL REFERENCES a_sites(id), state TEXT NOT NULL,
  sealed BYTEA, key_id TEXT, nonce BYTEA, created_at TIMESTAMPTZ DEFAULT now(), updated_at TIMESTAMPTZ DEFAULT now(),
  invalidated_at TIMESTAMPTZ, lease_expires_at TIMESTAMPTZ, attempts INT DEFAULT 0, last_error TEXT, owner_process UUID);
CREATE INDEX a_site ON a_versions (site_id, state);
CREATE UNIQUE INDEX a_cur ON a_versions (site_id) WHERE state = 'CURRENT';
CREATE UNIQUE INDEX a_pen ON a_versions (site_id) WHERE state = 'PENDING';
CREATE UNIQUE INDEX a_prev ON a_versions (site_id) WHERE state = 'PREVIOUS';
CREATE INDEX a_lease ON a_versions (lease_expires_at) WHERE state = 'PENDING';
INSERT INTO a_sites SELECT g, 'org', 'api', 'in_sync' FROM generate_series(1,1000) g;
INSERT INTO a_versions (id, site_id, state, sealed) SELECT gen_random_uuid(), g, 'CURRENT', '\x00' FROM generate_series(1,1000) g;
-- B: pointers on the site row (versions never change state in a rotation)
CREATE TABLE b_sites (id INT PRIMARY KEY, org TEXT, username TEXT, status TEXT, updated_at TIMESTAMPTZ DEFAULT now(),
  current_id UUID, previous_id UUID, pending_id UUID, pending_lease TIMESTAMPTZ) WITH (fillfactor = 70);
CREATE TABLE b_versions (id UUID PRIMARY KEY, site_id INT NOT NULL REFERENCES b_sites(id),
  sealed BYTEA, key_id TEXT, nonce BYTEA, created_at TIMESTAMPTZ DEFAULT now(), invalidated_at TIMESTAMPTZ,
  attempts INT DEFAULT 0, last_error TEXT, owner_process UUID, failed BOOLEAN DEFAULT false);
CREATE INDEX b_site ON b_versions (site_id, created_at);
-- No index on the pointers or the pending lease: one would make every update of the site row non-HOT (measured: b then ran at 55 % of a).
INSERT INTO b_sites (id, org, username, status) SELECT g, 'org', 'api', 'in_sync' FROM generate_series(1,1000) g;
WITH v AS (INSERT INTO b_versions (id, site_id, sealed) SELECT gen_random_uuid(), g, '\x00' FROM generate_series(1,1000) g RETURNING id, site_id)
UPDATE b_sites s SET current_id = v.id FROM v WHERE v.site_id = s.id;
VACUUM ANALYZE;
CREATE OR REPLACE FUNCTION a_rot(p_site INT) RETURNS VOID LANGUAGE plpgsql AS $$
DECLARE x BYTEA; y BYTEA; v UUID := gen_random_uuid();
BEGIN
  PERFORM 1 FROM a_sites WHERE id = p_site FOR UPDATE;
  INSERT INTO a_versions (id, site_id, state, sealed, lease_expires_at) VALUES (v, p_site, 'PENDING', '\x0102030405060708090a0b0c0d0e0f10', now() + interval '30 s');
  SELECT sealed INTO x FROM a_versions WHERE site_id = p_site AND state = 'CURRENT';
  SELECT sealed INTO y FROM a_versions WHERE site_id = p_site AND state = 'PREVIOUS';
  UPDATE a_versions SET state = 'SUPERSEDED', updated_at = now() WHERE site_id = p_site AND state = 'PREVIOUS';
  UPDATE a_versions SET state = 'PREVIOUS', invalidated_at = now(), updated_at = now() WHERE site_id = p_site AND state = 'CURRENT';
  UPDATE a_versions SET state = 'CURRENT', lease_expires_at = NULL, updated_at = now() WHERE id = v AND state = 'PENDING';
END $$;
CREATE OR REPLACE FUNCTION b_rot(p_site INT) RETURNS VOID LANGUAGE plpgsql AS $$
DECLARE x BYTEA; y BYTEA; v UUID := gen_random_uuid(); s b_sites%ROWTYPE;
BEGIN
  SELECT * INTO s FROM b_sites WHERE id = p_site FOR UPDATE;
  INSERT INTO b_versions (id, site_id, sealed) VALUES (v, p_site, '\x0102030405060708090a0b0c0d0e0f10');
  UPDATE b_sites SET pending_id = v, pending_lease = now() + interval '30 s' WHERE id = p_site;
  SELECT sealed INTO x FROM b_versions WHERE id = s.current_id;
  SELECT sealed INTO y FROM b_versions WHERE id = s.previous_id;
  UPDATE b_versions SET invalidated_at = now() WHERE id = s.current_id;
  UPDATE b_sites SET previous_id = current_id, current_id = pending_id, pending_id = NULL, pending_lease = NULL, updated_at = now() WHERE id = p_site AND pending_id = v;
END $$;
