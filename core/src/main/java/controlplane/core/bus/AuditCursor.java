package controlplane.core.bus;

import java.nio.charset.StandardCharsets;
import java.util.Base64;

/**
 * The cursor of the audit trail's pages: opaque to clients, the base64url (unpadded) of the id of the last event of
 * a page. Only core reads it; a cursor that is not one fails with {@link Failure#INVALID_REQUEST}.
 */
public final class AuditCursor {

  private AuditCursor() {
  }

  public static String encode(long lastId) {
    return Base64.getUrlEncoder().withoutPadding().encodeToString(Long.toString(lastId).getBytes(StandardCharsets.US_ASCII));
  }

  /** The event id in {@code cursor}. */
  public static long decode(String cursor) {
    try {
      String text = new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.US_ASCII);
      long id = Long.parseLong(text);
      if (id < 1 || !Long.toString(id).equals(text)) {
        throw new IllegalArgumentException();
      }
      return id;
    } catch (IllegalArgumentException e) {
      throw Failure.INVALID_REQUEST.exception(Fields.CURSOR + " is not a cursor of this list");
    }
  }
}
