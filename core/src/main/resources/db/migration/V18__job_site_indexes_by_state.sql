-- Bulk-job sites indexed by state, queued and running apart (docs/PERFORMANCE.md, "Bulk-job sites indexed by state").
--
-- The ends, lease renewals and requeues of running sites (cp_finish_job_sites, JobQueries.RENEW_LEASES and
-- REQUEUE_SITE) find each site by its key and `state = 'running'`. That condition implies the predicate of the two
-- partial indexes of open sites (queued or running), and after an ANALYZE taken while few sites were open the planner
-- reads one of them whole for every batch of ends: every queued site of every open job, with a heap visit each
-- (auto_explain, "Index Scan using rotation_job_sites_claimable ... Filter: state = 'running'"). A cached plan keeps
-- that choice until the next ANALYZE, so a bulk-job run cost PostgreSQL 0.5 or 0.8 to 1.1 ms per rotation depending
-- on when the statistics were last taken.
--
-- Now queued and running sites each have their own partial index, and no index holds both: a statement about
-- running sites can only read the running ones (at most the jobs' max_in_flight, whatever the statistics say) or the
-- primary key. Claims read the queued index from the job's first queued site, no longer stepping over the running
-- ones; a site is written into the same number of indexes as before (queued: primary key and queued index; claimed:
-- primary key and running index; ended: primary key).
DROP INDEX rotation_job_sites_open;
DROP INDEX rotation_job_sites_claimable;
CREATE INDEX rotation_job_sites_queued ON rotation_job_sites (job_id, claim_seq) WHERE state = 'queued';
CREATE INDEX rotation_job_sites_running ON rotation_job_sites (job_id, site_id) WHERE state = 'running';

-- Whether job p_job has nothing left to do: no queued site and no running one, each asked of its own index.
CREATE FUNCTION cp_job_sites_done(p_job UUID) RETURNS BOOLEAN LANGUAGE sql STABLE AS $$
  SELECT NOT EXISTS (SELECT 1 FROM rotation_job_sites x WHERE x.job_id = p_job AND x.state = 'queued')
     AND NOT EXISTS (SELECT 1 FROM rotation_job_sites x WHERE x.job_id = p_job AND x.state = 'running')
$$;

-- As V15: up to p_limit claimable sites of job p_job for p_owner, never more than the job's max_in_flight running
-- under a live lease; the caller holds the job's row lock. Running sites whose lease ran out are claimed first (in
-- the snapshot's order), then queued sites that are due (in the snapshot's order). Each picks its sites in a
-- materialised CTE, run once: as `site_id IN (SELECT ... LIMIT n FOR UPDATE SKIP LOCKED)` a plan that rescans the
-- subquery for each row (a nested-loop semi join) would lock and take n more sites at each rescan, past the limit.
CREATE OR REPLACE FUNCTION cp_claim_job_sites(p_job UUID, p_owner TEXT, p_lease_seconds DOUBLE PRECISION,
    p_limit INTEGER)
RETURNS TABLE (job_id UUID, org_id TEXT, actor TEXT, site_id UUID, server_ip TEXT, attempts INTEGER)
LANGUAGE plpgsql AS $$
#variable_conflict use_column
DECLARE
  j rotation_jobs%ROWTYPE;
  live INTEGER;
  expired INTEGER;
  free INTEGER;
  taken INTEGER := 0;
  n INTEGER;
BEGIN
  SELECT * INTO j FROM rotation_jobs WHERE rotation_jobs.id = p_job;
  IF NOT FOUND OR j.state NOT IN ('queued', 'running') THEN
    RETURN;
  END IF;
  SELECT count(*) FILTER (WHERE s.lease_until >= now()), count(*) FILTER (WHERE s.lease_until < now())
    INTO live, expired FROM rotation_job_sites s WHERE s.job_id = p_job AND s.state = 'running';
  free := least(p_limit, j.max_in_flight - live);
  IF free <= 0 THEN
    RETURN;
  END IF;
  IF expired > 0 THEN
    RETURN QUERY WITH picked AS MATERIALIZED (
        SELECT c.site_id FROM rotation_job_sites c
        WHERE c.job_id = p_job AND c.state = 'running' AND c.lease_until < now()
        ORDER BY c.claim_seq LIMIT free FOR UPDATE SKIP LOCKED)
      UPDATE rotation_job_sites s SET claimed_by = p_owner,
        lease_until = now() + make_interval(secs => p_lease_seconds), attempts = s.attempts + 1
      FROM picked WHERE s.job_id = p_job AND s.site_id = picked.site_id
      RETURNING s.job_id, j.org_id, j.actor, s.site_id, s.server_ip, s.attempts;
    GET DIAGNOSTICS taken = ROW_COUNT;
  END IF;
  IF taken < free THEN
    RETURN QUERY WITH picked AS MATERIALIZED (
        SELECT c.site_id FROM rotation_job_sites c
        WHERE c.job_id = p_job AND c.state = 'queued' AND (c.not_before IS NULL OR c.not_before <= now())
        ORDER BY c.claim_seq LIMIT free - taken FOR UPDATE SKIP LOCKED)
      UPDATE rotation_job_sites s SET state = 'running', claimed_by = p_owner,
        lease_until = now() + make_interval(secs => p_lease_seconds), not_before = NULL, attempts = s.attempts + 1
      FROM picked WHERE s.job_id = p_job AND s.site_id = picked.site_id
      RETURNING s.job_id, j.org_id, j.actor, s.site_id, s.server_ip, s.attempts;
    GET DIAGNOSTICS n = ROW_COUNT;
    taken := taken + n;
  END IF;
  IF taken > 0 AND j.state = 'queued' THEN
    UPDATE rotation_jobs SET state = 'running', updated_at = now() WHERE rotation_jobs.id = p_job AND state = 'queued';
  END IF;
