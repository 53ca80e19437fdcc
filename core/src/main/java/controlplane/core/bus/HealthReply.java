package controlplane.core.bus;

import io.vertx.core.json.JsonObject;

/** The reply of {@link Addresses#PERSISTENCE_HEALTH}; a failure {@code database_unavailable} otherwise. */
public record HealthReply(boolean database, boolean migrations) {

  public JsonObject toJson() {
    return new JsonObject().put(Fields.DATABASE, database).put(Fields.MIGRATIONS, migrations);
  }

  public static HealthReply fromJson(JsonObject json) {
    return new HealthReply(Json.requiredBool(json, Fields.DATABASE), Json.requiredBool(json, Fields.MIGRATIONS));
  }
}
