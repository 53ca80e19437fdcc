package controlplane.core.persistence;

/**
 * The statements of {@link FleetSnapshot}: run once per refresh (every 15 s) and process, never per scrape. Cost on a
 * fleet of 100k sites: the first reads every live site once (a sequential scan of ~100k narrow rows, a few ms to a
 * few tens of ms of PostgreSQL CPU); the second every CURRENT version of a live site once (a scan of
 * credential_versions, which the housekeeper keeps to a few versions per site: some hundred thousand rows, tens of
 * ms). Both answer a handful of rows.
 */
final class FleetQueries {

  static final String SITES_BY_STATUS =
      "SELECT status, count(*) AS n FROM sites WHERE deleted_at IS NULL GROUP BY status";

  /**
   * The ages in seconds of the live sites' CURRENT versions, counted per bucket: bucket i holds the ages from
   * bound i (exclusive of bound i + 1), bucket 0 those below the first of the bounds $1; with each bucket's sum and
   * the oldest age.
   */
  static final String CURRENT_AGE_BUCKETS = """
      WITH a AS (
        SELECT extract(epoch FROM now() - v.created_at)::float8 AS age
        FROM credential_versions v JOIN sites s ON s.id = v.site_id
        WHERE v.state = 'CURRENT' AND s.deleted_at IS NULL)
      SELECT width_bucket(age, $1::float8[]) AS bucket, count(*) AS n, sum(age) AS total, max(age) AS oldest
      FROM a GROUP BY 1""";

  private FleetQueries() {
  }
}
