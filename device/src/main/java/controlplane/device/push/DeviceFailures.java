package controlplane.device.push;

import controlplane.core.bus.Failure;
import controlplane.device.client.ApiException;

/** Maps client failures that happened before anything was changed on the router to contract failures. */
final class DeviceFailures {

  private DeviceFailures() {
  }

  static Failure beforeChange(Throwable t) {
    if (t instanceof ApiException e) {
      return switch (e.kind()) {
        case CONNECT_TIMEOUT, TIMEOUT -> Failure.DEVICE_TIMEOUT;
        case LOGIN_FAILED -> Failure.DEVICE_REJECTED_CREDENTIALS;
        case CERTIFICATE_REJECTED -> Failure.DEVICE_CERTIFICATE_MISMATCH;
        default -> Failure.DEVICE_UNREACHABLE;
      };
    }
    return Failure.DEVICE_UNREACHABLE;
  }

  /**
   * A message safe to reply with: the client's messages never carry a password, and what a router wrote in them is
   * already printable and short ({@link controlplane.device.client.RouterText}).
   */
  static String message(Throwable t) {
    return t instanceof ApiException ? t.getMessage() : t.getClass().getSimpleName();
  }
}
