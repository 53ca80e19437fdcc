package controlplane.core.bus;

import io.vertx.core.json.JsonObject;
import java.util.List;

/**
 * {@code op: repair}: no known password of the target's API user logs in, so log in as the site's reconcile account
 * ({@code loginUsername}, {@code loginPassword}: a second router user allowed to set other users' passwords), set
 * {@code newPassword} on the API user ({@code target.username}), end the API user's sessions, then verify with a
 * fresh login as the API user. Reply: {@link ApplyReply} (its login index is 0 when the reconcile account logged
 * in). {@code budgetMs} as in {@link ApplyRequest}. {@link #toString()} never shows a password.
 */
public record RepairRequest(DeviceTarget target, String loginUsername, String loginPassword, String newPassword,
                            Long budgetMs) implements DeviceRequest {

  @Override
  public DeviceOp op() {
    return DeviceOp.REPAIR;
  }

  /** The one password tried: the reconcile account's. */
  @Override
  public List<String> loginPasswords() {
    return List.of(loginPassword);
  }

  @Override
  public JsonObject toJson() {
    JsonObject json = new JsonObject().put(Fields.OP, DeviceOp.REPAIR.wire()).put(Fields.TARGET, target.toJson())
        .put(Fields.LOGIN_USERNAME, loginUsername).put(Fields.LOGIN_PASSWORDS, Json.array(List.of(loginPassword)))
        .put(Fields.NEW_PASSWORD, newPassword);
    return Json.putIf(json, Fields.BUDGET_MS, budgetMs);
  }

  @Override
  public String toString() {
    return "RepairRequest[target=" + target + ", as=" + loginUsername + ", budgetMs=" + budgetMs + "]";
  }
}
