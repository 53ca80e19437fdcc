package controlplane.simulator.impl;

import controlplane.device.protocol.Sentence;
import controlplane.simulator.GroupSpec;
import controlplane.simulator.LoginStyle;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.Map;
import java.util.function.Predicate;

/**
 * {@code /login} in both styles. Plain (6.43+): {@code =name= =password=} answered {@code !done}, failure
 * {@code invalid user name or password (6)}. Legacy (before 6.43): any {@code /login} without {@code =response=}
 * gets {@code !done =ret=<challenge>}; the response is {@code 00} + MD5(0x00, password, challenge bytes), failure
 * {@code cannot log in}. A 6.x router with plain login still answers a bare {@code /login} with a challenge.
 * Every refusal (unknown user, wrong password, disabled, address not allowed, no {@code api} policy, the
 * rejectLogins fault) reads the same, as on a real router.
 */
final class Login {

  static final String PLAIN_FAILURE = "invalid user name or password (6)";
  static final String LEGACY_FAILURE = "cannot log in";
  private static final SecureRandom RANDOM = new SecureRandom();
  private static final HexFormat HEX = HexFormat.of();

  private final RouterImpl router;
  private final ApiSession session;

  Login(RouterImpl router, ApiSession session) {
    this.router = router;
    this.session = session;
  }

  Reply execute(Sentence s, Reply r) {
    Map<String, String> a = s.attributes();
    String name = a.get("name");
    String response = a.get("response");
    if (response != null) {
      byte[] challenge = session.challenge();
      session.challenge(null); // one answer per challenge
      boolean ok = challenge != null && name != null
          && authenticate(name, u -> MessageDigest.isEqual(
              expectedResponse(u.password(), challenge).getBytes(StandardCharsets.US_ASCII),
              response.toLowerCase(java.util.Locale.ROOT).getBytes(StandardCharsets.US_ASCII)));
      return ok ? r.done() : r.fail(null, LEGACY_FAILURE);
    }
    boolean offersChallenge = router.loginStyle() == LoginStyle.LEGACY
        || name == null && !Versions.atLeast(router.version(), "7");
    if (offersChallenge) {
      byte[] challenge = new byte[16];
      RANDOM.nextBytes(challenge);
      session.challenge(challenge);
      return r.done(Map.of("ret", HEX.formatHex(challenge)));
    }
    String password = a.getOrDefault("password", "");
    boolean ok = name != null && authenticate(name, u -> MessageDigest.isEqual(
        u.password().getBytes(StandardCharsets.UTF_8), password.getBytes(StandardCharsets.UTF_8)));
    return ok ? r.done() : r.fail(null, PLAIN_FAILURE);
  }

  private boolean authenticate(String name, Predicate<UserEntry> passwordMatches) {
    if (router.faults().rejectLogins()) {
      return false;
    }
    RouterState state = router.state();
    UserEntry u = state.user(name);
    if (u == null || u.disabled() || !Ipv4.allowed(u.address(), session.remoteAddress())) {
      return false;
    }
    GroupSpec g = state.group(u.group());
    if (g == null || !g.has("api") || !passwordMatches.test(u)) {
      return false;
    }
    session.loggedIn(u);
    return true;
  }

  /** {@code 00} + hex MD5 over the byte 0, the password bytes and the decoded challenge bytes. */
  static String expectedResponse(String password, byte[] challenge) {
    try {
      MessageDigest md5 = MessageDigest.getInstance("MD5");
      md5.update((byte) 0);
      md5.update(password.getBytes(StandardCharsets.UTF_8));
      md5.update(challenge);
      return "00" + HEX.formatHex(md5.digest());
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("MD5 is always available", e);
    }
  }
}
