package controlplane.http.impl;

import io.vertx.core.Handler;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.auth.User;
import io.vertx.ext.auth.authentication.TokenCredentials;
import io.vertx.ext.auth.jwt.JWTAuth;
import io.vertx.ext.web.RoutingContext;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Authenticates the bearer token of one operation and checks its scope. Signature, algorithm, {@code exp},
 * {@code nbf}, {@code iat}, issuer and audience are checked by the Vert.x JWT provider; this handler additionally
 * requires {@code exp}, a string {@code org_id} and a {@code sub}. No token: 401 with {@code WWW-Authenticate:
 * Bearer}; a bad one: 401 with {@code error="invalid_token"}; a valid one without the scope: 403. A token that
 * passed all of this is remembered in {@link VerifiedTokens} and not verified again while it is trusted there; the
 * scope is checked on every request. The token is never logged.
 */
public final class BearerAuthHandler implements Handler<RoutingContext> {

  private static final Logger LOG = LoggerFactory.getLogger(BearerAuthHandler.class);
  private static final int MAX_TOKEN_LENGTH = 8192;

  private final JWTAuth jwt;
  private final VerifiedTokens verified;
  private final String requiredScope;

  /**
   * Requires {@code requiredScope}, or only a valid token when it is null. {@code verified} must hold only tokens
   * verified by {@code jwt}.
   */
  public BearerAuthHandler(JWTAuth jwt, VerifiedTokens verified, String requiredScope) {
    this.jwt = jwt;
    this.verified = verified;
    this.requiredScope = requiredScope;
  }

  @Override
  public void handle(RoutingContext ctx) {
    String header = ctx.request().getHeader("Authorization");
    if (header == null || !header.regionMatches(true, 0, "Bearer ", 0, 7)) {
      ctx.fail(new ApiException(HttpError.missingToken()));
      return;
    }
    String token = header.substring(7).trim();
    if (token.isEmpty() || token.length() > MAX_TOKEN_LENGTH || token.chars().filter(c -> c == '.').count() != 2) {
      ctx.fail(new ApiException(HttpError.invalidToken("malformed token")));
      return;
    }
    Principal known = verified.get(token);
    if (known != null) {
      authorise(ctx, known);
      return;
    }
    long generation = verified.generation();
    jwt.authenticate(new TokenCredentials(token))
      .onFailure(e -> {
        LOG.debug("request {}: token refused: {}", RequestIds.of(ctx), reason(e));
        ctx.fail(new ApiException(HttpError.invalidToken("the token is invalid, expired or not yet valid")));
      })
      .onSuccess(user -> {
        JsonObject claims = claims(user);
        Principal principal = identify(ctx, claims);
        if (principal != null) {
          verified.put(token, principal, claims.getLong("exp"), generation);
          authorise(ctx, principal);
        }
      });
  }

  /** The caller named by verified {@code claims}, or null after failing {@code ctx} when a claim is missing. */
  private static Principal identify(RoutingContext ctx, JsonObject claims) {
    if (!(claims.getValue("exp") instanceof Number)) {
      ctx.fail(new ApiException(HttpError.invalidToken("the token has no exp claim")));
      return null;
    }
    if (!(claims.getValue("org_id") instanceof String org) || org.isBlank()) {
      ctx.fail(new ApiException(HttpError.invalidToken("the token has no org_id claim")));
      return null;
    }
    if (!(claims.getValue("sub") instanceof String sub) || sub.isBlank()) {
      ctx.fail(new ApiException(HttpError.invalidToken("the token has no sub claim")));
      return null;
    }
    return new Principal(org, sub, scopes(claims.getValue("scope")));
  }

  private void authorise(RoutingContext ctx, Principal principal) {
    if (requiredScope != null && !principal.scopes().contains(requiredScope)) {
      ctx.fail(new ApiException(HttpError.insufficientScope(requiredScope)));
      return;
    }
    principal.attach(ctx);
    ctx.next();
  }

  /** The gist of a refusal for the debug log: the text before any detail that could quote the token. */
  static String reason(Throwable e) {
    String message = e.getMessage();
    if (message == null || message.isBlank()) {
      return e.getClass().getSimpleName();
    }
    String gist = message.split("[:\\n{\\[]", 2)[0].trim();
    return gist.length() > 100 ? gist.substring(0, 100) : gist;
  }

  /** The verified payload: Vert.x keeps it under the {@code accessToken} attribute. */
  static JsonObject claims(User user) {
    JsonObject payload = user.attributes().getJsonObject("accessToken");
    return payload != null ? payload : user.principal();
  }

  private static Set<String> scopes(Object claim) {
    Set<String> out = new LinkedHashSet<>();
    if (claim instanceof String s) {
      out.addAll(Arrays.asList(s.trim().split("\\s+")));
    } else if (claim instanceof JsonArray array) {
      array.forEach(item -> out.add(String.valueOf(item)));
    }
    out.remove("");
    return Collections.unmodifiableSet(out);
  }
}
