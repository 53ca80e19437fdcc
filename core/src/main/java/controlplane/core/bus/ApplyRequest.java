package controlplane.core.bus;

import io.vertx.core.json.JsonObject;
import java.util.List;

/**
 * {@code op: apply}: log in with the first of {@code loginPasswords} that works, set {@code newPassword} on the
 * target's API user, verify with a fresh connection and login, and from there end that user's other sessions. Reply:
 * {@link ApplyReply}. {@code budgetMs} (null: none) is the time the sender still waits, counted from receipt: past
 * it the device never sends the change, since the sender has handed the version to the reconciler by then.
 * {@link #toString()} never shows a password.
 */
public record ApplyRequest(DeviceTarget target, String newPassword, List<String> loginPasswords, Long budgetMs)
    implements DeviceRequest {

  @Override
  public DeviceOp op() {
    return DeviceOp.APPLY;
  }

  @Override
  public JsonObject toJson() {
    JsonObject json = new JsonObject().put(Fields.OP, DeviceOp.APPLY.wire()).put(Fields.TARGET, target.toJson())
        .put(Fields.NEW_PASSWORD, newPassword).put(Fields.LOGIN_PASSWORDS, Json.array(loginPasswords));
    return Json.putIf(json, Fields.BUDGET_MS, budgetMs);
  }

  @Override
  public String toString() {
    return "ApplyRequest[target=" + target + ", passwords=" + loginPasswords.size() + ", budgetMs=" + budgetMs + "]";
  }
}
