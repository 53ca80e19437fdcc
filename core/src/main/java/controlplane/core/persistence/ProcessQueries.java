package controlplane.core.persistence;

/** The statements of {@link ProcessRegistry} on {@code cp_processes} (V12). */
final class ProcessQueries {

  /**
   * A heartbeat: an upsert, so that a process whose row was removed (it looked dead for a day, a long pause) is
   * registered again by its next beat. One index lookup and one small row: cheap at one per second and process.
   */
  static final String BEAT = """
      INSERT INTO cp_processes (id, host, pid) VALUES ($1, $2, $3)
      ON CONFLICT (id) DO UPDATE SET heartbeat_at = now()""";

  /** A graceful stop: the process is gone, its PENDING versions are taken over by the live ones at once. */
  static final String UNREGISTER = "DELETE FROM cp_processes WHERE id = $1";

  /** Rows of processes dead for longer than $1 seconds (killed ones never delete their own). */
  static final String PURGE_DEAD = "DELETE FROM cp_processes WHERE heartbeat_at < now() - make_interval(secs => $1)";

  private ProcessQueries() {
  }
}
