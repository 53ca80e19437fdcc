package controlplane.simulator;

import static org.assertj.core.api.Assertions.assertThat;

import controlplane.device.protocol.Sentence;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** Exact replies, word by word, over raw sockets. */
class ProtocolRepliesTest {

  private static final String FLEET = """
      routers:
        - name: r715
          address: 127.77.1.1
          port: 8728
          version: "7.15.3"
          users:
            - { name: admin, group: full, password: "" }
            - { name: altostrat-api, group: full, password: "bootstrap" }
            - { name: viewer, group: read, password: "v" }
            - { name: apionly, group: apionly, password: "a" }
            - { name: office, group: full, password: "o", address: "10.0.0.0/8" }
            - { name: gone, group: full, password: "g", disabled: true }
            - { name: noapi, group: noapi, password: "n" }
          groups:
            - { name: apionly, policy: "api,read" }
            - { name: noapi, policy: "read,write,policy,ssh" }
        - name: r718
          address: 127.77.1.2
          port: 8728
          version: "7.18"
          users: [ { name: admin, group: full, password: "" } ]
        - name: r6
          address: 127.77.1.3
          port: 8728
          version: "6.48.6"
          login: legacy
          identity: old-one
          users: [ { name: admin, group: full, password: "secret" } ]
        - name: mutable
          address: 127.77.1.4
          port: 8728
          version: "7.19.1"
          users:
            - { name: admin, group: full, password: "" }
            - { name: altostrat-api, group: full, password: "bootstrap" }
            - { name: viewer, group: read, password: "v" }
      """;

  private static SimulatorFixture sim;

  @BeforeAll
  static void start() throws Exception {
    sim = SimulatorFixture.start(FLEET);
  }

  @AfterAll
  static void stop() throws Exception {
    sim.close();
  }

  private static RawClient connect(String router) throws Exception {
    return RawClient.connect(sim.router(router));
  }

  private static Sentence s(String... words) {
    return Sentence.of(words);
  }

  @Test
  @DisplayName("plain login answers !done, and a wrong password the exact trap without category")
  void plainLogin() throws Exception {
    try (RawClient c = connect("r715")) {
      assertThat(c.call("/login", "=name=altostrat-api", "=password=wrong")).containsExactly(
          s("!trap", "=message=invalid user name or password (6)"), s("!done"));
      assertThat(c.call("/login", "=name=altostrat-api", "=password=bootstrap")).containsExactly(s("!done"));
    }
  }

  @Test
  @DisplayName("a tag goes right after the reply word of every reply, and untagged commands get no tag")
  void tags() throws Exception {
    try (RawClient c = connect("r715")) {
      assertThat(c.call("/login", "=name=admin", "=password=", ".tag=L")).containsExactly(s("!done", ".tag=L"));
      assertThat(c.call("/system/identity/print", ".tag=7")).containsExactly(
          s("!re", ".tag=7", "=name=r715"), s("!done", ".tag=7"));
      assertThat(c.call("/system/identity/print")).containsExactly(s("!re", "=name=r715"), s("!done"));
      assertThat(c.call("/nope/print", ".tag=x")).containsExactly(
          s("!trap", ".tag=x", "=category=0", "=message=no such command"), s("!done", ".tag=x"));
    }
  }

  @Test
  @DisplayName("interleaved tagged commands are each answered with their own tag")
  void interleavedTags() throws Exception {
    try (RawClient c = connect("r715").login("admin", "")) {
      c.send("/system/identity/print", ".tag=a");
      c.send("/user/print", "?name=viewer", "=.proplist=name", ".tag=b");
      List<Sentence> all = new java.util.ArrayList<>();
      all.addAll(c.readReply());
      all.addAll(c.readReply());
      assertThat(all).containsExactly(s("!re", ".tag=a", "=name=r715"), s("!done", ".tag=a"),
          s("!re", ".tag=b", "=name=viewer"), s("!done", ".tag=b"));
    }
  }

  @Test
  @DisplayName("commands before login are refused and the connection stays usable")
  void beforeLogin() throws Exception {
    try (RawClient c = connect("r715")) {
      assertThat(c.call("/user/print")).containsExactly(s("!trap", "=message=not logged in"), s("!done"));
      c.login("admin", "");
      assertThat(c.call("/system/identity/print")).containsExactly(s("!re", "=name=r715"), s("!done"));
    }
  }

