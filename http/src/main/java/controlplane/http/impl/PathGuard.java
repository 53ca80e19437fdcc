package controlplane.http.impl;

import controlplane.core.bus.Failure;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.SecurityPolicyHandler;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Refuses paths that are not in canonical form before routing: dot segments, empty segments, backslashes and
 * percent-encoded slashes, backslashes, dots or NULs. The router would otherwise resolve them into another route
 * ({@code /control-plane/x/../../metrics}) or decode them into a path parameter. Such a path is a 400
 * {@code invalid_request}, not a redirect or a guess.
 */
public final class PathGuard implements SecurityPolicyHandler {

  /** The contract's pattern for a site id (a test holds the two equal: validation relies on it). */
  static final String UUID_PATTERN =
    "^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$";
  private static final Pattern UUID = Pattern.compile(UUID_PATTERN);

  @Override
  public void handle(RoutingContext ctx) {
    String path = ctx.request().path();
    if (path == null || !isCanonical(path)) {
      ctx.fail(new ApiException(HttpError.of(Failure.INVALID_REQUEST,
        "the path is not in canonical form (dot segments, empty segments or encoded separators)")));
      return;
    }
    ctx.next();
  }

  static boolean isCanonical(String path) {
    if (!path.startsWith("/") || path.contains("//") || path.indexOf('\\') >= 0) {
      return false;
    }
    String lower = path.toLowerCase(Locale.ROOT);
    if (lower.contains("%2f") || lower.contains("%5c") || lower.contains("%2e") || lower.contains("%00")) {
      return false;
    }
    for (String segment : path.split("/", -1)) {
      if (segment.equals(".") || segment.equals("..")) {
        return false;
      }
    }
    return true;
  }

  /** Whether {@code siteId} is a UUID in its textual form (what {@code UUID.fromString} would loosely accept is not). */
  public static boolean isUuid(String siteId) {
    return siteId != null && UUID.matcher(siteId).matches();
  }
}
