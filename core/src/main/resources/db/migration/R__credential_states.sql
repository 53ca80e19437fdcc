-- The one home of the credential-version state machine (docs/ARCHITECTURE.md, "Credential states"). Every change of
-- a version's state is one of these functions, and nothing else writes credential_versions.state; Java calls them.
-- A repeatable migration: Flyway re-applies this file whenever it changes, after the versioned ones, so each function
-- is CREATE OR REPLACE with the signature it has always had (cp_take_slot gained a defaulted p_owner in V12: its
-- former signature is dropped first, so that a call with nine arguments is not ambiguous).
--
--   (none) --take_slot--> PENDING --promote--> CURRENT --demote--> PREVIOUS --demote--> SUPERSEDED
--                         PENDING --fail_pending--> FAILED --adopt_version--> CURRENT <--adopt_version-- SUPERSEDED
--   (none) --install_current--> CURRENT        PREVIOUS <--swap_current_previous--> CURRENT
--
-- The partial unique indexes (one CURRENT, one PENDING, one PREVIOUS per site) are checked row by row, so every
-- function demotes before it promotes. Every caller holds the site's row lock first (FOR UPDATE on sites), which
-- is what orders concurrent transactions of one site. Leases and back-off of a PENDING version change no state and
-- stay plain statements in SqlQueries.

-- The audit insert of the one-call functions (the batch functions write the same rows set-based). Details never carry
-- a password. PL/pgSQL, not SQL: a non-inlined SQL function plans its body again at every call (PostgreSQL 14),
-- PL/pgSQL keeps the plan for the session.
CREATE OR REPLACE FUNCTION cp_audit(p_actor TEXT, p_action TEXT, p_org TEXT, p_site UUID, p_version UUID,
                                    p_outcome TEXT, p_request_id TEXT, p_detail TEXT)
RETURNS VOID LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO audit_events (actor, action, org_id, site_id, version_id, outcome, request_id, detail)
  VALUES (coalesce(p_actor, 'unknown'), p_action, p_org, p_site, p_version, p_outcome, p_request_id, p_detail);
END;
$$;

-- Older PREVIOUS to SUPERSEDED, then CURRENT to PREVIOUS (invalidated now).
CREATE OR REPLACE FUNCTION cp_demote_current(p_site UUID)
RETURNS VOID LANGUAGE plpgsql AS $$
BEGIN
  UPDATE credential_versions SET state = 'SUPERSEDED', updated_at = now()
  WHERE site_id = p_site AND state = 'PREVIOUS';
  UPDATE credential_versions SET state = 'PREVIOUS', invalidated_at = now(), updated_at = now()
  WHERE site_id = p_site AND state = 'CURRENT';
END;
$$;

-- Enrolment: the given password, which the router takes, becomes CURRENT; the former current becomes PREVIOUS.
CREATE OR REPLACE FUNCTION cp_install_current(p_site UUID, p_version UUID, p_sealed BYTEA, p_key_id TEXT,
                                              p_nonce BYTEA)
RETURNS VOID LANGUAGE plpgsql AS $$
BEGIN
  PERFORM cp_demote_current(p_site);
  INSERT INTO credential_versions (id, site_id, state, sealed_password, key_id, nonce)
  VALUES (p_version, p_site, 'CURRENT', p_sealed, p_key_id, p_nonce);
END;
$$;

-- A PENDING version the router definitely does not hold: FAILED, never pushed again. False when it was no longer
-- PENDING (settled by someone else), with nothing changed.
CREATE OR REPLACE FUNCTION cp_fail_pending(p_version UUID, p_error TEXT)
RETURNS BOOLEAN LANGUAGE plpgsql AS $$
BEGIN
  UPDATE credential_versions SET state = 'FAILED', lease_expires_at = NULL, last_error = p_error, updated_at = now()
  WHERE id = p_version AND state = 'PENDING';
  RETURN FOUND;
END;
$$;

-- The router holds the PREVIOUS password: it becomes CURRENT again and the CURRENT one (if any) PREVIOUS,
-- invalidated. In three steps, parking the current one, since the indexes are checked at every row.
CREATE OR REPLACE FUNCTION cp_swap_current_previous(p_current UUID, p_previous UUID)
RETURNS VOID LANGUAGE plpgsql AS $$
BEGIN
  IF p_current IS NOT NULL THEN
    UPDATE credential_versions SET state = 'SUPERSEDED', invalidated_at = now(), updated_at = now()
    WHERE id = p_current;
  END IF;
  UPDATE credential_versions SET state = 'CURRENT', invalidated_at = NULL, updated_at = now() WHERE id = p_previous;
  IF p_current IS NOT NULL THEN
    UPDATE credential_versions SET state = 'PREVIOUS', invalidated_at = now(), updated_at = now()
    WHERE id = p_current;
  END IF;
