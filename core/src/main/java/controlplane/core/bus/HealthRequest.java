package controlplane.core.bus;

import io.vertx.core.json.JsonObject;

/** {@link Addresses#PERSISTENCE_HEALTH}: is persistence ready? An empty object. Reply: {@link HealthReply}. */
public record HealthRequest() {

  public JsonObject toJson() {
    return new JsonObject();
  }

  public static HealthRequest fromJson(Object body) {
    Json.object(body);
    return new HealthRequest();
  }
}
