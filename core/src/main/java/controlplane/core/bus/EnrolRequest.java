package controlplane.core.bus;

import io.vertx.core.json.JsonObject;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * {@link Addresses#SITE_PUT}: enrol or update a site with its API user's current password. Reply: {@link SiteReply}.
 * {@code tlsFingerprint} (API-SSL only, may be null) states the certificate the router must present; without it the
 * one the verifying probe sees is pinned. {@link #toString()} never shows the password.
 */
public record EnrolRequest(UUID siteId, String orgId, String actor, String requestId, String username,
                           String ipAddress, int apiPort, String serverIp, boolean tls, boolean verify,
                           String password, String tlsFingerprint, String reconcileUsername,
                           String reconcilePassword, boolean rotateOnEnrol) {

  /** An enrolment without a reconcile account that rotates the bootstrap password at once (the default). */
  public EnrolRequest(UUID siteId, String orgId, String actor, String requestId, String username, String ipAddress,
                      int apiPort, String serverIp, boolean tls, boolean verify, String password,
                      String tlsFingerprint) {
    this(siteId, orgId, actor, requestId, username, ipAddress, apiPort, serverIp, tls, verify, password,
        tlsFingerprint, null, null, true);
  }

  /** An enrolment that states no certificate. */
  public EnrolRequest(UUID siteId, String orgId, String actor, String requestId, String username, String ipAddress,
                      int apiPort, String serverIp, boolean tls, boolean verify, String password) {
    this(siteId, orgId, actor, requestId, username, ipAddress, apiPort, serverIp, tls, verify, password, null);
  }

  /** Host names and IP literals: no spaces, no URL syntax. */
  private static final Pattern HOST = Pattern.compile("[A-Za-z0-9._:\\-\\[\\]%]+");
  static final int MAX_PASSWORD = 128;

  public JsonObject toJson() {
    JsonObject json = new JsonObject().put(Fields.SITE_ID, siteId.toString()).put(Fields.ORG_ID, orgId)
        .put(Fields.ACTOR, actor).put(Fields.USERNAME, username).put(Fields.IP_ADDRESS, ipAddress)
        .put(Fields.API_PORT, apiPort).put(Fields.SERVER_IP, serverIp).put(Fields.TLS, tls)
        .put(Fields.VERIFY, verify).put(Fields.PASSWORD, password);
    Json.putIf(json, Fields.TLS_FINGERPRINT, tlsFingerprint);
    Json.putIf(json, Fields.RECONCILE_USERNAME, reconcileUsername);
    Json.putIf(json, Fields.RECONCILE_PASSWORD, reconcilePassword);
    json.put(Fields.ROTATE_ON_ENROL, rotateOnEnrol);
    return Json.putIf(json, Fields.REQUEST_ID, requestId);
  }

  /** Every field checked; a bad one fails with {@link Failure#INVALID_REQUEST} naming it, never its value. */
  public static EnrolRequest fromJson(Object body) {
    JsonObject json = Json.object(body);
    UUID siteId = Json.siteId(json);
    String orgId = Json.text(json, Fields.ORG_ID, true);
    String username = Json.text(json, Fields.USERNAME, true);
    String ip = host(json, Fields.IP_ADDRESS);
    String serverIp = host(json, Fields.SERVER_IP);
    int port = Json.port(json, Fields.API_PORT);
    String p = password(json, Fields.PASSWORD, true);
    String reconcileUsername = Json.text(json, Fields.RECONCILE_USERNAME, false);
    String reconcilePassword = password(json, Fields.RECONCILE_PASSWORD, false);
    if ((reconcileUsername == null) != (reconcilePassword == null)) {
      throw Failure.INVALID_REQUEST.exception(Fields.RECONCILE_USERNAME + " and " + Fields.RECONCILE_PASSWORD
          + " go together");
    }
    if (username.equals(reconcileUsername)) {
      throw Failure.INVALID_REQUEST.exception(Fields.RECONCILE_USERNAME + " must be another user than username");
    }
    boolean tls = Json.bool(json, Fields.TLS, false);
    String fingerprint = Json.fingerprint(json, Fields.TLS_FINGERPRINT);
    if (fingerprint != null && !tls) {
      throw Failure.INVALID_REQUEST.exception(Fields.TLS_FINGERPRINT + " applies to tls: true only");
    }
    return new EnrolRequest(siteId, orgId, RotateRequest.actor(json), Json.text(json, Fields.REQUEST_ID, false),
        username, ip, port, serverIp, tls, Json.bool(json, Fields.VERIFY, true), p, fingerprint, reconcileUsername,
        reconcilePassword, Json.bool(json, Fields.ROTATE_ON_ENROL, true));
  }

  /** A password field: at most {@link #MAX_PASSWORD} printable characters; null when absent and not required. */
  private static String password(JsonObject json, String field, boolean required) {
    Object password = json.getValue(field);
    if (password == null && !required) {
      return null;
    }
    if (!(password instanceof String p) || p.isEmpty()) {
      throw Failure.INVALID_REQUEST.exception(field + " is required");
    }
    if (p.length() > MAX_PASSWORD || p.chars().anyMatch(c -> c < 0x20 || c == 0x7f)) {
      throw Failure.INVALID_REQUEST.exception(field + " must be at most " + MAX_PASSWORD + " printable characters");
    }
    return p;
  }

  private static String host(JsonObject json, String field) {
    String h = Json.text(json, field, true);
    if (!HOST.matcher(h).matches()) {
      throw Failure.INVALID_REQUEST.exception(field + " must be a host name or an IP address");
    }
    return h;
  }

  @Override
  public String toString() {
    return "EnrolRequest[site=" + siteId + ", org=" + orgId + ", target=" + ipAddress + ":" + apiPort
        + (tls ? " tls" : "") + (tlsFingerprint == null ? "" : " pin=" + tlsFingerprint) + ", edge=" + serverIp
        + ", user=" + username + ", verify=" + verify
        + (reconcileUsername == null ? "" : ", reconcile user=" + reconcileUsername)
        + ", rotateOnEnrol=" + rotateOnEnrol + "]";
  }
}
