package controlplane.http.impl;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.auth.JWTOptions;
import io.vertx.ext.auth.NoSuchKeyIdException;
import io.vertx.ext.auth.User;
import io.vertx.ext.auth.authentication.Credentials;
import io.vertx.ext.auth.jwt.JWTAuth;
import io.vertx.ext.auth.jwt.JWTAuthOptions;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The JWT verifier of {@code auth.jwt}: the configured keys plus the current key set of the JWKS, if one is
 * configured. The JWKS is fetched again every {@code jwksRefreshSeconds}, and when a token names a key this verifier
 * does not hold (Vert.x's {@link NoSuchKeyIdException}), unless a fetch began less than {@code jwksMinRefreshSeconds}
 * ago; such a token is verified again once that fetch settles. One fetch at a time. A fetch that fails, or finds no
 * usable key, changes nothing (the last good set stays, the failure is logged); one that finds another set replaces
 * the verifier atomically and tells the {@link #onChange} listener, so that tokens trusted under the old set are not
 * trusted any longer.
 */
public final class JwksKeys implements JWTAuth {

  private static final Logger LOG = LoggerFactory.getLogger(JwksKeys.class);

  private record KeySet(JWTAuth verifier, List<JsonObject> jwks) {
  }

  private final Vertx vertx;
  /** Where fetches run, whichever thread asks for one: the response is read on the thread that sent the request. */
  private final Context context;
  private final JWTAuthOptions configured;
  private final JwksFetcher fetcher;
  private final long minRefreshMillis;
  private final LongSupplier clockMillis;
  private final AtomicReference<KeySet> current = new AtomicReference<>();
  private volatile Runnable onChange = () -> { };
  private Future<Void> fetching;
  private long lastFetchMillis;
  private long timerId = -1;

  private JwksKeys(Vertx vertx, JWTAuthOptions configured, JwksFetcher fetcher, long minRefreshMillis,
                   LongSupplier clockMillis) {
    this.vertx = vertx;
    this.context = vertx.getOrCreateContext();
    this.configured = configured;
    this.fetcher = fetcher;
    this.minRefreshMillis = minRefreshMillis;
    this.clockMillis = clockMillis;
  }

  /** A verifier of the {@code configured} keys only: nothing to fetch. */
  static JwksKeys fixed(Vertx vertx, JWTAuthOptions configured) {
    JwksKeys keys = new JwksKeys(vertx, configured, null, 0, System::currentTimeMillis);
    keys.current.set(new KeySet(JWTAuth.create(vertx, configured), List.of()));
    return keys;
  }

  /**
   * Fetches the JWKS at {@code url} once, then every {@code refreshMillis} (the timer belongs to the calling
   * verticle's context). Fails when the first fetch does, or when it leaves no key at all.
   */
  static Future<JwksKeys> start(Vertx vertx, JWTAuthOptions configured, String url, long refreshMillis,
                                long minRefreshMillis, LongSupplier clockMillis) {
    JwksFetcher fetcher = new JwksFetcher(vertx, url);
    JwksKeys keys = new JwksKeys(vertx, configured, fetcher, minRefreshMillis, clockMillis);
    keys.lastFetchMillis = clockMillis.getAsLong();
    return fetcher.fetch()
      .recover(e -> Future.failedFuture(new IllegalStateException(
        "auth.jwt.jwksUrl: the JWKS at " + fetcher.shownUrl() + " could not be loaded: " + message(e))))
      .map(jwks -> {
        if (jwks.isEmpty() && isEmpty(configured.getPubSecKeys())) {
          throw new IllegalStateException("no usable JWT verification key in the configuration");
        }
        keys.current.set(new KeySet(keys.verifier(jwks), jwks));
        LOG.info("loaded {} JWT key(s) from {}: {}", jwks.size(), fetcher.shownUrl(), kids(jwks));
        keys.timerId = vertx.setPeriodic(refreshMillis, id -> keys.fetch(false));
        return keys;
      });
  }

  /** Called after every change of the key set. */
  public void onChange(Runnable listener) {
    this.onChange = Objects.requireNonNull(listener);
  }

  /** Stops the regular fetch. */
  public void close() {
    if (timerId >= 0) {
      vertx.cancelTimer(timerId);
      timerId = -1;
    }
  }

  @Override
  public Future<User> authenticate(Credentials credentials) {
    KeySet tried = current.get();
    return tried.verifier().authenticate(credentials).recover(err -> {
      if (fetcher == null || !(err instanceof NoSuchKeyIdException)) {
        return Future.failedFuture(err);
      }
      return fetch(true).compose(v -> {
        KeySet now = current.get();
        return now == tried ? Future.failedFuture(err) : now.verifier().authenticate(credentials);
      });
    });
  }

  @Override
  public String generateToken(JsonObject claims, JWTOptions options) {
    return current.get().verifier().generateToken(claims, options);
  }

  @Override
  public String generateToken(JsonObject claims) {
    return current.get().verifier().generateToken(claims);
  }

  /**
   * Fetches the JWKS unless a fetch is under way (its outcome is awaited instead) or, for an unknown key
   * ({@code onDemand}), unless the last one began less than the minimum interval ago. Never fails.
   */
  private Future<Void> fetch(boolean onDemand) {
    Promise<Void> done;
    synchronized (this) {
      if (fetching != null) {
        return fetching;
      }
      long now = clockMillis.getAsLong();
      if (onDemand && now - lastFetchMillis < minRefreshMillis) {
        return Future.succeededFuture();
      }
      lastFetchMillis = now;
      done = Promise.promise();
      fetching = done.future();
    }
    Promise<List<JsonObject>> fetched = Promise.promise();
    context.runOnContext(v -> fetcher.fetch().onComplete(fetched));
    fetched.future().onComplete(ar -> {
      if (ar.succeeded()) {
        install(ar.result(), onDemand);
      } else {
        LOG.warn("JWKS {} could not be fetched ({}); keeping the {} key(s) of the last good set",
          fetcher.shownUrl(), message(ar.cause()), current.get().jwks().size());
      }
      synchronized (this) {
        fetching = null;
      }
      done.complete();
    });
    return done.future();
  }

  private void install(List<JsonObject> jwks, boolean onDemand) {
    KeySet old = current.get();
    if (jwks.isEmpty()) {
      LOG.warn("JWKS {} lists no usable signature key; keeping the {} key(s) of the last good set",
        fetcher.shownUrl(), old.jwks().size());
      return;
    }
    if (jwks.equals(old.jwks())) {
      return;
    }
    current.set(new KeySet(verifier(jwks), jwks));
    LOG.info("JWKS {} changed ({}): keys {}, were {}", fetcher.shownUrl(),
      onDemand ? "fetched for an unknown key id" : "regular fetch", kids(jwks), kids(old.jwks()));
    onChange.run();
  }

  private JWTAuth verifier(List<JsonObject> jwks) {
    // not new JWTAuthOptions(configured): that copy shares its lists, which addJwk would then grow
    JWTAuthOptions options = new JWTAuthOptions().setJWTOptions(configured.getJWTOptions())
      .setPubSecKeys(configured.getPubSecKeys() == null ? List.of() : List.copyOf(configured.getPubSecKeys()))
      .setJwks(List.copyOf(jwks));
    return JWTAuth.create(vertx, options);
  }

  private static List<String> kids(List<JsonObject> jwks) {
    return jwks.stream().map(k -> k.getString("kid", "(no kid)")).toList();
  }

  /** The first line of the failure's message, bounded (a parser's message may go on for lines). */
  private static String message(Throwable e) {
    String text = e.getMessage() != null ? e.getMessage().strip().split("\\R", 2)[0] : e.getClass().getSimpleName();
    return text.length() > 200 ? text.substring(0, 200) + "..." : text;
  }

  private static boolean isEmpty(List<?> list) {
    return list == null || list.isEmpty();
  }
}
