package controlplane.simulator.impl;

import controlplane.device.protocol.ProtocolConstants;
import controlplane.device.protocol.Sentence;
import controlplane.simulator.GroupSpec;
import controlplane.simulator.UserSpec;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * Executes one command of one connection against its router and builds the reply, as RouterOS does: login
 * first, group policies enforced, traps with the messages and categories of real routers.
 */
final class Commands {

  static final String NOT_LOGGED_IN = "not logged in";
  static final String NO_PERMISSION = "not enough permissions";
  static final String NO_SUCH_COMMAND = "no such command";
  static final String NO_SUCH_ITEM = "no such item (4)";
  static final String MISSING_ID = "missing =.id=";
  static final String EXISTS = "entry already exists";
  static final String UNKNOWN_PARAMETER = "unknown parameter";

  private static final Set<String> USER_SET_PARAMS = Set.of(".id", "numbers", "name", "group", "password",
      "address", "disabled", "comment");
  private static final Set<String> USER_ADD_PARAMS = Set.of("name", "group", "password", "address", "disabled",
      "comment");

  private final RouterImpl router;
  private final ApiSession session;
  private final Login login;

  Commands(RouterImpl router, ApiSession session) {
    this.router = router;
    this.session = session;
    this.login = new Login(router, session);
  }

  private static final java.util.Set<String> KNOWN = java.util.Set.of("/login", "/quit", "/cancel", "/password",
      "/user/print", "/user/getall", "/user/set", "/user/add", "/user/remove", "/user/active/print",
      "/user/active/getall", "/user/active/remove", "/user/group/print", "/user/group/getall",
      "/system/identity/print", "/system/identity/getall", "/system/identity/set", "/system/resource/print",
      "/system/resource/getall", "/ip/service/print", "/ip/service/getall");

  /** Whether {@code head} is a command this simulator implements. */
  static boolean known(String head) {
    return KNOWN.contains(head);
  }

  Reply execute(Sentence s) {
    Reply r = new Reply(s.tag());
    String head = s.head();
    switch (head) {
      case "/login":
        return login.execute(s, r);
      case "/quit":
        return r.fatal("session terminated on request");
      default:
        break;
    }
    if (!session.loggedIn()) {
      return r.fail(null, NOT_LOGGED_IN);
    }
    return switch (head) {
      case "/cancel" -> cancel(s, r);
      case "/password" -> password(s, r);
      case "/user/print", "/user/getall" -> print(s, r, "read", this::userRows);
      case "/user/set" -> userSet(s, r);
      case "/user/add" -> userAdd(s, r);
      case "/user/remove" -> userRemove(s, r);
      case "/user/active/print", "/user/active/getall" -> print(s, r, "read", this::activeRows);
      case "/user/active/remove" -> activeRemove(s, r);
      case "/user/group/print", "/user/group/getall" -> print(s, r, "read", this::groupRows);
      case "/system/identity/print", "/system/identity/getall" -> print(s, r, "read", this::identityRows);
      case "/system/identity/set" -> identitySet(s, r);
      case "/system/resource/print", "/system/resource/getall" -> print(s, r, "read", SystemRows::resource);
      case "/ip/service/print", "/ip/service/getall" -> print(s, r, "read", SystemRows::services);
      default -> unknown(r);
    };
  }

  /**
   * Anything the simulator does not implement: one {@code !trap =category=0 =message=no such command}, then
   * {@code !done}, for unknown verbs and unknown menus alike.
   */
  private static Reply unknown(Reply r) {
    return r.fail(0, NO_SUCH_COMMAND);
  }

  // ---- policies

  private boolean allowed(String... policies) {
    GroupSpec g = router.state().group(session.user().group());
    if (g == null) {
      return false;
    }
    for (String p : policies) {
      if (!g.has(p)) {
        return false;
      }
    }
    return true;
  }

  // ---- print

  /** Rows, then queries, {@code .proplist}, {@code count-only}, and {@code !empty} from 7.18 on. */
  private Reply print(Sentence s, Reply r, String policy, Function<RouterImpl, List<Map<String, String>>> source) {
    if (!allowed(policy)) {
      return r.fail(null, NO_PERMISSION);
    }
    QueryFilter filter;
    try {
      filter = QueryFilter.compile(s.queries());
    } catch (IllegalArgumentException e) {
      return r.fail(1, "invalid query");
    }
    Map<String, String> attrs = s.attributes();
    String proplist = attrs.get(ProtocolConstants.PROPLIST);
    List<Map<String, String>> rows = new ArrayList<>();
    for (Map<String, String> row : source.apply(router)) {
      if (filter.test(row)) {
        rows.add(proplist == null ? row : project(row, proplist));
      }
    }
    if (attrs.containsKey("count-only")) {
      return r.done(Map.of("ret", Integer.toString(rows.size())));
    }
    rows.forEach(r::re);
    if (rows.isEmpty() && Versions.sendsEmpty(router.version())) {
      r.empty();
    }
    return r.done();
  }