END;
$$;

-- As V16, with a job's "nothing left to do" asked of each index (cp_job_sites_done).
CREATE OR REPLACE FUNCTION cp_finish_job_sites(p_jobs UUID[], p_sites UUID[], p_outcomes TEXT[], p_errors TEXT[],
    p_owner TEXT, p_lease_seconds DOUBLE PRECISION, p_claim_limit INTEGER, p_claiming UUID[])
RETURNS TABLE (ended BOOLEAN, job_id UUID, org_id TEXT, actor TEXT, site_id UUID, server_ip TEXT, attempts INTEGER)
LANGUAGE plpgsql AS $$
#variable_conflict use_column
DECLARE
  done_jobs UUID[];
  done_sites UUID[];
  done_outcomes TEXT[];
  count_jobs UUID[];
  count_succeeded INTEGER[];
  count_failed INTEGER[];
  count_unknown INTEGER[];
BEGIN
  PERFORM set_config('synchronous_commit', 'off', true);
  PERFORM 1 FROM rotation_jobs j WHERE j.id = ANY(p_jobs) ORDER BY j.id FOR UPDATE;
  WITH e AS (
    UPDATE rotation_job_sites s SET state = u.outcome, last_error = u.error, finished_at = now(), claimed_by = NULL,
        lease_until = NULL
      FROM unnest(p_jobs, p_sites, p_outcomes, p_errors) AS u(job_id, site_id, outcome, error)
      WHERE s.job_id = u.job_id AND s.site_id = u.site_id AND s.state = 'running' AND s.claimed_by = p_owner
      RETURNING s.job_id, s.site_id, s.state)
  SELECT array_agg(e.job_id), array_agg(e.site_id), array_agg(e.state) INTO done_jobs, done_sites, done_outcomes
    FROM e;
  IF done_jobs IS NOT NULL THEN
    SELECT array_agg(d.job_id), array_agg(d.succeeded), array_agg(d.failed), array_agg(d.unknown)
      INTO count_jobs, count_succeeded, count_failed, count_unknown
      FROM (SELECT o.job_id, count(*) FILTER (WHERE o.outcome = 'succeeded')::INTEGER AS succeeded,
              count(*) FILTER (WHERE o.outcome = 'failed')::INTEGER AS failed,
              count(*) FILTER (WHERE o.outcome NOT IN ('succeeded', 'failed'))::INTEGER AS unknown
            FROM unnest(done_jobs, done_outcomes) AS o(job_id, outcome) GROUP BY o.job_id) d;
    -- A statement of its own, after the ends: its NOT EXISTS sees them (and every other process's committed end,
    -- which the job lock orders before this one). Its FROM is an unnest of arrays, as when the counts came from the
    -- client: over a grouped FROM the planner may run the NOT EXISTS as one hashed pass over every open site.
    UPDATE rotation_jobs j SET succeeded = j.succeeded + c.succeeded, failed = j.failed + c.failed,
        unknown = j.unknown + c.unknown, updated_at = now(),
        state = CASE WHEN j.state IN ('queued', 'running') AND cp_job_sites_done(j.id) THEN 'completed'
                ELSE j.state END,
        finished_at = CASE WHEN j.state IN ('queued', 'running') AND cp_job_sites_done(j.id) THEN now()
                      ELSE j.finished_at END
      FROM unnest(count_jobs, count_succeeded, count_failed, count_unknown) AS c(job_id, succeeded, failed, unknown)
      WHERE j.id = c.job_id;
    RETURN QUERY SELECT true, d.job_id, NULL::TEXT, NULL::TEXT, d.site_id, NULL::TEXT, NULL::INTEGER
      FROM unnest(done_jobs, done_sites) AS d(job_id, site_id);
  END IF;
  IF p_claim_limit > 0 THEN
    RETURN QUERY SELECT false, c.job_id, c.org_id, c.actor, c.site_id, c.server_ip, c.attempts
      FROM unnest(p_claiming) AS k(id), LATERAL cp_claim_job_sites(k.id, p_owner, p_lease_seconds, p_claim_limit) AS c;
  END IF;
END;
$$;