  @Test
  @DisplayName("/user/print with ?name= or ?=name= returns the row without any password")
  void userPrintByName() throws Exception {
    try (RawClient c = connect("r715").login("admin", "")) {
      List<Sentence> reply = c.call("/user/print", "?name=altostrat-api");
      assertThat(reply).hasSize(2);
      Sentence row = reply.get(0);
      assertThat(row.head()).isEqualTo("!re");
      assertThat(row.attributes()).containsEntry(".id", "*2").containsEntry("name", "altostrat-api")
          .containsEntry("group", "full").containsEntry("address", "").containsEntry("disabled", "false")
          .containsEntry("expired", "false").doesNotContainKey("password");
      assertThat(row.words()).noneMatch(w -> w.contains("bootstrap"));
      assertThat(reply.get(1)).isEqualTo(s("!done"));
      assertThat(c.call("/user/print", "?=name=altostrat-api")).isEqualTo(reply);
      assertThat(c.call("/user/getall", "?name=altostrat-api")).isEqualTo(reply);
    }
  }

  @Test
  @DisplayName("=.proplist= limits and orders the properties; queries ?name, ?-name and ?# combine")
  void proplistAndQueries() throws Exception {
    try (RawClient c = connect("r715").login("admin", "")) {
      assertThat(c.call("/user/print", "=.proplist=group,name", "?name=viewer")).containsExactly(
          s("!re", "=group=read", "=name=viewer"), s("!done"));
      assertThat(c.call("/user/print", "=.proplist=name", "?name=admin", "?name=viewer", "?#|")).containsExactly(
          s("!re", "=name=admin"), s("!re", "=name=viewer"), s("!done"));
      assertThat(c.call("/user/print", "=.proplist=name", "?group=full", "?disabled=false", "?#&!"))
          .extracting(x -> x.attributes().get("name"))
          .containsExactly("viewer", "apionly", "gone", "noapi", null);
      // Nobody has logged in as viewer: it has no last-logged-in property.
      assertThat(c.call("/user/print", "=.proplist=name", "?-last-logged-in", "?name=viewer"))
          .containsExactly(s("!re", "=name=viewer"), s("!done"));
      assertThat(c.call("/user/print", "=.proplist=name", "?last-logged-in"))
          .containsExactly(s("!re", "=name=admin"), s("!done"));
      assertThat(c.call("/user/print", "=count-only=", "?group=full")).containsExactly(s("!done", "=ret=4"));
    }
  }

  @Test
  @DisplayName("an empty print is just !done before 7.18 and !empty then !done from 7.18")
  void emptyByVersion() throws Exception {
    try (RawClient c = connect("r715").login("admin", "")) {
      assertThat(c.call("/user/print", "?name=nobody")).containsExactly(s("!done"));
    }
    try (RawClient c = connect("r718").login("admin", "")) {
      assertThat(c.call("/user/print", "?name=nobody")).containsExactly(s("!empty"), s("!done"));
      assertThat(c.call("/user/print", "?name=nobody", ".tag=3")).containsExactly(
          s("!empty", ".tag=3"), s("!done", ".tag=3"));
      assertThat(c.call("/user/print", "=.proplist=name", "?name=admin")).containsExactly(
          s("!re", "=name=admin"), s("!done"));
    }
  }

  @Test
  @DisplayName("unknown verbs and unknown menus trap 'no such command' with category 0, then !done")
  void unknownCommand() throws Exception {
    try (RawClient c = connect("r715").login("admin", "")) {
      assertThat(c.call("/user/frobnicate")).containsExactly(
          s("!trap", "=category=0", "=message=no such command"), s("!done"));
      assertThat(c.call("/ip/adress/print")).containsExactly(
          s("!trap", "=category=0", "=message=no such command"), s("!done"));
    }
  }

  @Test
  @DisplayName("/quit answers !fatal with the bare reason, then the router closes")
  void quit() throws Exception {
    try (RawClient c = connect("r715").login("admin", "")) {
      assertThat(c.call("/quit", ".tag=q")).containsExactly(s("!fatal", "session terminated on request"));
      assertThat(c.closedByRouter()).isTrue();
    }
  }

  @Test
  @DisplayName("garbage closes only that connection")
  void garbage() throws Exception {
    try (RawClient good = connect("r715").login("admin", ""); RawClient bad = connect("r715")) {
      bad.sendRaw(new byte[] {(byte) 0xF8, 1, 2, 3});
      assertThat(bad.closedByRouter()).isTrue();
      assertThat(good.call("/system/identity/print")).containsExactly(s("!re", "=name=r715"), s("!done"));
      try (RawClient again = connect("r715")) {
        again.login("admin", "");
      }
    }
  }