  private static Map<String, String> project(Map<String, String> row, String proplist) {
    Map<String, String> out = new LinkedHashMap<>();
    for (String p : proplist.split(",")) {
      String name = p.trim();
      if (row.containsKey(name)) {
        out.put(name, row.get(name));
      }
    }
    return out;
  }

  private List<Map<String, String>> userRows(RouterImpl r) {
    boolean v7 = Versions.atLeast(r.version(), "7");
    List<Map<String, String>> rows = new ArrayList<>();
    for (UserEntry u : r.state().users()) {
      Map<String, String> row = new LinkedHashMap<>();
      row.put(".id", u.itemId());
      row.put("name", u.name());
      row.put("group", u.group());
      row.put("address", u.address());
      if (u.lastLoggedIn() != null) {
        row.put("last-logged-in", Versions.formatTime(r.version(), u.lastLoggedIn()));
      }
      if (v7) {
        row.put("expired", "false");
      }
      row.put("disabled", Boolean.toString(u.disabled()));
      if (!u.comment().isEmpty()) {
        row.put("comment", u.comment());
      }
      // The password is never part of a row.
      rows.add(row);
    }
    return rows;
  }

  private List<Map<String, String>> activeRows(RouterImpl r) {
    List<Map<String, String>> rows = new ArrayList<>();
    for (var a : r.state().sessions()) {
      Map<String, String> row = new LinkedHashMap<>();
      row.put(".id", a.id());
      row.put("when", Versions.formatTime(r.version(), a.when()));
      row.put("name", a.name());
      row.put("address", a.address());
      row.put("via", a.via());
      row.put("group", a.group());
      row.put("radius", "false");
      rows.add(row);
    }
    return rows;
  }

  private List<Map<String, String>> groupRows(RouterImpl r) {
    List<Map<String, String>> rows = new ArrayList<>();
    int id = 1;
    for (GroupSpec g : r.state().groups()) {
      Map<String, String> row = new LinkedHashMap<>();
      row.put(".id", RouterState.itemId(id++));
      row.put("name", g.name());
      row.put("policy", g.policyText());
      row.put("skin", "default");
      rows.add(row);
    }
    return rows;
  }

  private List<Map<String, String>> identityRows(RouterImpl r) {
    return List.of(Map.of("name", r.state().identity()));
  }

  // ---- changes

  private Reply identitySet(Sentence s, Reply r) {
    if (!allowed("write")) {
      return r.fail(null, NO_PERMISSION);
    }
    String name = s.attributes().get("name");
    if (name != null) {
      router.state().identity(name);
    }
    return r.done();
  }

  private Reply userSet(Sentence s, Reply r) {
    if (!allowed("write", "policy")) {
      return r.fail(null, NO_PERMISSION);
    }
    Map<String, String> a = s.attributes();
    for (String k : a.keySet()) {
      if (!USER_SET_PARAMS.contains(k)) {
        return r.fail(null, UNKNOWN_PARAMETER);
      }
    }
    String ref = a.containsKey(".id") ? a.get(".id") : a.get("numbers");
    if (ref == null || ref.isEmpty()) {
      return r.fail(null, MISSING_ID);
    }
    RouterState state = router.state();
    synchronized (state) {
      List<UserEntry> targets = resolveAll(state, ref);
      if (targets == null) {
        return r.fail(null, NO_SUCH_ITEM);
      }
      String group = a.get("group");
      if (group != null && state.group(group) == null) {
        return r.fail(1, "input does not match any value of group");
      }
      Boolean disabled = null;
      if (a.containsKey("disabled")) {
        disabled = bool(a.get("disabled"));
        if (disabled == null) {
          return r.fail(1, "value of disabled must be yes or no");
        }
      }
      String newName = a.get("name");
      if (newName != null) {
        UserEntry clash = state.user(newName);
        if (targets.size() > 1 || clash != null && clash.id() != targets.get(0).id()) {
          return r.fail(null, EXISTS);
        }
      }
      for (UserEntry u : targets) {
        state.replace(new UserEntry(u.id(), newName != null ? newName : u.name(),
            group != null ? group : u.group(), a.getOrDefault("password", u.password()),
            a.getOrDefault("address", u.address()), disabled != null ? disabled : u.disabled(),
            a.getOrDefault("comment", u.comment()), u.lastLoggedIn()));
      }
    }
    return r.done();
  }

