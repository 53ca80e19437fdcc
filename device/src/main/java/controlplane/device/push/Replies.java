package controlplane.device.push;

import controlplane.core.bus.DeviceOutcome;
import controlplane.core.bus.Failure;
import controlplane.core.bus.Fields;
import io.vertx.core.json.JsonObject;

/** Reply bodies of the device-push contract (docs/EVENT-BUS.md). */
final class Replies {

  private Replies() {
  }

  static JsonObject applied(int loginIndex) {
    return new JsonObject().put(Fields.OUTCOME, DeviceOutcome.APPLIED).put(Fields.LOGIN_INDEX, loginIndex);
  }

  static JsonObject notApplied(int loginIndex, Failure failure, String message) {
    return outcome(DeviceOutcome.NOT_APPLIED, loginIndex, failure, message);
  }

  static JsonObject unknown(int loginIndex, String message) {
    return outcome(DeviceOutcome.UNKNOWN, loginIndex, Failure.DEVICE_OUTCOME_UNKNOWN, message);
  }

  static JsonObject probe(boolean reachable, int loginIndex, Failure failure, String message) {
    JsonObject reply = new JsonObject().put(Fields.REACHABLE, reachable).put(Fields.LOGIN_INDEX, loginIndex);
    if (failure != null) {
      reply.put(Fields.FAILURE, failure.id()).put(Fields.MESSAGE, message);
    }
    return reply;
  }

  private static JsonObject outcome(String outcome, int loginIndex, Failure failure, String message) {
    return new JsonObject()
        .put(Fields.OUTCOME, outcome)
        .put(Fields.LOGIN_INDEX, loginIndex)
        .put(Fields.FAILURE, failure.id())
        .put(Fields.MESSAGE, message);
  }
}
