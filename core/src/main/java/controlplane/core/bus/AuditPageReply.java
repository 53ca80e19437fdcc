package controlplane.core.bus;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;

/**
 * The reply of {@link Addresses#AUDIT_LIST}: {@code {events: [...], next_cursor?}}, newest first; {@code next_cursor}
 * (the {@code cursor} of the next page) only when there are more.
 */
public record AuditPageReply(List<AuditEventReply> events, String nextCursor) {

  public AuditPageReply {
    events = List.copyOf(events);
  }

  public JsonObject toJson() {
    JsonArray array = new JsonArray();
    events.forEach(e -> array.add(e.toJson()));
    return Json.putIf(new JsonObject().put(Fields.EVENTS, array), Fields.NEXT_CURSOR, nextCursor);
  }

  /** Fails with {@link IllegalStateException} when a field is missing. */
  public static AuditPageReply fromJson(JsonObject json) {
    JsonArray array = json.getJsonArray(Fields.EVENTS);
    if (array == null) {
      throw new IllegalStateException("reply lacks " + Fields.EVENTS);
    }
    List<AuditEventReply> out = new ArrayList<>(array.size());
    for (Object o : array) {
      if (!(o instanceof JsonObject e)) {
        throw new IllegalStateException("reply has a malformed " + Fields.EVENTS);
      }
      out.add(AuditEventReply.fromJson(e));
    }
    Object next = json.getValue(Fields.NEXT_CURSOR);
    return new AuditPageReply(out, next instanceof String s ? s : null);
  }
}
