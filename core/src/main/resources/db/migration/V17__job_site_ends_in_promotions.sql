-- A bulk-job site that its rotation promoted ends in the promotion's own transaction (docs/PERFORMANCE.md, "Job
-- ends in the promotion"; why the job promises hold: docs/RELIABILITY.md, "Bulk jobs").
--
-- Before, a job's applied rotation committed its promotion (cp_promote_many) and then, in a transaction of its own,
-- its end (cp_finish_job_sites, V16), which also claimed the sites to run next: two statements, two batches to wait
-- for, and the job's rows written in a second transaction. Both commits are unflushed, so nothing changes in what a
-- crash of PostgreSQL may undo: the last promotions and ends it acknowledged, together now. A lost promotion leaves
-- the PENDING version to the reconciler; a lost end puts the site back to running under a lease nobody renews.
--
-- Element i of p_sites .. p_details is one cp_promote_many call; p_jobs[i] is the job whose claimed site p_sites[i]
-- is (NULL: not a job's rotation). Each version this statement promotes whose element has a job ends that job's site
-- as succeeded (cp_finish_job_sites: still running under p_owner's claim; counted; the job completes when none is
-- left), and each of those jobs that is in p_claiming claims up to p_claim_limit sites for p_owner. Locks: the sites
-- and versions first (cp_promote_many), then the jobs (cp_finish_job_sites); no transaction takes a job's row and
-- then a site's, so the order cannot cycle.
--
-- Rows: kind 'promoted' (idx and the version's columns, as cp_promote_many answers), 'ended' (job_id, site_id of
-- each site ended) and 'claimed' (job_id, org_id, actor, site_id, server_ip, attempts of each site claimed).
CREATE FUNCTION cp_promote_job_sites(p_sites UUID[], p_pendings UUID[], p_actors TEXT[], p_request_ids TEXT[],
    p_idempotency_keys TEXT[], p_details TEXT[], p_jobs UUID[], p_owner TEXT, p_lease_seconds DOUBLE PRECISION,
    p_claim_limit INTEGER, p_claiming UUID[])
RETURNS TABLE (kind TEXT, idx INTEGER, id UUID, site_id UUID, state TEXT, sealed_password BYTEA, key_id TEXT,
               nonce BYTEA, created_at TIMESTAMPTZ, updated_at TIMESTAMPTZ, invalidated_at TIMESTAMPTZ,
               lease_expires_at TIMESTAMPTZ, attempts INTEGER, last_error TEXT, job_id UUID, org_id TEXT,
               actor TEXT, server_ip TEXT)
LANGUAGE plpgsql AS $$
#variable_conflict use_column
DECLARE
  p RECORD;
  end_jobs UUID[] := '{}';
  end_sites UUID[] := '{}';
BEGIN
  -- A loop, not a set: only the versions promoted here end their sites (one already CURRENT, settled by the
  -- reconciler meanwhile, answers no row and is ended by the caller on its own).
  FOR p IN SELECT * FROM cp_promote_many(p_sites, p_pendings, p_actors, p_request_ids, p_idempotency_keys, p_details)
  LOOP
    kind := 'promoted'; idx := p.idx; id := p.id; site_id := p.site_id; state := p.state;
    sealed_password := p.sealed_password; key_id := p.key_id; nonce := p.nonce; created_at := p.created_at;
    updated_at := p.updated_at; invalidated_at := p.invalidated_at; lease_expires_at := p.lease_expires_at;
    attempts := p.attempts; last_error := p.last_error;
    RETURN NEXT;
    IF p_jobs[p.idx] IS NOT NULL THEN
      end_jobs := end_jobs || p_jobs[p.idx];
      end_sites := end_sites || p_sites[p.idx];
    END IF;
  END LOOP;
  IF cardinality(end_jobs) = 0 THEN
    RETURN;
  END IF;
  RETURN QUERY
    SELECT CASE WHEN f.ended THEN 'ended' ELSE 'claimed' END, NULL::INTEGER, NULL::UUID, f.site_id, NULL::TEXT,
      NULL::BYTEA, NULL::TEXT, NULL::BYTEA, NULL::TIMESTAMPTZ, NULL::TIMESTAMPTZ, NULL::TIMESTAMPTZ,
      NULL::TIMESTAMPTZ, f.attempts, NULL::TEXT, f.job_id, f.org_id, f.actor, f.server_ip
    FROM cp_finish_job_sites(end_jobs, end_sites, array_fill('succeeded'::TEXT, ARRAY[cardinality(end_jobs)]),
      array_fill(NULL::TEXT, ARRAY[cardinality(end_jobs)]), p_owner, p_lease_seconds, p_claim_limit,
      ARRAY(SELECT DISTINCT j FROM unnest(end_jobs) AS j WHERE j = ANY (p_claiming))) AS f;
END;
$$;
