package controlplane.core.persistence;

/**
 * The SQL of bulk rotation jobs (V10): {@code rotation_jobs} and the snapshot of their sites,
 * {@code rotation_job_sites}. A sibling of {@link SqlQueries}; parameters are positional.
 */
final class JobQueries {

  static final String JOB_COLUMNS = "id, org_id, actor, max_in_flight, state, total, succeeded, failed, unknown,"
      + " created_at, updated_at, finished_at";

  /** A new job, unless organisation $2 already used Idempotency-Key $6 (then no row). */
  static final String INSERT_JOB = """
      INSERT INTO rotation_jobs (id, org_id, actor, selector, max_in_flight, idempotency_key, request_id, state)
      VALUES ($1, $2, $3, $4, $5, $6, $7, 'queued')
      ON CONFLICT (org_id, idempotency_key) WHERE idempotency_key IS NOT NULL DO NOTHING
      RETURNING id""";

  static final String SELECT_JOB_BY_KEY = "SELECT " + JOB_COLUMNS
      + " FROM rotation_jobs WHERE org_id = $1 AND idempotency_key = $2";

  /**
   * The snapshot: the live sites of organisation $2 that the selector names (site ids $3, edge $4, status $5; a null
   * criterion holds for every site), as queued sites of job $1.
   */
  static final String INSERT_JOB_SITES = """
      INSERT INTO rotation_job_sites (job_id, site_id, server_ip)
      SELECT $1, id, server_ip FROM sites
      WHERE org_id = $2 AND deleted_at IS NULL
        AND ($3::uuid[] IS NULL OR id = ANY ($3::uuid[]))
        AND ($4::text IS NULL OR server_ip = $4::text)
        AND ($5::text IS NULL OR status = $5::text)""";

  /** Sets the total of job $1 to $2; a job of no site is completed at once. */
  static final String SET_TOTAL = "UPDATE rotation_jobs SET total = $2,"
      + " state = CASE WHEN $2 = 0 THEN 'completed' ELSE state END,"
      + " finished_at = CASE WHEN $2 = 0 THEN now() ELSE finished_at END, updated_at = now()"
      + " WHERE id = $1 RETURNING " + JOB_COLUMNS;

  /** Job $1 of organisation $2. */
  static final String SELECT_JOB = "SELECT " + JOB_COLUMNS + " FROM rotation_jobs WHERE id = $1 AND org_id = $2";

  /** Up to $3 jobs of organisation $1, newest first, after job $2 (null: from the newest). */
  static final String LIST_JOBS = "SELECT " + JOB_COLUMNS + " FROM rotation_jobs WHERE org_id = $1"
      + " AND ($2::uuid IS NULL OR (created_at, id) < (SELECT created_at, id FROM rotation_jobs"
      + " WHERE id = $2::uuid AND org_id = $1)) ORDER BY created_at DESC, id DESC LIMIT $3";

  /** Cancels job $1 of organisation $2 unless it has ended; no row when it has (or is not there). */
  static final String CANCEL_JOB = "UPDATE rotation_jobs SET state = 'cancelled', updated_at = now(),"
      + " finished_at = now() WHERE id = $1 AND org_id = $2 AND state IN ('queued', 'running') RETURNING "
      + JOB_COLUMNS;

  /**
   * Up to $1 unfinished jobs, oldest first, with a site that may be claimed now: queued and due, or running with a
   * lease run out (each asked of its own index, V18).
   */
  static final String JOBS_WITH_WORK = "SELECT id FROM rotation_jobs j WHERE state IN ('queued', 'running')"
      + " AND (EXISTS (SELECT 1 FROM rotation_job_sites s WHERE s.job_id = j.id AND s.state = 'queued'"
      + " AND (s.not_before IS NULL OR s.not_before <= now()))"
      + " OR EXISTS (SELECT 1 FROM rotation_job_sites s WHERE s.job_id = j.id AND s.state = 'running'"
      + " AND s.lease_until < now()))"
      + " ORDER BY created_at LIMIT $1";

  /**
   * Locks unfinished job $1 for a claim: one process at a time counts and claims its sites (SKIP LOCKED: a process
   * that finds it locked leaves it for this round), so {@code max_in_flight} holds across processes.
   */
  static final String LOCK_JOB_FOR_CLAIM = "SELECT 1 FROM rotation_jobs"
      + " WHERE id = $1 AND state IN ('queued', 'running') FOR UPDATE SKIP LOCKED";

  /** Claims up to $4 sites of job $1 (locked by the caller) for process $2, leased for $3 seconds (V15). */
  static final String CLAIM_SITES = "SELECT job_id, org_id, actor, site_id, server_ip, attempts"
      + " FROM cp_claim_job_sites($1, $2, $3, $4)";

  /**
   * Ends sites $2[i] of jobs $1[i] held by process $5 with outcomes $3[i] (errors $4[i]), counts them in their jobs,
   * then claims up to $7 sites of each job of $8 for $5, leased for $6 seconds: one statement, its commit not flushed
   * (V16). Rows: {@code ended} true for each site ended, false for each claimed.
   */
  static final String FINISH_SITES = "SELECT ended, job_id, org_id, actor, site_id, server_ip, attempts"
      + " FROM cp_finish_job_sites($1, $2, $3, $4, $5, $6, $7, $8)";

  /** Puts site $2 of job $1, held by process $5, back in the queue for $3 seconds (why: $4). */
  static final String REQUEUE_SITE = "UPDATE rotation_job_sites SET state = 'queued', claimed_by = NULL,"
      + " lease_until = NULL, not_before = now() + make_interval(secs => $3), last_error = $4"
      + " WHERE job_id = $1 AND site_id = $2 AND state = 'running' AND claimed_by = $5";

  /**
   * Renews for $2 seconds the leases of the sites $4[i] of jobs $3[i] that process $1 holds and is rotating. Only
   * those: a site claimed in a transaction whose answer was lost is held in the table but not run, and must come
   * free when its lease runs out.
   */
  static final String RENEW_LEASES = """
      UPDATE rotation_job_sites s SET lease_until = now() + make_interval(secs => $2)
      FROM unnest($3::uuid[], $4::uuid[]) AS h(job_id, site_id)
      WHERE s.job_id = h.job_id AND s.site_id = h.site_id AND s.state = 'running' AND s.claimed_by = $1""";

  /** Completes unfinished jobs with nothing left to do (a safety net; outcomes complete their job themselves). */
  static final String COMPLETE_DONE_JOBS = "UPDATE rotation_jobs j SET state = 'completed', finished_at = now(),"
      + " updated_at = now() WHERE state IN ('queued', 'running') AND cp_job_sites_done(j.id)";

  /** Jobs per state. */
  static final String COUNT_JOBS_BY_STATE = "SELECT state, count(*) AS n FROM rotation_jobs GROUP BY state";

  /** Sites still to do in unfinished jobs. */
  static final String COUNT_REMAINING_SITES = "SELECT (SELECT count(*) FROM rotation_job_sites s JOIN rotation_jobs j"
      + " ON j.id = s.job_id WHERE s.state = 'queued' AND j.state IN ('queued', 'running'))"
      + " + (SELECT count(*) FROM rotation_job_sites s JOIN rotation_jobs j"
      + " ON j.id = s.job_id WHERE s.state = 'running' AND j.state IN ('queued', 'running')) AS count";

  private JobQueries() {
  }
}