END;
$$;

-- A FAILED or SUPERSEDED version the router turned out to hold (an out_of_sync or unverified site re-checked)
-- becomes CURRENT, the former current PREVIOUS. False, with nothing changed, when it is in neither state any more.
CREATE OR REPLACE FUNCTION cp_adopt_version(p_site UUID, p_version UUID)
RETURNS BOOLEAN LANGUAGE plpgsql AS $$
BEGIN
  PERFORM 1 FROM credential_versions
  WHERE id = p_version AND site_id = p_site AND state IN ('FAILED', 'SUPERSEDED') FOR UPDATE;
  IF NOT FOUND THEN
    RETURN FALSE;
  END IF;
  PERFORM cp_demote_current(p_site);
  UPDATE credential_versions SET state = 'CURRENT', invalidated_at = NULL, last_error = NULL, updated_at = now()
  WHERE id = p_version;
  RETURN TRUE;
END;
$$;

-- Step 2 of a rotation: lock the site, and unless a re-push holds it, insert the sealed PENDING version (the rotation
-- slot: a second one fails on credential_versions_one_pending with 23505) and its audit event, then read the sealed
-- CURRENT and PREVIOUS passwords the device will log in with (after the lock: what the last promotion committed).
-- One row, the site as locked, with outcome 'taken' (and those passwords, null where there is none) or 'busy'; no
-- row when the site does not exist, is deleted (V5) or belongs to another organisation. Its transaction commits
-- with synchronous_commit = on. Inside a VOLATILE function every statement takes a fresh snapshot, so what follows
-- the site's lock sees everything committed before it was granted.
-- p_owner (V12): the process that takes the slot and will push, recorded on the PENDING version so that a live
-- process can take it over as soon as the owner stops heartbeating. Defaulted, so that a caller of the former
-- nine-parameter signature (a process of an older version during a rolling upgrade) still works, without an owner.
DROP FUNCTION IF EXISTS cp_take_slot(UUID, TEXT, UUID, BYTEA, TEXT, BYTEA, DOUBLE PRECISION, TEXT, TEXT);
CREATE OR REPLACE FUNCTION cp_take_slot(p_site UUID, p_org TEXT, p_version UUID, p_sealed BYTEA, p_key_id TEXT,
                                        p_nonce BYTEA, p_lease_seconds DOUBLE PRECISION, p_actor TEXT,
                                        p_request_id TEXT, p_owner UUID DEFAULT NULL)
RETURNS TABLE (outcome TEXT, id UUID, org_id TEXT, username TEXT, ip_address TEXT, api_port INTEGER,
               server_ip TEXT, tls BOOLEAN, status TEXT, created_at TIMESTAMPTZ, updated_at TIMESTAMPTZ,
               current_id UUID, current_sealed BYTEA, current_key_id TEXT, current_nonce BYTEA,
               previous_id UUID, previous_sealed BYTEA, previous_key_id TEXT, previous_nonce BYTEA)
LANGUAGE plpgsql AS $$
#variable_conflict use_column
DECLARE
  s sites%ROWTYPE;
BEGIN
  -- The PENDING version must be on disk before the router is touched, whatever the server or the session says
  -- (synchronous_commit = off would let a crash of PostgreSQL lose it): forced for this transaction.
  PERFORM set_config('synchronous_commit', 'on', true);
  SELECT * INTO s FROM sites WHERE sites.id = p_site FOR UPDATE;
  IF NOT FOUND OR s.org_id <> p_org OR s.deleted_at IS NOT NULL THEN
    RETURN;
  END IF;
  IF s.push_lease_until IS NOT NULL AND s.push_lease_until > now() THEN
    outcome := 'busy';
  ELSE
    INSERT INTO credential_versions (id, site_id, state, sealed_password, key_id, nonce, lease_expires_at,
                                     owner_process)
    VALUES (p_version, p_site, 'PENDING', p_sealed, p_key_id, p_nonce, now() + make_interval(secs => p_lease_seconds),
            p_owner);
    PERFORM cp_audit(p_actor, 'credential.rotate', s.org_id, p_site, p_version, 'pending', p_request_id, NULL);
    outcome := 'taken';
    SELECT v.id, v.sealed_password, v.key_id, v.nonce INTO current_id, current_sealed, current_key_id, current_nonce
    FROM credential_versions v WHERE v.site_id = p_site AND v.state = 'CURRENT';
    SELECT v.id, v.sealed_password, v.key_id, v.nonce
    INTO previous_id, previous_sealed, previous_key_id, previous_nonce
    FROM credential_versions v WHERE v.site_id = p_site AND v.state = 'PREVIOUS';
  END IF;
  id := s.id; org_id := s.org_id; username := s.username; ip_address := s.ip_address; api_port := s.api_port;
  server_ip := s.server_ip; tls := s.tls; status := s.status; created_at := s.created_at; updated_at := s.updated_at;
  RETURN NEXT;
