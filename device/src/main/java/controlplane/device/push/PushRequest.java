package controlplane.device.push;

import controlplane.core.bus.ApplyRequest;
import controlplane.core.bus.DeviceOp;
import controlplane.core.bus.DeviceRequest;
import controlplane.core.bus.DeviceTarget;
import controlplane.core.bus.RepairRequest;
import io.vertx.core.eventbus.ReplyException;
import java.util.List;
import java.util.UUID;

/**
 * A device-push request as received: the contract's {@link DeviceRequest} and the deadline its budget sets, counted
 * from receipt.
 */
record PushRequest(DeviceRequest request, long deadlineNanos) {

  /** No {@code budget_ms} given: no deadline of the sender's to keep. */
  static final long NO_DEADLINE = Long.MAX_VALUE;

  /** The request did not match the contract. The message never carries a password. */
  static final class Malformed extends Exception {
    Malformed(String message) {
      super(message, null, false, false);
    }
  }

  static PushRequest parse(Object body) throws Malformed {
    DeviceRequest request;
    try {
      request = DeviceRequest.fromJson(body);
    } catch (ReplyException e) {
      throw new Malformed(e.getMessage());
    }
    Long budgetMs = request instanceof ApplyRequest apply ? apply.budgetMs()
        : request instanceof RepairRequest repair ? repair.budgetMs() : null;
    long deadline = budgetMs != null ? System.nanoTime() + budgetMs * 1_000_000L : NO_DEADLINE;
    return new PushRequest(request, deadline);
  }

  /** Whether the sender's budget is spent: past it, the password change must not be sent. */
  boolean pastDeadline() {
    return deadlineNanos != NO_DEADLINE && System.nanoTime() - deadlineNanos >= 0;
  }

  DeviceOp op() {
    return request.op();
  }

  private DeviceTarget target() {
    return request.target();
  }

  String siteId() {
    return target().siteId();
  }

  /** The site id as a UUID, or null when the sender gave none (or not a UUID). */
  UUID siteUuid() {
    try {
      return siteId() == null ? null : UUID.fromString(siteId());
    } catch (IllegalArgumentException e) {
      return null;
    }
  }

  String host() {
    return target().host();
  }

  int port() {
    return target().port();
  }

  boolean tls() {
    return target().tls();
  }

  String username() {
    return target().username();
  }

  /** The certificate an API-SSL router must present; null when the site has no pin. */
  String tlsFingerprint() {
    return target().tlsFingerprint();
  }

  /** The TLS server name (SNI, and the name a CA-issued certificate must carry); null: the dialled address. */
  String tlsServerName() {
    return target().tlsServerName();
  }

  List<String> loginPasswords() {
    return request.loginPasswords();
  }

  /** The password to set; null for a probe. */
  String newPassword() {
    return request instanceof ApplyRequest apply ? apply.newPassword()
        : request instanceof RepairRequest repair ? repair.newPassword() : null;
  }

  /** Never shows a password. */
  @Override
  public String toString() {
    return "PushRequest[op=" + op().wire() + ", site=" + siteId() + ", target=" + host() + ":" + port()
        + (tls() ? " tls" : "") + ", user=" + username() + ", passwords=" + loginPasswords().size() + "]";
  }
}
