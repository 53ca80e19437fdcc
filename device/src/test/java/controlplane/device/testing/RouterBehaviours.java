package controlplane.device.testing;

import controlplane.device.protocol.Sentence;

/** Small well-behaved behaviours for client tests. */
public final class RouterBehaviours {

  /** Accepts {@code /login} for {@code user}/{@code password}, answers {@code /quit} with !fatal, the rest !done. */
  public static FakeRouter.Behaviour plainLogin(String user, String password) {
    return (session, cmd) -> {
      switch (cmd.head()) {
        case "/login" -> {
          if (user.equals(cmd.attribute("name")) && password.equals(cmd.attribute("password"))) {
            session.reply(cmd, "!done");
          } else {
            session.reply(cmd, "!trap", "=message=invalid user name or password (6)").reply(cmd, "!done");
          }
        }
        case "/quit" -> {
          session.raw("!fatal", "session terminated on request");
          session.close();
        }
        default -> session.reply(cmd, "!done");
      }
    };
  }

  private RouterBehaviours() {
  }

  /** Ignores every command. */
  public static FakeRouter.Behaviour silent() {
    return (session, cmd) -> { };
  }

  /** Convenience for behaviours that only care about the command word. */
  public static boolean is(Sentence cmd, String head) {
    return head.equals(cmd.head());
  }
}