END;
$$;

-- Step 5, applied: lock the site, then the pending version; demote the current one, promote the pending one;
-- record the Idempotency-Key when given; the site back in sync when it was not; the audit event. Returns the
-- promoted version, or no row, with nothing changed, when the version is no longer PENDING (settled by someone
-- else).
CREATE OR REPLACE FUNCTION cp_promote(p_site UUID, p_pending UUID, p_actor TEXT, p_request_id TEXT,
                                      p_idempotency_key TEXT, p_detail TEXT)
RETURNS SETOF credential_versions
LANGUAGE plpgsql AS $$
DECLARE
  s_org    TEXT;
  s_status TEXT;
  promoted credential_versions%ROWTYPE;
BEGIN
  -- The one commit of a rotation that need not wait for the disk (docs/RELIABILITY.md, "One durable commit per
  -- rotation"): if a crash of PostgreSQL loses it, the durable PENDING row is still there and the reconciler finds
  -- that its password logs in and promotes it; any later durable commit (the next cp_take_slot) flushes it first.
  PERFORM set_config('synchronous_commit', 'off', true);
  SELECT s.org_id, s.status INTO s_org, s_status FROM sites s WHERE s.id = p_site FOR UPDATE;
  PERFORM 1 FROM credential_versions v WHERE v.id = p_pending AND v.state = 'PENDING' FOR UPDATE;
  IF NOT FOUND THEN
    RETURN;
  END IF;
  PERFORM cp_demote_current(p_site);
  UPDATE credential_versions SET state = 'CURRENT', lease_expires_at = NULL, invalidated_at = NULL, last_error = NULL,
    updated_at = now()
  WHERE id = p_pending AND state = 'PENDING'
  RETURNING * INTO promoted;
  IF p_idempotency_key IS NOT NULL THEN
    INSERT INTO idempotency_records (org_id, key, site_id, action, credential_version_id)
    VALUES (s_org, p_idempotency_key, p_site, 'rotate', p_pending)
    ON CONFLICT (org_id, key) DO UPDATE SET site_id = EXCLUDED.site_id, action = EXCLUDED.action,
      credential_version_id = EXCLUDED.credential_version_id, created_at = now()
    WHERE idempotency_records.created_at <= now() - interval '24 hours';
  END IF;
  IF s_status IS DISTINCT FROM 'in_sync' THEN
    UPDATE sites SET status = 'in_sync', updated_at = now(), recheck_at = NULL, recheck_attempts = 0
    WHERE id = p_site AND status <> 'in_sync';
  END IF;
  PERFORM cp_audit(p_actor, 'credential.rotate', s_org, p_site, p_pending, 'applied', p_request_id, p_detail);
  RETURN NEXT promoted;
END;
$$;

-- Many rotations' step 2 in one statement and one durable commit (docs/PERFORMANCE.md, "Batched slots"): element i
-- of each array is one cp_take_slot call, answered as cp_take_slot would in the order of the sites' ids. Set-based:
-- a fixed number of statements whatever the batch size (docs/PERFORMANCE.md, "Set-based batch functions"). The sites
-- are locked in the order of their ids, as every other batch here does, so two batches never wait on each other in a
-- cycle; what follows sees everything committed before the locks were granted. An element whose site is missing,
-- deleted or another organisation's gets no row. Of the others: 'pending' (nothing written) when the site already has
-- a PENDING version (exact: a PENDING version is only ever inserted under the site's lock, which this holds); 'busy'
-- while a re-push holds the site; otherwise the first element of the site takes the slot ('taken': the PENDING
-- version and its audit event written, the sealed CURRENT and PREVIOUS passwords returned), and any later one finds
-- its PENDING version. One row per answered element, with idx = i; the pin and TLS name are read after the lock.
CREATE OR REPLACE FUNCTION cp_take_slots(p_sites UUID[], p_orgs TEXT[], p_versions UUID[], p_sealed BYTEA[],
                                         p_key_ids TEXT[], p_nonces BYTEA[], p_lease_seconds DOUBLE PRECISION,
                                         p_actors TEXT[], p_request_ids TEXT[], p_owner UUID)
RETURNS TABLE (idx INTEGER, outcome TEXT, id UUID, org_id TEXT, username TEXT, ip_address TEXT, api_port INTEGER,
               server_ip TEXT, tls BOOLEAN, status TEXT, created_at TIMESTAMPTZ, updated_at TIMESTAMPTZ,
               tls_fingerprint TEXT, tls_server_name TEXT,
               current_id UUID, current_sealed BYTEA, current_key_id TEXT, current_nonce BYTEA,
               previous_id UUID, previous_sealed BYTEA, previous_key_id TEXT, previous_nonce BYTEA)
LANGUAGE plpgsql AS $$
#variable_conflict use_column
DECLARE
  e_idx INTEGER[];
  e_out TEXT[];
BEGIN
  PERFORM set_config('synchronous_commit', 'on', true);
  PERFORM 1 FROM sites s WHERE s.id = ANY (p_sites) ORDER BY s.id FOR UPDATE;
  SELECT array_agg(a.ord), array_agg(CASE WHEN a.had_pending THEN 'pending'
                                          WHEN a.push_lease_until > now() THEN 'busy'
                                          WHEN a.nth = 1 THEN 'taken'
                                          ELSE 'pending' END)
  INTO e_idx, e_out
  FROM (SELECT e.ord::INTEGER AS ord, s.push_lease_until,
          EXISTS (SELECT 1 FROM credential_versions c WHERE c.site_id = s.id AND c.state = 'PENDING') AS had_pending,
          row_number() OVER (PARTITION BY s.id ORDER BY e.ord) AS nth
        FROM unnest(p_sites) WITH ORDINALITY AS e(site, ord)
        JOIN sites s ON s.id = e.site
        WHERE s.org_id = p_orgs[e.ord] AND s.deleted_at IS NULL) a;
  IF e_idx IS NULL THEN
    RETURN;
  END IF;
  INSERT INTO credential_versions (id, site_id, state, sealed_password, key_id, nonce, lease_expires_at, owner_process)
  SELECT p_versions[o.i], p_sites[o.i], 'PENDING', p_sealed[o.i], p_key_ids[o.i], p_nonces[o.i],
    now() + make_interval(secs => p_lease_seconds), p_owner
  FROM unnest(e_idx, e_out) AS o(i, outcome) WHERE o.outcome = 'taken' ORDER BY p_sites[o.i];
  INSERT INTO audit_events (actor, action, org_id, site_id, version_id, outcome, request_id, detail)
  SELECT coalesce(p_actors[o.i], 'unknown'), 'credential.rotate', p_orgs[o.i], p_sites[o.i], p_versions[o.i],
    'pending', p_request_ids[o.i], NULL
  FROM unnest(e_idx, e_out) AS o(i, outcome) WHERE o.outcome = 'taken' ORDER BY p_sites[o.i];
  RETURN QUERY
    SELECT o.i, o.outcome, s.id, s.org_id, s.username, s.ip_address, s.api_port, s.server_ip, s.tls, s.status,
      s.created_at, s.updated_at, s.tls_fingerprint, s.tls_server_name,
      cur.id, cur.sealed_password, cur.key_id, cur.nonce, prev.id, prev.sealed_password, prev.key_id, prev.nonce
    FROM unnest(e_idx, e_out) AS o(i, outcome)
    JOIN sites s ON s.id = p_sites[o.i]
    LEFT JOIN credential_versions cur ON o.outcome = 'taken' AND cur.site_id = s.id AND cur.state = 'CURRENT'
    LEFT JOIN credential_versions prev ON o.outcome = 'taken' AND prev.site_id = s.id AND prev.state = 'PREVIOUS'
    ORDER BY s.id, o.i;
END;
$$;

-- Many rotations' step 5 (applied) in one statement and one commit: element i of each array is one cp_promote call.
-- Not flushed before it returns, like cp_promote. One row per promoted version, with idx = i; none for a version that
-- was no longer PENDING (nor for a repeat of a version earlier in the arrays). Set-based: a fixed number of
-- statements whatever the batch size (docs/PERFORMANCE.md, "Set-based batch functions"). The sites are locked in the
-- order of their ids, as every batch here does, then their pending versions; then each state change is made for all
-- of them at once, demotions first (the partial unique indexes are checked row by row, and each statement touches
-- one row per site).
CREATE OR REPLACE FUNCTION cp_promote_many(p_sites UUID[], p_pendings UUID[], p_actors TEXT[], p_request_ids TEXT[],
                                           p_idempotency_keys TEXT[], p_details TEXT[])
RETURNS TABLE (idx INTEGER, id UUID, site_id UUID, state TEXT, sealed_password BYTEA, key_id TEXT, nonce BYTEA,
               created_at TIMESTAMPTZ, updated_at TIMESTAMPTZ, invalidated_at TIMESTAMPTZ,
               lease_expires_at TIMESTAMPTZ, attempts INTEGER, last_error TEXT)
LANGUAGE plpgsql AS $$
#variable_conflict use_column
DECLARE
  ok_idx   INTEGER[];
  ok_sites UUID[];
  ok_pends UUID[];
BEGIN
  PERFORM set_config('synchronous_commit', 'off', true);
  PERFORM 1 FROM sites s WHERE s.id = ANY (p_sites) ORDER BY s.id FOR UPDATE;
  PERFORM 1 FROM credential_versions v WHERE v.id = ANY (p_pendings) AND v.state = 'PENDING' ORDER BY v.id FOR UPDATE;
  -- What is promoted: each version still PENDING on its site, once (its first element).
  SELECT array_agg(u.ord), array_agg(u.site), array_agg(u.pending) INTO ok_idx, ok_sites, ok_pends
  FROM (SELECT DISTINCT ON (x.pending) x.site, x.pending, x.ord::INTEGER AS ord
        FROM unnest(p_sites, p_pendings) WITH ORDINALITY AS x(site, pending, ord)
        ORDER BY x.pending, x.ord) u
  JOIN credential_versions v ON v.id = u.pending AND v.site_id = u.site AND v.state = 'PENDING';
  IF ok_idx IS NULL THEN
    RETURN;
  END IF;
  UPDATE credential_versions v SET state = 'SUPERSEDED', updated_at = now()
  WHERE v.site_id = ANY (ok_sites) AND v.state = 'PREVIOUS';
  UPDATE credential_versions v SET state = 'PREVIOUS', invalidated_at = now(), updated_at = now()
  WHERE v.site_id = ANY (ok_sites) AND v.state = 'CURRENT';
  RETURN QUERY
    WITH promoted AS (
      UPDATE credential_versions v SET state = 'CURRENT', lease_expires_at = NULL, invalidated_at = NULL,
        last_error = NULL, updated_at = now()
      WHERE v.id = ANY (ok_pends) AND v.state = 'PENDING'
      RETURNING v.*)
    SELECT o.i, p.id, p.site_id, p.state, p.sealed_password, p.key_id, p.nonce, p.created_at, p.updated_at,
      p.invalidated_at, p.lease_expires_at, p.attempts, p.last_error
    FROM unnest(ok_idx, ok_pends) AS o(i, pending) JOIN promoted p ON p.id = o.pending;
  -- One row per key (the first site in id order, as calls one by one would leave it): a second row for the same key
  -- would make the statement fail.
  INSERT INTO idempotency_records (org_id, key, site_id, action, credential_version_id)
  SELECT DISTINCT ON (s.org_id, p_idempotency_keys[o.i]) s.org_id, p_idempotency_keys[o.i], o.site, 'rotate',
    o.pending
  FROM unnest(ok_idx, ok_sites, ok_pends) AS o(i, site, pending) JOIN sites s ON s.id = o.site
  WHERE p_idempotency_keys[o.i] IS NOT NULL
  ORDER BY s.org_id, p_idempotency_keys[o.i], o.site
  ON CONFLICT (org_id, key) DO UPDATE SET site_id = EXCLUDED.site_id, action = EXCLUDED.action,
    credential_version_id = EXCLUDED.credential_version_id, created_at = now()
  WHERE idempotency_records.created_at <= now() - interval '24 hours';
  UPDATE sites s SET status = 'in_sync', updated_at = now(), recheck_at = NULL, recheck_attempts = 0
  WHERE s.id = ANY (ok_sites) AND s.status <> 'in_sync';
  INSERT INTO audit_events (actor, action, org_id, site_id, version_id, outcome, request_id, detail)
  SELECT coalesce(p_actors[o.i], 'unknown'), 'credential.rotate', s.org_id, o.site, o.pending, 'applied',
    p_request_ids[o.i], p_details[o.i]
  FROM unnest(ok_idx, ok_sites, ok_pends) AS o(i, site, pending) JOIN sites s ON s.id = o.site
  ORDER BY o.site;
END;
$$;