  private Reply userAdd(Sentence s, Reply r) {
    if (!allowed("write", "policy")) {
      return r.fail(null, NO_PERMISSION);
    }
    Map<String, String> a = s.attributes();
    for (String k : a.keySet()) {
      if (!USER_ADD_PARAMS.contains(k)) {
        return r.fail(null, UNKNOWN_PARAMETER);
      }
    }
    String name = a.get("name");
    String group = a.get("group");
    if (name == null || name.isEmpty()) {
      return r.fail(1, "missing =name=");
    }
    if (group == null || group.isEmpty()) {
      return r.fail(1, "missing =group=");
    }
    Boolean disabled = a.containsKey("disabled") ? bool(a.get("disabled")) : Boolean.FALSE;
    if (disabled == null) {
      return r.fail(1, "value of disabled must be yes or no");
    }
    RouterState state = router.state();
    UserEntry added;
    synchronized (state) {
      if (state.group(group) == null) {
        return r.fail(1, "input does not match any value of group");
      }
      if (state.user(name) != null) {
        return r.fail(null, EXISTS);
      }
      added = state.add(new UserSpec(name, group, a.get("password"), a.get("address"), disabled), a.get("comment"));
    }
    return r.done(Map.of("ret", added.itemId()));
  }

  /** The users {@code ref} names (ids or names, comma separated); null when one does not exist. Hold the lock. */
  private static List<UserEntry> resolveAll(RouterState state, String ref) {
    List<UserEntry> targets = new ArrayList<>();
    for (String one : ref.split(",")) {
      UserEntry u = state.resolve(one.trim());
      if (u == null) {
        return null;
      }
      targets.add(u);
    }
    return targets;
  }

  private Reply userRemove(Sentence s, Reply r) {
    if (!allowed("write", "policy")) {
      return r.fail(null, NO_PERMISSION);
    }
    Map<String, String> a = s.attributes();
    String ref = a.containsKey(".id") ? a.get(".id") : a.get("numbers");
    if (ref == null || ref.isEmpty()) {
      return r.fail(null, MISSING_ID);
    }
    RouterState state = router.state();
    synchronized (state) {
      List<UserEntry> targets = resolveAll(state, ref);
      if (targets == null) {
        return r.fail(null, NO_SUCH_ITEM);
      }
      targets.forEach(u -> state.remove(u.id()));
    }
    return r.done();
  }

  /** A user changes its own password; needs the {@code password} policy and the old password. */
  private Reply password(Sentence s, Reply r) {
    if (!allowed("password")) {
      return r.fail(null, NO_PERMISSION);
    }
    Map<String, String> a = s.attributes();
    String oldPassword = a.getOrDefault("old-password", "");
    String newPassword = a.getOrDefault("new-password", "");
    String confirm = a.getOrDefault("confirm-new-password", "");
    RouterState state = router.state();
    synchronized (state) {
      UserEntry me = state.resolve(RouterState.itemId(session.user().id()));
      if (me == null) {
        return r.fail(null, NO_SUCH_ITEM);
      }
      if (!me.password().equals(oldPassword)) {
        return r.fail(null, "old password is not valid");
      }
      if (!newPassword.equals(confirm)) {
        return r.fail(null, "new passwords do not match");
      }
      state.replace(me.withPassword(newPassword));
    }
    return r.done();
  }

  private Reply activeRemove(Sentence s, Reply r) {
    if (!allowed("write", "policy")) {
      return r.fail(null, NO_PERMISSION);
    }
    Map<String, String> a = s.attributes();
    String ref = a.containsKey(".id") ? a.get(".id") : a.get("numbers");
    if (ref == null || ref.isEmpty()) {
      return r.fail(null, MISSING_ID);
    }
    RouterState state = router.state();
    List<RouterState.SessionEntry> targets = new ArrayList<>();
    for (String one : ref.split(",")) {
      RouterState.SessionEntry e = state.session(one.trim());
      if (e == null) {
        return r.fail(null, NO_SUCH_ITEM);
      }
      targets.add(e);
    }
    for (RouterState.SessionEntry e : targets) {
      state.closeSession(e.session().id());
      if (e.session().id().equals(session.sessionId())) {
        r.closeAfterWrite(); // ending its own session: the reply goes out first
      } else {
        e.closer().run();
      }
    }
    return r.done();
  }

  /** {@code /cancel} ({@code =tag=} optional) interrupts commands whose replies the delay fault holds back. */
  private Reply cancel(Sentence s, Reply r) {
    session.cancelDelayed(s.attributes().get("tag"));
    return r.done();
  }

  private static Boolean bool(String v) {
    return switch (v == null ? "" : v) {
      case "yes", "true" -> Boolean.TRUE;
      case "no", "false" -> Boolean.FALSE;
      default -> null;
    };
  }
}