  @Test
  @DisplayName("a sentence split into single bytes is evaluated once complete")
  void byteAtATime() throws Exception {
    try (RawClient c = connect("r715")) {
      byte[] login = controlplane.device.protocol.SentenceEncoder.encode(
          List.of("/login", "=name=admin", "=password=")).getBytes();
      for (byte b : login) {
        c.sendRaw(new byte[] {b});
      }
      assertThat(c.readReply()).containsExactly(s("!done"));
    }
  }

  @Test
  @DisplayName("disabled users, users from other addresses and groups without api cannot log in")
  void loginRestrictions() throws Exception {
    try (RawClient c = connect("r715")) {
      List<Sentence> refused = List.of(s("!trap", "=message=invalid user name or password (6)"), s("!done"));
      assertThat(c.call("/login", "=name=office", "=password=o")).isEqualTo(refused);
      assertThat(c.call("/login", "=name=gone", "=password=g")).isEqualTo(refused);
      assertThat(c.call("/login", "=name=noapi", "=password=n")).isEqualTo(refused);
      assertThat(c.call("/login", "=name=nobody", "=password=")).isEqualTo(refused);
    }
  }

  @Test
  @DisplayName("group policies are enforced: read cannot /user/set, a group without password cannot /password")
  void policies() throws Exception {
    List<Sentence> denied = List.of(s("!trap", "=message=not enough permissions"), s("!done"));
    try (RawClient c = connect("r715").login("viewer", "v")) {
      assertThat(c.call("/user/set", "=.id=*2", "=password=x")).isEqualTo(denied);
      assertThat(c.call("/user/add", "=name=x", "=group=full")).isEqualTo(denied);
      assertThat(c.call("/user/print", "=.proplist=name", "?name=viewer")).containsExactly(
          s("!re", "=name=viewer"), s("!done"));
    }
    try (RawClient c = connect("r715").login("apionly", "a")) {
      assertThat(c.call("/password", "=old-password=a", "=new-password=b", "=confirm-new-password=b"))
          .isEqualTo(denied);
    }
    assertThat(sim.router("r715").user("altostrat-api").orElseThrow().password()).isEqualTo("bootstrap");
  }

  @Test
  @DisplayName("a password rotation: the new password logs in, the old is refused, the open session survives")
  void rotation() throws Exception {
    try (RawClient c = connect("mutable").login("altostrat-api", "bootstrap")) {
      String id = c.call("/user/print", "?name=altostrat-api").get(0).attributes().get(".id");
      assertThat(c.call("/user/set")).containsExactly(s("!trap", "=message=missing =.id="), s("!done"));
      assertThat(c.call("/user/set", "=.id=*99", "=password=x")).containsExactly(
          s("!trap", "=message=no such item (4)"), s("!done"));
      assertThat(c.call("/user/set", "=.id=" + id, "=group=nonexistent")).containsExactly(
          s("!trap", "=category=1", "=message=input does not match any value of group"), s("!done"));
      assertThat(c.call("/user/set", "=.id=" + id, "=password=rotated-1", ".tag=9")).containsExactly(
          s("!done", ".tag=9"));
      try (RawClient fresh = connect("mutable")) {
        assertThat(fresh.call("/login", "=name=altostrat-api", "=password=bootstrap").get(0).head())
            .isEqualTo("!trap");
        fresh.login("altostrat-api", "rotated-1");
      }
      // The session that made the change is still alive.
      assertThat(c.call("/system/identity/print")).containsExactly(s("!re", "=name=mutable"), s("!done"));
      // Put it back for the other tests.
      c.call("/user/set", "=numbers=altostrat-api", "=password=bootstrap");
    }
  }

  @Test
  @DisplayName("/user/add answers =ret=*N, refuses duplicates, and /user/remove deletes")
  void addAndRemove() throws Exception {
    try (RawClient c = connect("mutable").login("admin", "")) {
      List<Sentence> added = c.call("/user/add", "=name=temp", "=group=read", "=password=t");
      assertThat(added).hasSize(1);
      String id = added.get(0).attributes().get("ret");
      assertThat(id).matches("\\*[0-9A-F]+");
      assertThat(c.call("/user/add", "=name=temp", "=group=read")).containsExactly(
          s("!trap", "=message=entry already exists"), s("!done"));
      try (RawClient t = connect("mutable")) {
        t.login("temp", "t");
      }
      assertThat(c.call("/user/remove", "=.id=" + id)).containsExactly(s("!done"));
      assertThat(c.call("/user/remove", "=.id=" + id)).containsExactly(
          s("!trap", "=message=no such item (4)"), s("!done"));
      assertThat(sim.router("mutable").user("temp")).isEmpty();
    }
  }

