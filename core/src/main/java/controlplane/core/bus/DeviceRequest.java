package controlplane.core.bus;

import io.vertx.core.json.JsonObject;
import java.util.List;

/**
 * A request on a device-push address ({@link Addresses#devicePush(String)}): an {@link ApplyRequest}, a
 * {@link ProbeRequest} or a {@link RepairRequest}, told apart on the wire by {@link Fields#OP}. {@code loginPasswords} keeps the positions of
 * the wire array (a null stays null and is skipped) so that a reply's login index points into what was sent.
 */
public sealed interface DeviceRequest permits ApplyRequest, ProbeRequest, RepairRequest {

  DeviceOp op();

  DeviceTarget target();

  List<String> loginPasswords();

  JsonObject toJson();

  /**
   * Fails with a {@link io.vertx.core.eventbus.ReplyException} of {@link Failure#INVALID_REQUEST} whose text names
   * what is wrong and never carries a password.
   */
  static DeviceRequest fromJson(Object body) {
    JsonObject json = Json.object(body);
    DeviceOp op = DeviceOp.byWire(Json.string(json, Fields.OP));
    if (op == null) {
      throw Failure.INVALID_REQUEST.exception("op must be apply, probe or repair");
    }
    DeviceTarget target = DeviceTarget.fromJson(json.getValue(Fields.TARGET));
    List<String> logins = Json.passwords(json, Fields.LOGIN_PASSWORDS);
    if (op == DeviceOp.PROBE) {
      return new ProbeRequest(target, logins);
    }
    String newPassword = Json.string(json, Fields.NEW_PASSWORD);
    if (newPassword == null || newPassword.isEmpty()) {
      throw Failure.INVALID_REQUEST.exception("new_password is required for " + op.wire());
    }
    Object budget = json.getValue(Fields.BUDGET_MS);
    if (budget != null && !(budget instanceof Number)) {
      throw Failure.INVALID_REQUEST.exception("budget_ms must be a number");
    }
    Long budgetMs = budget == null ? null : ((Number) budget).longValue();
    if (op == DeviceOp.REPAIR) {
      String loginUser = Json.text(json, Fields.LOGIN_USERNAME, true);
      if (logins.size() != 1 || logins.get(0) == null) {
        throw Failure.INVALID_REQUEST.exception("login_passwords of repair holds the reconcile password only");
      }
      return new RepairRequest(target, loginUser, logins.get(0), newPassword, budgetMs);
    }
    return new ApplyRequest(target, newPassword, logins, budgetMs);
  }
}
