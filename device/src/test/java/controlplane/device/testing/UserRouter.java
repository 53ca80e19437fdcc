package controlplane.device.testing;

import controlplane.device.protocol.Sentence;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A {@link FakeRouter.Behaviour} with just enough of RouterOS for a password rotation: plain login,
 * {@code /user/print ?name=}, {@code /user/set}, {@code /user/active/print}, {@code /user/active/remove},
 * {@code /quit}; commands before login are refused. Three faults: drop the connection on receiving
 * {@code /user/set} (before applying it), refuse it with a trap of a given message, and refuse every login.
 */
public final class UserRouter implements FakeRouter.Behaviour {

  private final Map<String, String> passwords = new ConcurrentHashMap<>();
  private final Map<String, Integer> ids = new ConcurrentHashMap<>();
  /** Active sessions by id ("*N"): who and which connection. */
  private final Map<String, Session> sessions = new LinkedHashMap<>();
  private final Map<FakeRouter.Session, String> loggedIn = new ConcurrentHashMap<>();
  private int nextSession = 1;
  private volatile boolean dropOnUserSet;
  private volatile boolean rejectLogins;
  private volatile String userSetTrap;

  private record Session(String user, FakeRouter.Session connection) {
  }

  public UserRouter user(String name, String password) {
    passwords.put(name, password);
    ids.put(name, ids.size() + 1);
    return this;
  }

  public UserRouter dropOnUserSet() {
    dropOnUserSet = true;
    return this;
  }

  /** Refuses {@code /user/set} with a trap whose message is {@code message}, exactly as given. */
  public UserRouter trapOnUserSet(String message) {
    userSetTrap = message;
    return this;
  }

  public UserRouter rejectLogins() {
    rejectLogins = true;
    return this;
  }

  public String password(String user) {
    return passwords.get(user);
  }

  public synchronized int activeSessions(String user) {
    return (int) sessions.values().stream().filter(s -> s.user().equals(user)).count();
  }

  @Override
  public void onConnect(FakeRouter.Session session) {
    session.socket().closeHandler(v -> {
      synchronized (this) {
        sessions.values().removeIf(s -> s.connection() == session);
      }
      loggedIn.remove(session);
    });
  }

  @Override
  public synchronized void onCommand(FakeRouter.Session session, Sentence cmd) {
    String user = loggedIn.get(session);
    if (cmd.head().equals("/login")) {
      login(session, cmd);
      return;
    }
    if (user == null) {
      session.reply(cmd, "!trap", "=message=not logged in").reply(cmd, "!done");
      return;
    }
    switch (cmd.head()) {
      case "/user/print" -> {
        for (Map.Entry<String, String> u : passwords.entrySet()) {
          String query = "?name=" + u.getKey();
          if (cmd.queries().isEmpty() || cmd.queries().contains(query)) {
            session.reply(cmd, "!re", "=.id=*" + Integer.toHexString(ids.get(u.getKey())), "=name=" + u.getKey(),
                "=group=full", "=disabled=false");
          }
        }
        session.reply(cmd, "!done");
      }
      case "/user/set" -> {
        if (dropOnUserSet) {
          session.close();
          return;
        }
        if (userSetTrap != null) {
          session.reply(cmd, "!trap", "=message=" + userSetTrap).reply(cmd, "!done");
          return;
        }
        // By id, or (as a second user setting another's password does) by name in =numbers=.
        String byName = cmd.attribute(".id") == null && ids.containsKey(String.valueOf(cmd.attribute("numbers")))
            ? cmd.attribute("numbers") : null;
        String name = byName != null ? byName : ids.entrySet().stream()
            .filter(e -> ("*" + Integer.toHexString(e.getValue())).equals(cmd.attribute(".id")))
            .map(Map.Entry::getKey).findFirst().orElse(null);
        if (name == null) {
          session.reply(cmd, "!trap", "=category=0", "=message=no such item (4)").reply(cmd, "!done");
        } else {
          passwords.put(name, cmd.attribute("password"));
          session.reply(cmd, "!done");
        }
      }
      case "/user/active/print" -> {
        for (Map.Entry<String, Session> s : sessions.entrySet()) {
          if (cmd.queries().isEmpty() || cmd.queries().contains("?name=" + s.getValue().user())) {
            session.reply(cmd, "!re", "=.id=" + s.getKey(), "=name=" + s.getValue().user(), "=via=api");
          }
        }
        session.reply(cmd, "!done");
      }
      case "/user/active/remove" -> {
        Session s = sessions.remove(cmd.attribute(".id"));
        if (s == null) {
          session.reply(cmd, "!trap", "=message=no such item").reply(cmd, "!done");
        } else {
          session.reply(cmd, "!done");
          s.connection().close();
        }
      }
      case "/quit" -> {
        session.raw("!fatal", "session terminated on request");
        session.close();
      }
      default -> session.reply(cmd, "!trap", "=category=0", "=message=no such command").reply(cmd, "!done");
    }
  }

  private void login(FakeRouter.Session session, Sentence cmd) {
    String name = cmd.attribute("name");
    String password = cmd.attribute("password");
    if (!rejectLogins && name != null && password != null && password.equals(passwords.get(name))) {
      loggedIn.put(session, name);
      sessions.put("*" + Integer.toHexString(nextSession++), new Session(name, session));
      session.reply(cmd, "!done");
    } else {
      session.reply(cmd, "!trap", "=message=invalid user name or password (6)").reply(cmd, "!done");
    }
  }
}
