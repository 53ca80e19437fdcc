package controlplane.core.persistence;

import io.vertx.core.Future;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.Tuple;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * Sites. Every method takes the client to run on: the pool, or the connection of a transaction. A deleted site is
 * invisible to the methods about live sites; the {@code Deleted} ones are about deleted sites only.
 */
public final class SiteRepository {

  /** V6: a router (edge, address, API port, API user) belongs to one site at most, of any organisation. */
  public static final String ONE_ENROLMENT_INDEX = "sites_one_enrolment_per_router";

  /** A site locked for update, and whether a re-push of its current password holds it. */
  public record Locked(Site site, boolean pushBusy) {
  }

  /** The live site {@code id} when it belongs to {@code orgId}; another organisation's site is not found either. */
  public Future<Optional<Site>> find(SqlClient client, UUID id, String orgId) {
    return find(client, id).map(s -> s.filter(site -> site.orgId().equals(orgId)));
  }

  /** The live site {@code id}, whatever its organisation. */
  public Future<Optional<Site>> find(SqlClient client, UUID id) {
    return client.preparedQuery(SqlQueries.SELECT_SITE).execute(Tuple.of(id)).map(SiteRepository::first);
  }

  /** The id of the site, of any organisation, enrolled with this router; empty when there is none. */
  public Future<Optional<UUID>> enrolledWith(SqlClient client, String serverIp, String ipAddress, int apiPort,
                                            String username) {
    return client.preparedQuery(SqlQueries.SELECT_SITE_OF_ROUTER)
        .execute(Tuple.of(serverIp, ipAddress, apiPort, username))
        .map(rows -> rows.size() == 0 ? Optional.empty() : Optional.of(rows.iterator().next().getUUID("id")));
  }

  /** Locks the live site's row until the end of the transaction of {@code client}. */
  public Future<Optional<Locked>> lock(SqlClient client, UUID id) {
    return client.preparedQuery(SqlQueries.LOCK_SITE).execute(Tuple.of(id)).map(rows -> {
      if (rows.size() == 0) {
        return Optional.empty();
      }
      Row r = rows.iterator().next();
      return Optional.of(new Locked(map(r), r.getBoolean("push_busy")));
    });
  }

  /** Inserts or updates a site, without a certificate pin; empty when the id belongs to another organisation. */
  public Future<Optional<Site>> upsert(SqlClient client, UUID id, String orgId, String username, String ipAddress,
                                       int apiPort, String serverIp, boolean tls) {
    return upsert(client, id, orgId, username, ipAddress, apiPort, serverIp, tls, null, Site.IN_SYNC);
  }

  /**
   * Inserts or updates a site with {@code tlsFingerprint} as its pin (null: none) and {@code status}
   * ({@link Site#IN_SYNC}, or {@link Site#UNVERIFIED} when nobody proved the password); empty when the id belongs to
   * another organisation.
   */
  public Future<Optional<Site>> upsert(SqlClient client, UUID id, String orgId, String username, String ipAddress,
                                       int apiPort, String serverIp, boolean tls, String tlsFingerprint,
                                       String status) {
    return upsert(client, id, orgId, username, ipAddress, apiPort, serverIp, tls, tlsFingerprint, status, null);
  }

  /** As above, with the TLS server name of an API-SSL router enrolled by host name (null: none). */
  public Future<Optional<Site>> upsert(SqlClient client, UUID id, String orgId, String username, String ipAddress,
                                       int apiPort, String serverIp, boolean tls, String tlsFingerprint,
                                       String status, String tlsServerName) {
    return client.preparedQuery(SqlQueries.UPSERT_SITE)
        .execute(Tuple.from(new Object[] {id, orgId, username, ipAddress, apiPort, serverIp, tls, tlsFingerprint,
            status, tlsServerName}))
        .map(SiteRepository::first);
  }

  /** Locks the row of site {@code id}, deleted or not (lock order only: nothing is read). */
  public Future<Void> lockRow(SqlClient client, UUID id) {
    return client.preparedQuery(SqlQueries.LOCK_SITE_ROW).execute(Tuple.of(id)).mapEmpty();
  }

  /** Soft-deletes the live site {@code id}, which the caller has locked; when it was deleted, empty if it was not. */
  public Future<Optional<OffsetDateTime>> softDelete(SqlClient client, UUID id) {
    return client.preparedQuery(SqlQueries.SOFT_DELETE_SITE).execute(Tuple.of(id)).map(rows -> rows.size() == 0
        ? Optional.empty() : Optional.of(rows.iterator().next().getOffsetDateTime("deleted_at")));
  }

