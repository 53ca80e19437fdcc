package controlplane.core.bus;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;

/**
 * The reply of {@link Addresses#CREDENTIALS_HISTORY}: {@code {versions: [...]}}, newest first, at most
 * {@link #MAX_VERSIONS} (the housekeeper keeps far fewer: docs/OPERATIONS.md).
 */
public record HistoryReply(List<VersionSummary> versions) {

  public static final int MAX_VERSIONS = 1000;

  public HistoryReply {
    versions = List.copyOf(versions);
  }

  public JsonObject toJson() {
    JsonArray array = new JsonArray();
    versions.forEach(v -> array.add(v.toJson()));
    return new JsonObject().put(Fields.VERSIONS, array);
  }

  /** Fails with {@link IllegalStateException} when a field is missing. */
  public static HistoryReply fromJson(JsonObject json) {
    JsonArray array = json.getJsonArray(Fields.VERSIONS);
    if (array == null) {
      throw new IllegalStateException("reply lacks " + Fields.VERSIONS);
    }
    List<VersionSummary> out = new ArrayList<>(array.size());
    for (Object o : array) {
      if (!(o instanceof JsonObject v)) {
        throw new IllegalStateException("reply has a malformed " + Fields.VERSIONS);
      }
      out.add(VersionSummary.fromJson(v));
    }
    return new HistoryReply(out);
  }
}
