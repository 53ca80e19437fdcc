package controlplane.core.bus;

import io.vertx.core.json.JsonObject;

/**
 * The router a device operation dials: {@code target: {site_id, host, port, tls, username, tls_fingerprint?,
 * tls_server_name?}}. {@code tlsFingerprint} is the pin of an API-SSL router: every connection must present that
 * certificate; null for plain API, or an API-SSL router not pinned yet (then any certificate is accepted, the same
 * one throughout the operation). {@code tlsServerName} is the host name the router was enrolled by: sent as the TLS
 * server name (SNI) and checked against a CA-issued certificate, while {@code host} (an address) is what is dialled;
 * null: the certificate must name {@code host}.
 */
public record DeviceTarget(String siteId, String host, int port, boolean tls, String username,
                           String tlsFingerprint, String tlsServerName) {

  /** A target without a pin. */
  public DeviceTarget(String siteId, String host, int port, boolean tls, String username) {
    this(siteId, host, port, tls, username, null, null);
  }

  /** A target without a TLS server name. */
  public DeviceTarget(String siteId, String host, int port, boolean tls, String username, String tlsFingerprint) {
    this(siteId, host, port, tls, username, tlsFingerprint, null);
  }

  public JsonObject toJson() {
    JsonObject json = new JsonObject().put(Fields.HOST, host).put(Fields.PORT, port).put(Fields.TLS, tls)
        .put(Fields.USERNAME, username);
    Json.putIf(json, Fields.TLS_FINGERPRINT, tlsFingerprint);
    Json.putIf(json, Fields.TLS_SERVER_NAME, tlsServerName);
    return Json.putIf(json, Fields.SITE_ID, siteId);
  }

  static DeviceTarget fromJson(Object value) {
    if (!(value instanceof JsonObject json)) {
      throw Failure.INVALID_REQUEST.exception("target must be an object");
    }
    String host = Json.string(json, Fields.HOST);
    String username = Json.string(json, Fields.USERNAME);
    if (host == null || host.isBlank()) {
      throw Failure.INVALID_REQUEST.exception("target.host is required");
    }
    if (username == null || username.isBlank()) {
      throw Failure.INVALID_REQUEST.exception("target.username is required");
    }
    Object port = json.getValue(Fields.PORT);
    if (!(port instanceof Number p) || p.intValue() < 1 || p.intValue() > 65535) {
      throw Failure.INVALID_REQUEST.exception("target.port must be a port number");
    }
    Object tls = json.getValue(Fields.TLS, false);
    if (!(tls instanceof Boolean t)) {
      throw Failure.INVALID_REQUEST.exception("target.tls must be a boolean");
    }
    String serverName = Json.string(json, Fields.TLS_SERVER_NAME);
    if (serverName != null && (serverName.isBlank() || serverName.length() > 253)) {
      throw Failure.INVALID_REQUEST.exception("target.tls_server_name must be a host name");
    }
    return new DeviceTarget(Json.string(json, Fields.SITE_ID), host, p.intValue(), t, username,
        Json.fingerprint(json, Fields.TLS_FINGERPRINT), serverName);
  }
}
