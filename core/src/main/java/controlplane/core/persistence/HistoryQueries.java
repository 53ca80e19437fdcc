package controlplane.core.persistence;

/** The statements of {@link HistoryRepository}: reads only, never a sealed value. */
final class HistoryQueries {

  /**
   * Up to $2 versions of site $1, newest first: id, state, times and last_error (why it is in its state), never
   * sealed_password, key_id or nonce. On the index credential_versions_site (site_id, state).
   */
  static final String SELECT_HISTORY = "SELECT id, state, created_at, updated_at, last_error FROM credential_versions"
      + " WHERE site_id = $1 ORDER BY created_at DESC, id DESC LIMIT $2";

  /**
   * Up to $3 audit events of site $1, newest first (by at, then id), after the event $2 (null: from the newest).
   * Keyset on (at, id), on the index audit_events_site (site_id, at): a page costs its rows, however deep.
   */
  static final String SELECT_AUDIT_PAGE = """
      SELECT id, at, actor, action, outcome, version_id, request_id, detail FROM audit_events
      WHERE site_id = $1
        AND ($2::bigint IS NULL OR (at, id) < (SELECT a.at, a.id FROM audit_events a WHERE a.id = $2::bigint))
      ORDER BY at DESC, id DESC LIMIT $3""";

  private HistoryQueries() {
  }
}
