package controlplane.core.bus;

import io.vertx.core.eventbus.ReplyException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A {@link Failure#RATE_LIMITED} failure and when to come back. A failure carries only a code and a text, so the wait
 * travels at the end of the text ("...; retry after N s"); this class writes it and is the one place that reads it.
 */
public final class RateLimit {

  private static final Pattern RETRY_AFTER = Pattern.compile("; retry after (\\d{1,9}) s$");

  private RateLimit() {
  }

  /** {@code rate_limited}, saying {@code what} and to retry after {@code seconds} (at least 1). */
  public static ReplyException exceeded(String what, long seconds) {
    return Failure.RATE_LIMITED.exception(what + "; retry after " + Math.max(1, seconds) + " s");
  }

  /** The seconds a {@code rate_limited} message asks to wait; 1 when it names none. */
  public static long retryAfterSeconds(String message) {
    Matcher m = message == null ? null : RETRY_AFTER.matcher(message);
    return m != null && m.find() ? Math.max(1, Long.parseLong(m.group(1))) : 1;
  }
}
