package controlplane.core.bus;

import io.vertx.core.json.JsonObject;

/**
 * The router a device operation dials: {@code target: {site_id, host, port, tls, username, tls_fingerprint?}}.
 * {@code tlsFingerprint} is the pin of an API-SSL router: every connection must present that certificate; null for
 * plain API, or an API-SSL router not pinned yet (then any certificate is accepted, the same one throughout the
 * operation).
 */
public record DeviceTarget(String siteId, String host, int port, boolean tls, String username,
                           String tlsFingerprint) {

  /** A target without a pin. */
  public DeviceTarget(String siteId, String host, int port, boolean tls, String username) {
    this(siteId, host, port, tls, username, null);
  }

  public JsonObject toJson() {
    JsonObject json = new JsonObject().put(Fields.HOST, host).put(Fields.PORT, port).put(Fields.TLS, tls)
        .put(Fields.USERNAME, username);
    Json.putIf(json, Fields.TLS_FINGERPRINT, tlsFingerprint);
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
    return new DeviceTarget(Json.string(json, Fields.SITE_ID), host, p.intValue(), t, username,
        Json.fingerprint(json, Fields.TLS_FINGERPRINT));
  }
}
