package controlplane.http.impl;

import io.vertx.ext.web.RoutingContext;
import java.util.UUID;
import java.util.regex.Pattern;

/** The request id of a routing context: echoed from {@code X-Request-Id} when sane, otherwise a fresh UUID. */
public final class RequestIds {

  public static final String HEADER = "X-Request-Id";
  private static final String KEY = "cp.requestId";
  private static final Pattern SANE = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._:\\-]{0,127}");

  private RequestIds() {
  }

  /** Picks the id, stores it in the context and puts it on the response. */
  static String assign(RoutingContext ctx) {
    String incoming = ctx.request().getHeader(HEADER);
    String id = incoming != null && SANE.matcher(incoming).matches() ? incoming : UUID.randomUUID().toString();
    ctx.put(KEY, id);
    ctx.response().putHeader(HEADER, id);
    return id;
  }

  /** The id assigned to {@code ctx}, or "-" before assignment. */
  public static String of(RoutingContext ctx) {
    String id = ctx.get(KEY);
    return id == null ? "-" : id;
  }
}