  /** The deleted site {@code id}, whatever its organisation. */
  public Future<Optional<DeletedSite>> findDeleted(SqlClient client, UUID id) {
    return client.preparedQuery(SqlQueries.SELECT_DELETED_SITE).execute(Tuple.of(id))
        .map(SiteRepository::firstDeleted);
  }

  /** Locks the deleted site {@code id}, whatever its organisation, until the end of the transaction. */
  public Future<Optional<DeletedSite>> lockDeleted(SqlClient client, UUID id) {
    return client.preparedQuery(SqlQueries.LOCK_DELETED_SITE).execute(Tuple.of(id)).map(SiteRepository::firstDeleted);
  }

  /** Up to {@code limit} deleted sites of {@code orgId} after site id {@code after} (null: from the first), by id. */
  public Future<List<DeletedSite>> listDeleted(SqlClient client, String orgId, UUID after, int limit) {
    return client.preparedQuery(SqlQueries.LIST_DELETED_SITES).execute(Tuple.of(orgId, after, limit)).map(rows -> {
      List<DeletedSite> out = new ArrayList<>(rows.size());
      rows.forEach(r -> out.add(mapDeleted(r)));
      return out;
    });
  }

  /** Makes the deleted site {@code id} live again; the site, or empty when it was not deleted. */
  public Future<Optional<Site>> recover(SqlClient client, UUID id) {
    return client.preparedQuery(SqlQueries.RECOVER_SITE).execute(Tuple.of(id)).map(SiteRepository::first);
  }

  /** Removes the deleted site {@code id} with its versions and idempotency records; false when it was not deleted. */
  public Future<Boolean> purge(SqlClient client, UUID id) {
    return client.preparedQuery(SqlQueries.PURGE_SITE).execute(Tuple.of(id)).map(r -> r.rowCount() > 0);
  }

  /** Sets the status; true when it changed. */
  public Future<Boolean> setStatus(SqlClient client, UUID id, String status) {
    return client.preparedQuery(SqlQueries.SET_SITE_STATUS).execute(Tuple.of(id, status)).map(r -> r.rowCount() > 0);
  }

  /** Pins {@code fingerprint} on an API-SSL site that has no pin yet; true when it did. */
  public Future<Boolean> pinUnpinned(SqlClient client, UUID id, String fingerprint) {
    return client.preparedQuery(SqlQueries.PIN_UNPINNED).execute(Tuple.of(id, fingerprint))
        .map(r -> r.rowCount() > 0);
  }

  public Future<Void> takePushLease(SqlClient client, UUID id, int seconds) {
    return client.preparedQuery(SqlQueries.TAKE_PUSH_LEASE).execute(Tuple.of(id, (double) seconds)).mapEmpty();
  }

  public Future<Void> releasePushLease(SqlClient client, UUID id) {
    return client.preparedQuery(SqlQueries.RELEASE_PUSH_LEASE).execute(Tuple.of(id)).mapEmpty();
  }

  /**
   * Claims up to {@code limit} out_of_sync sites due for a re-check, setting their next one
   * min(baseSeconds * 2^attempts, capSeconds) from now.
   */
  public Future<List<Site>> claimOutOfSync(SqlClient client, long baseSeconds, long capSeconds, int limit) {
    return client.preparedQuery(SqlQueries.CLAIM_OUT_OF_SYNC)
        .execute(Tuple.of((double) baseSeconds, limit, (double) capSeconds))
        .map(rows -> {
          List<Site> out = new ArrayList<>();
          rows.forEach(r -> out.add(map(r)));
          return out;
        });
  }

  public Future<Long> countOutOfSync(SqlClient client) {
    return client.query(SqlQueries.COUNT_OUT_OF_SYNC).execute().map(r -> r.iterator().next().getLong(0));
  }

  private static Optional<Site> first(RowSet<Row> rows) {
    return rows.size() == 0 ? Optional.empty() : Optional.of(map(rows.iterator().next()));
  }

  private static Optional<DeletedSite> firstDeleted(RowSet<Row> rows) {
    return rows.size() == 0 ? Optional.empty() : Optional.of(mapDeleted(rows.iterator().next()));
  }

  private static DeletedSite mapDeleted(Row r) {
    return new DeletedSite(map(r), r.getOffsetDateTime("deleted_at"));
  }

  static Site map(Row r) {
    return new Site(r.getUUID("id"), r.getString("org_id"), r.getString("username"), r.getString("ip_address"),
        r.getInteger("api_port"), r.getString("server_ip"), r.getBoolean("tls"), r.getString("status"),
        r.getOffsetDateTime("created_at"), r.getOffsetDateTime("updated_at"), r.getString("tls_fingerprint"),
        r.getString("tls_server_name"));
  }
}
