package controlplane.core.bus;

import io.vertx.core.json.JsonObject;

/**
 * The site object: the reply of {@link Addresses#SITE_PUT} and {@link Addresses#SITE_GET}. Never a password;
 * {@code status} is {@code in_sync}, {@code out_of_sync} or {@code unverified}; {@code tlsFingerprint} the pinned certificate of an
 * API-SSL router, null (present in the JSON as null) for plain API or a router not pinned.
 */
public record SiteReply(String siteId, String orgId, String username, String ipAddress, int apiPort,
                        String serverIp, boolean tls, String status, String createdAt, String updatedAt,
                        String tlsFingerprint, String lastRotatedAt, String nextRotationAt) {

  /** A site without schedule information (both null: no rotation yet, no policy). */
  public SiteReply(String siteId, String orgId, String username, String ipAddress, int apiPort, String serverIp,
                   boolean tls, String status, String createdAt, String updatedAt, String tlsFingerprint) {
    this(siteId, orgId, username, ipAddress, apiPort, serverIp, tls, status, createdAt, updatedAt, tlsFingerprint,
        null, null);
  }

  /** The same site with its schedule: when its password last became current, when the scheduler rotates it next. */
  public SiteReply withSchedule(String lastRotatedAt, String nextRotationAt) {
    return new SiteReply(siteId, orgId, username, ipAddress, apiPort, serverIp, tls, status, createdAt, updatedAt,
        tlsFingerprint, lastRotatedAt, nextRotationAt);
  }

  /** A site without a pin. */
  public SiteReply(String siteId, String orgId, String username, String ipAddress, int apiPort, String serverIp,
                   boolean tls, String status, String createdAt, String updatedAt) {
    this(siteId, orgId, username, ipAddress, apiPort, serverIp, tls, status, createdAt, updatedAt, null);
  }

  /** The public JSON, fields in the contract's order. */
  public JsonObject toJson() {
    return new JsonObject()
        .put(Fields.SITE_ID, siteId)
        .put(Fields.ORG_ID, orgId)
        .put(Fields.USERNAME, username)
        .put(Fields.IP_ADDRESS, ipAddress)
        .put(Fields.API_PORT, apiPort)
        .put(Fields.SERVER_IP, serverIp)
        .put(Fields.TLS, tls)
        .put(Fields.TLS_FINGERPRINT, tlsFingerprint)
        .put(Fields.STATUS, status)
        .put(Fields.CREATED_AT, createdAt)
        .put(Fields.UPDATED_AT, updatedAt)
        .put(Fields.LAST_ROTATED_AT, lastRotatedAt)
        .put(Fields.NEXT_ROTATION_AT, nextRotationAt);
  }

  /** Fails with {@link IllegalStateException} when a field is missing; extra fields (a password) are dropped. */
  public static SiteReply fromJson(JsonObject json) {
    return new SiteReply(Json.required(json, Fields.SITE_ID), Json.required(json, Fields.ORG_ID),
        Json.required(json, Fields.USERNAME), Json.required(json, Fields.IP_ADDRESS),
        Json.requiredInt(json, Fields.API_PORT), Json.required(json, Fields.SERVER_IP),
        Json.requiredBool(json, Fields.TLS), Json.required(json, Fields.STATUS),
        Json.required(json, Fields.CREATED_AT), Json.required(json, Fields.UPDATED_AT),
        json.getValue(Fields.TLS_FINGERPRINT) instanceof String fp ? fp : null,
        json.getValue(Fields.LAST_ROTATED_AT) instanceof String last ? last : null,
        json.getValue(Fields.NEXT_ROTATION_AT) instanceof String next ? next : null);
  }
}
