package controlplane.simulator.impl;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The optional state file: the users of every router whose users changed (passwords included: these are lab
 * devices), written off the event loop after each change, atomically (temporary file, then rename), and read at
 * start so that a demo survives a restart. Changes that arrive while a write is pending share that write.
 * <pre>{"routers": {"r1": {"users": [{"id": 1, "name": "admin", "group": "full", "password": "", ...}]}}}</pre>
 */
final class StateStore {

  private static final Logger LOG = LoggerFactory.getLogger(StateStore.class);

  private final Vertx vertx;
  private final Path file;
  private final List<RouterImpl> routers;
  /** Routers in the file that this fleet does not run: kept as they were. */
  private final Map<String, JsonObject> foreign;
  private final AtomicBoolean scheduled = new AtomicBoolean();

  StateStore(Vertx vertx, Path file, List<RouterImpl> routers, Map<String, JsonObject> foreign) {
    this.vertx = vertx;
    this.file = file;
    this.routers = routers;
    this.foreign = foreign;
  }

  /** Reads the file (blocking); an absent file is an empty state. Keys are router names. */
  static Map<String, JsonObject> read(Path file) throws IOException {
    Map<String, JsonObject> out = new LinkedHashMap<>();
    if (file == null || !Files.exists(file)) {
      return out;
    }
    JsonObject root = new JsonObject(Files.readString(file, StandardCharsets.UTF_8));
    JsonObject routers = root.getJsonObject("routers", new JsonObject());
    for (String name : routers.fieldNames()) {
      out.put(name, routers.getJsonObject(name));
    }
    return out;
  }

  /** The users of one stored router. */
  static List<UserEntry> users(JsonObject router) {
    List<UserEntry> users = new ArrayList<>();
    for (Object o : router.getJsonArray("users", new JsonArray())) {
      JsonObject u = (JsonObject) o;
      users.add(new UserEntry(u.getInteger("id"), u.getString("name"), u.getString("group", "full"),
          u.getString("password", ""), u.getString("address", ""), u.getBoolean("disabled", false),
          u.getString("comment", ""), null));
    }
    return users;
  }

  /** Schedules a write unless one is already waiting to run. */
  void schedule() {
    if (scheduled.compareAndSet(false, true)) {
      vertx.executeBlocking(() -> {
        scheduled.set(false); // a change from now on schedules the next write
        write();
        return null;
      }, false).onFailure(e -> LOG.error("cannot write simulator state to {}: {}", file, e.toString()));
    }
  }

  /** Writes now, off the event loop. */
  Future<Void> flush() {
    return vertx.executeBlocking(() -> {
      write();
      return null;
    }, false).mapEmpty();
  }

  private synchronized void write() throws IOException {
    JsonObject all = new JsonObject();
    foreign.forEach(all::put);
    for (RouterImpl r : routers) {
      if (r.persistent()) {
        JsonArray users = new JsonArray();
        for (UserEntry u : r.state().snapshot()) {
          users.add(new JsonObject().put("id", u.id()).put("name", u.name()).put("group", u.group())
              .put("password", u.password()).put("address", u.address()).put("disabled", u.disabled())
              .put("comment", u.comment()));
        }
        all.put(r.name(), new JsonObject().put("users", users));
      }
    }
    Path dir = file.toAbsolutePath().getParent();
    Files.createDirectories(dir);
    Path tmp = Files.createTempFile(dir, file.getFileName().toString(), ".tmp");
    try {
      Files.writeString(tmp, new JsonObject().put("routers", all).encodePrettily(), StandardCharsets.UTF_8);
      try {
        Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      } catch (AtomicMoveNotSupportedException e) {
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
      }
    } finally {
      Files.deleteIfExists(tmp);
    }
    LOG.debug("simulator state written to {}", file);
  }
}
