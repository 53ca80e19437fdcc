package controlplane.core.bus;

import io.vertx.core.json.JsonObject;
import java.util.List;

/**
 * {@code op: probe}: try each of {@code loginPasswords} in order on a fresh connection, stop at the first that logs
 * in. Reply: {@link ProbeReply}. {@link #toString()} never shows a password.
 */
public record ProbeRequest(DeviceTarget target, List<String> loginPasswords) implements DeviceRequest {

  @Override
  public DeviceOp op() {
    return DeviceOp.PROBE;
  }

  @Override
  public JsonObject toJson() {
    return new JsonObject().put(Fields.OP, DeviceOp.PROBE.wire()).put(Fields.TARGET, target.toJson())
        .put(Fields.LOGIN_PASSWORDS, Json.array(loginPasswords));
  }

  @Override
  public String toString() {
    return "ProbeRequest[target=" + target + ", passwords=" + loginPasswords.size() + "]";
  }
}
