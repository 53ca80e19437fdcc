-- Claims of bulk-job sites that cost the same at the last site of a job as at the first (docs/PERFORMANCE.md,
-- "Bulk jobs: claims").
--
-- A claim took the job's claimable sites in the order of their ids, through the primary key, stepping over every
-- site already ended before finding one to claim: half-way through a 100,000-site job that was 50,000 rows (51 ms)
-- per claim, so a job cost O(sites^2). Sites are now claimed in the order of claim_seq (the order the snapshot
-- inserted them), which only this index of the open sites provides: a claim steps over at most the running ones
-- (max_in_flight). Ordering by site_id with a partial index of (job_id, site_id) is not enough: while the statistics
-- still say every site is queued (a job younger than the next ANALYZE), the planner takes the primary key, which
-- gives the same order, and the rows ended since.
-- Without a table rewrite: the column is added empty (sites of jobs created before this migration keep NULL, which
-- sorts last, so those claim in the index's order of their rows), and only new rows take the sequence.
CREATE SEQUENCE rotation_job_sites_claim_seq;
ALTER TABLE rotation_job_sites ADD COLUMN claim_seq BIGINT;
ALTER TABLE rotation_job_sites ALTER COLUMN claim_seq SET DEFAULT nextval('rotation_job_sites_claim_seq');
ALTER SEQUENCE rotation_job_sites_claim_seq OWNED BY rotation_job_sites.claim_seq;
CREATE INDEX rotation_job_sites_claimable ON rotation_job_sites (job_id, claim_seq)
  WHERE state IN ('queued', 'running');

-- Claims for process p_owner up to p_limit claimable sites of job p_job (queued and due, or running under a lease
-- that ran out), never more than the job's max_in_flight running under a live lease, whichever process holds them;
-- the first claim starts the job. Nothing for a job that has ended. The caller holds the job's row lock (FOR UPDATE),
-- which is what makes max_in_flight hold across processes: claims and the ends of sites of one job take it first.
CREATE FUNCTION cp_claim_job_sites(p_job UUID, p_owner TEXT, p_lease_seconds DOUBLE PRECISION, p_limit INTEGER)
RETURNS TABLE (job_id UUID, org_id TEXT, actor TEXT, site_id UUID, server_ip TEXT, attempts INTEGER)
LANGUAGE plpgsql AS $$
#variable_conflict use_column
DECLARE
  j rotation_jobs%ROWTYPE;
  free INTEGER;
BEGIN
  SELECT * INTO j FROM rotation_jobs WHERE rotation_jobs.id = p_job;
  IF NOT FOUND OR j.state NOT IN ('queued', 'running') THEN
    RETURN;
  END IF;
  SELECT least(p_limit, j.max_in_flight - count(*)) INTO free FROM rotation_job_sites s
  WHERE s.job_id = p_job AND s.state = 'running' AND s.lease_until >= now();
  IF free <= 0 THEN
    RETURN;
  END IF;
  RETURN QUERY UPDATE rotation_job_sites s SET state = 'running', claimed_by = p_owner,
      lease_until = now() + make_interval(secs => p_lease_seconds), not_before = NULL, attempts = s.attempts + 1
    WHERE s.job_id = p_job AND s.site_id IN (
      SELECT c.site_id FROM rotation_job_sites c
      WHERE c.job_id = p_job AND c.state IN ('queued', 'running')
        AND ((c.state = 'queued' AND (c.not_before IS NULL OR c.not_before <= now()))
          OR (c.state = 'running' AND c.lease_until < now()))
      ORDER BY c.claim_seq LIMIT free FOR UPDATE SKIP LOCKED)
    RETURNING s.job_id, j.org_id, j.actor, s.site_id, s.server_ip, s.attempts;
  IF FOUND AND j.state = 'queued' THEN
    UPDATE rotation_jobs SET state = 'running', updated_at = now() WHERE rotation_jobs.id = p_job AND state = 'queued';
  END IF;
END;
$$;
