package controlplane.simulator.impl;

import controlplane.simulator.ActiveSession;
import controlplane.simulator.GroupSpec;
import controlplane.simulator.UserSpec;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The mutable part of one router: users, groups, active sessions, identity. Created on first use so that idle
 * routers of a large fleet cost nothing beyond their spec. Every method is synchronized: connections run on an
 * event loop while tests and tools call from their own threads.
 */
final class RouterState {

  /** A session and the connection that owns it, so {@code /user/active/remove} can end it. */
  record SessionEntry(ActiveSession session, Runnable closer) {
  }

  private final Map<Integer, UserEntry> users = new LinkedHashMap<>();
  private final Map<String, GroupSpec> groups = new LinkedHashMap<>();
  private final Map<Integer, SessionEntry> sessions = new LinkedHashMap<>();
  private final Runnable onUsersChanged;
  private int nextUserId = 1;
  private int nextSessionId = 1;
  private String identity;

  RouterState(String identity, List<UserEntry> initialUsers, List<GroupSpec> extraGroups, Runnable onUsersChanged) {
    this.identity = identity;
    this.onUsersChanged = onUsersChanged;
    for (GroupSpec g : GroupSpec.BUILT_IN) {
      groups.put(g.name(), g);
    }
    for (GroupSpec g : extraGroups) {
      groups.put(g.name(), g);
    }
    for (UserEntry u : initialUsers) {
      users.put(u.id(), u);
      nextUserId = Math.max(nextUserId, u.id() + 1);
    }
  }

  /** RouterOS item ids are hexadecimal: {@code *1 ... *A}. */
  static String itemId(int id) {
    return "*" + Integer.toHexString(id).toUpperCase(Locale.ROOT);
  }

  /** The numeric id of {@code *N}, or -1 when {@code text} is not an item id. */
  static int parseItemId(String text) {
    if (text == null || text.length() < 2 || text.charAt(0) != '*') {
      return -1;
    }
    try {
      return Integer.parseInt(text.substring(1), 16);
    } catch (NumberFormatException e) {
      return -1;
    }
  }

  synchronized String identity() {
    return identity;
  }

  synchronized void identity(String value) {
    identity = value;
  }

  synchronized List<UserEntry> users() {
    return new ArrayList<>(users.values());
  }

  synchronized UserEntry user(String name) {
    for (UserEntry u : users.values()) {
      if (u.name().equals(name)) {
        return u;
      }
    }
    return null;
  }

  /** A user by item id ({@code *2}) or, as RouterOS also accepts, by name; null when there is none. */
  synchronized UserEntry resolve(String ref) {
    int id = parseItemId(ref);
    return id >= 0 ? users.get(id) : user(ref);
  }

  synchronized GroupSpec group(String name) {
    return groups.get(name);
  }

  synchronized List<GroupSpec> groups() {
    return new ArrayList<>(groups.values());
  }

  /** Adds a user and returns it with its new id. */
  synchronized UserEntry add(UserSpec spec, String comment) {
    UserEntry u = new UserEntry(nextUserId++, spec.name(), spec.group(), spec.password(), spec.address(),
        spec.disabled(), comment == null ? "" : comment, null);
    users.put(u.id(), u);
    onUsersChanged.run();
    return u;
  }

  synchronized void replace(UserEntry u) {
    users.put(u.id(), u);
    onUsersChanged.run();
  }

  synchronized void remove(int id) {
    if (users.remove(id) != null) {
      onUsersChanged.run();
    }
  }

  /** Records a login without counting as a configuration change. */
  synchronized void touchLogin(int userId, Instant when) {
    UserEntry u = users.get(userId);
    if (u != null) {
      users.put(userId, u.withLastLoggedIn(when));
    }
  }

  synchronized ActiveSession openSession(String name, String address, String group, Instant when, Runnable closer) {
    int id = nextSessionId++;
    ActiveSession s = new ActiveSession(itemId(id), name, address, "api", group, when);
    sessions.put(id, new SessionEntry(s, closer));
    return s;
  }

  synchronized void closeSession(String sessionId) {
    sessions.remove(parseItemId(sessionId));
  }

  synchronized List<ActiveSession> sessions() {
    List<ActiveSession> out = new ArrayList<>(sessions.size());
    sessions.values().forEach(e -> out.add(e.session()));
    return out;
  }

  synchronized SessionEntry session(String sessionId) {
    return sessions.get(parseItemId(sessionId));
  }

  /** The users as the state file stores them. */
  synchronized List<UserEntry> snapshot() {
    return List.copyOf(users.values());
  }
}
