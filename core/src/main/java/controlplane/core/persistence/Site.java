package controlplane.core.persistence;

import controlplane.core.bus.Fields;
import io.vertx.core.json.JsonObject;
import java.time.OffsetDateTime;
import java.util.UUID;

/** A managed router, as stored. Holds no password. */
public record Site(UUID id, String orgId, String username, String ipAddress, int apiPort, String serverIp,
                   boolean tls, String status, OffsetDateTime createdAt, OffsetDateTime updatedAt) {

  public static final String IN_SYNC = "in_sync";
  public static final String OUT_OF_SYNC = "out_of_sync";

  /** The public site object of {@code docs/EVENT-BUS.md}. */
  public JsonObject toJson() {
    return new JsonObject()
        .put(Fields.SITE_ID, id.toString())
        .put(Fields.ORG_ID, orgId)
        .put(Fields.USERNAME, username)
        .put(Fields.IP_ADDRESS, ipAddress)
        .put(Fields.API_PORT, apiPort)
        .put(Fields.SERVER_IP, serverIp)
        .put(Fields.TLS, tls)
        .put(Fields.STATUS, status)
        .put(Fields.CREATED_AT, Timestamps.format(createdAt))
        .put(Fields.UPDATED_AT, Timestamps.format(updatedAt));
  }

  /** The device-push target of this site. */
  public JsonObject target() {
    return new JsonObject()
        .put(Fields.SITE_ID, id.toString())
        .put(Fields.HOST, ipAddress)
        .put(Fields.PORT, apiPort)
        .put(Fields.TLS, tls)
        .put(Fields.USERNAME, username);
  }
}