  @Test
  @DisplayName("/password changes one's own password and checks the old one and the confirmation")
  void ownPassword() throws Exception {
    try (RawClient c = connect("mutable").login("viewer", "v")) {
      assertThat(c.call("/password", "=old-password=bad", "=new-password=w", "=confirm-new-password=w"))
          .containsExactly(s("!trap", "=message=old password is not valid"), s("!done"));
      assertThat(c.call("/password", "=old-password=v", "=new-password=w", "=confirm-new-password=x"))
          .containsExactly(s("!trap", "=message=new passwords do not match"), s("!done"));
      assertThat(c.call("/password", "=old-password=v", "=new-password=w", "=confirm-new-password=w"))
          .containsExactly(s("!done"));
    }
    assertThat(sim.router("mutable").user("viewer").orElseThrow().password()).isEqualTo("w");
    sim.router("mutable").setPassword("viewer", "v");
  }

  @Test
  @DisplayName("/user/active lists API sessions and /user/active/remove ends one")
  void activeSessions() throws Exception {
    try (RawClient admin = connect("mutable").login("admin", "");
        RawClient other = connect("mutable").login("viewer", "v")) {
      List<Sentence> rows = admin.call("/user/active/print", "?name=viewer");
      assertThat(rows).hasSize(2);
      assertThat(rows.get(0).attributes()).containsEntry("name", "viewer").containsEntry("via", "api")
          .containsEntry("group", "read").containsEntry("address", "127.0.0.1").containsKey("when");
      String id = rows.get(0).attributes().get(".id");
      assertThat(admin.call("/user/active/remove", "=.id=" + id)).containsExactly(s("!done"));
      assertThat(other.closedByRouter()).isTrue();
      assertThat(admin.call("/user/active/print", "?name=viewer")).containsExactly(s("!empty"), s("!done"));
    }
  }

  @Test
  @DisplayName("legacy login: a challenge, then the MD5 response; a wrong one 'cannot log in'")
  void legacyLogin() throws Exception {
    try (RawClient c = connect("r6")) {
      List<Sentence> challenge = c.call("/login", "=name=admin", "=password=secret");
      assertThat(challenge).hasSize(1);
      String ret = challenge.get(0).attributes().get("ret");
      assertThat(ret).matches("[0-9a-f]{32}");
      assertThat(c.call("/login", "=name=admin", "=response=00" + "0".repeat(32))).containsExactly(
          s("!trap", "=message=cannot log in"), s("!done"));
      ret = c.call("/login").get(0).attributes().get("ret");
      assertThat(c.call("/login", "=name=admin", "=response=" + response("secret", ret))).containsExactly(s("!done"));
      assertThat(c.call("/system/identity/print")).containsExactly(s("!re", "=name=old-one"), s("!done"));
    }
  }

  @Test
  @DisplayName("the MD5 response matches the vectors of ROUTEROS-API.md")
  void legacyVectors() throws Exception {
    assertThat(response("", "93b438ec9b80057c06dd9fe67d56aa9a")).isEqualTo("00e134102a9d330dd7b1849fedfea3cb57");
    assertThat(response("test", "259e0bc05acd6f46926dc2f809ed1bba")).isEqualTo("00c7fd865183a43a772dde231f6d0bff13");
  }

  @Test
  @DisplayName("resource, service and group prints carry what a control plane reads")
  void systemReads() throws Exception {
    try (RawClient c = connect("r715").login("admin", "")) {
      Sentence res = c.call("/system/resource/print").get(0);
      assertThat(res.attributes()).containsEntry("version", "7.15.3 (stable)").containsKeys("uptime",
          "board-name", "architecture-name", "cpu-count", "cpu-load", "free-memory", "total-memory");
      assertThat(res.attributes().get("free-memory")).matches("\\d+");
      List<Sentence> api = c.call("/ip/service/print", "?name=api");
      assertThat(api.get(0).attributes()).containsEntry("port", "8728").containsEntry("disabled", "false")
          .containsEntry("max-sessions", "20");
      assertThat(c.call("/ip/service/print", "?name=api-ssl").get(0).attributes())
          .containsEntry("port", "8729").containsEntry("disabled", "true");
      assertThat(c.call("/user/group/print", "=.proplist=name", "?name=apionly")).containsExactly(
          s("!re", "=name=apionly"), s("!done"));
    }
  }

  private static String response(String password, String challengeHex) throws Exception {
    MessageDigest md5 = MessageDigest.getInstance("MD5");
    md5.update((byte) 0);
    md5.update(password.getBytes(StandardCharsets.UTF_8));
    md5.update(HexFormat.of().parseHex(challengeHex));
    return "00" + HexFormat.of().formatHex(md5.digest());
  }
}
