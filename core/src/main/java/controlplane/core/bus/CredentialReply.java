package controlplane.core.bus;

import io.vertx.core.json.JsonObject;

/**
 * The credential object of the public contract, exactly its nine fields; timestamps are RFC 3339 UTC. The reply of
 * {@link Addresses#ROTATE}, {@link Addresses#CREDENTIALS_GET} and {@link Addresses#RESEND}. {@link #toString()}
 * never shows the password.
 */
public record CredentialReply(String id, String siteId, String username, String password, String ipAddress,
                              int apiPort, String serverIp, String createdAt, String updatedAt) {

  /** The public JSON, fields in the contract's order. */
  public JsonObject toJson() {
    return new JsonObject()
        .put(Fields.ID, id)
        .put(Fields.SITE_ID, siteId)
        .put(Fields.USERNAME, username)
        .put(Fields.PASSWORD, password)
        .put(Fields.IP_ADDRESS, ipAddress)
        .put(Fields.API_PORT, apiPort)
        .put(Fields.SERVER_IP, serverIp)
        .put(Fields.CREATED_AT, createdAt)
        .put(Fields.UPDATED_AT, updatedAt);
  }

  /** Fails with {@link IllegalStateException} when a field is missing: the sender's bug. Extra fields are dropped. */
  public static CredentialReply fromJson(JsonObject json) {
    return new CredentialReply(Json.required(json, Fields.ID), Json.required(json, Fields.SITE_ID),
        Json.required(json, Fields.USERNAME), Json.required(json, Fields.PASSWORD),
        Json.required(json, Fields.IP_ADDRESS), Json.requiredInt(json, Fields.API_PORT),
        Json.required(json, Fields.SERVER_IP), Json.required(json, Fields.CREATED_AT),
        Json.required(json, Fields.UPDATED_AT));
  }

  @Override
  public String toString() {
    return "CredentialReply[id=" + id + ", site=" + siteId + ", user=" + username + ", target=" + ipAddress + ":"
        + apiPort + ", edge=" + serverIp + ", updated=" + updatedAt + "]";
  }
}
