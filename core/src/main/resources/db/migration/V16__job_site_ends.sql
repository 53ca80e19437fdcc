-- The ends of a batch of bulk-job sites in one statement (docs/PERFORMANCE.md, "Bulk jobs: ends in one statement";
-- why the job promises hold: docs/RELIABILITY.md, "Bulk jobs").
--
-- Before, JobRepository.finishMany was a transaction of six round trips (BEGIN, the job locks, the ends, the counts,
-- the claims, COMMIT), all of them under the jobs' row locks, which the other batch of ends of the same job waited
-- for; and its commit was flushed. Now it is this one function, its commit not flushed: a crash of PostgreSQL may
-- undo the last ends it acknowledged, which puts those sites back to running under a lease that nobody renews, so
-- they are claimed and rotated once more when it runs out, as after any end that failed to commit. A rotation's own
-- commits are not concerned: the PENDING version is committed flushed before the router changes, in its own
-- transaction.
--
-- The jobs p_jobs are locked in the order of their ids, as a claim locks its job; site p_sites[i] of job p_jobs[i],
-- still running under p_owner's claim, ends with outcome p_outcomes[i] (error p_errors[i]); each job counts its ended
-- sites and completes when none is left to do; then each job of p_claiming claims up to p_claim_limit sites for
-- p_owner (cp_claim_job_sites, V15). Rows: ended = true for each site ended here (job_id, site_id), ended = false for
-- each site claimed (every column).
CREATE FUNCTION cp_finish_job_sites(p_jobs UUID[], p_sites UUID[], p_outcomes TEXT[], p_errors TEXT[], p_owner TEXT,
    p_lease_seconds DOUBLE PRECISION, p_claim_limit INTEGER, p_claiming UUID[])
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
        state = CASE WHEN j.state IN ('queued', 'running') AND NOT EXISTS (SELECT 1 FROM rotation_job_sites x
                  WHERE x.job_id = j.id AND x.state IN ('queued', 'running')) THEN 'completed' ELSE j.state END,
        finished_at = CASE WHEN j.state IN ('queued', 'running') AND NOT EXISTS (SELECT 1 FROM rotation_job_sites x
                  WHERE x.job_id = j.id AND x.state IN ('queued', 'running')) THEN now() ELSE j.finished_at END
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
