package controlplane.http.impl;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Expiry;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.Base64;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

/**
 * Bearer tokens that passed the JWT provider and the claim checks of {@link BearerAuthHandler}, so that a repeated
 * token skips signature verification. An entry is trusted while {@code now < exp} (seconds since the epoch as the
 * provider counts them, without its leeway) and for at most {@code maxAge} after it was verified, so a change of keys
 * or configuration cannot keep a token alive; {@link #clear()} (the JWKS key set changed) forgets every entry at once,
 * including those of verifications under way when it ran. Keys are SHA-256 digests of the whole token: no token is kept in
 * memory, and a lookup leaks nothing about a cached token through the timing of a string comparison. A Caffeine
 * cache bounded in size, each entry expiring at the earlier of the two limits. Shared by the event loops of one
 * router.
 */
public final class VerifiedTokens {

  static final int MAX_ENTRIES = 10_000;
  static final Duration MAX_AGE = Duration.ofMinutes(5);

  private record Entry(Principal principal, long verifiedAtMillis, long trustedForMillis) {
  }

  private final Cache<String, Entry> entries;
  private final long maxAgeMillis;
  private final LongSupplier clockMillis;
  private final AtomicLong generation = new AtomicLong();

  /** {@value #MAX_ENTRIES} entries of at most 5 minutes, on the system clock. */
  public VerifiedTokens() {
    this(MAX_ENTRIES, MAX_AGE, System::currentTimeMillis);
  }

  /** @param clockMillis milliseconds since the epoch; the cache's ticker too */
  VerifiedTokens(int maxEntries, Duration maxAge, LongSupplier clockMillis) {
    if (maxEntries < 1 || maxAge.isNegative() || maxAge.isZero()) {
      throw new IllegalArgumentException("maxEntries and maxAge must be positive");
    }
    this.maxAgeMillis = maxAge.toMillis();
    this.clockMillis = clockMillis;
    this.entries = Caffeine.newBuilder()
      .maximumSize(maxEntries)
      .expireAfter(Expiry.writing((String key, Entry entry) -> Duration.ofMillis(entry.trustedForMillis())))
      .ticker(() -> TimeUnit.MILLISECONDS.toNanos(clockMillis.getAsLong()))
      // expiry and eviction run on the calling thread, a little per read or write, not on the common fork-join pool
      .executor(Runnable::run)
      .build();
  }

  /** The principal of {@code token} if it verified earlier and may still be trusted without verifying it, else null. */
  Principal get(String token) {
    String key = key(token);
    Entry entry = entries.getIfPresent(key);
    if (entry == null) {
      return null;
    }
    // The cache measures age on the clock as it reads now; a clock set back would extend trust, so such an entry
    // goes (nbf and iat were checked at the later time).
    if (clockMillis.getAsLong() < entry.verifiedAtMillis()) {
      entries.asMap().remove(key, entry);
      return null;
    }
    return entry.principal();
  }

  /**
   * Remembers {@code token}, which has just verified, as {@code principal} (immutable, shared by the requests that
   * present the token) until {@code expSeconds}.
   */
  void put(String token, Principal principal, long expSeconds) {
    put(token, principal, expSeconds, generation.get());
  }

  /**
   * Same, for a token whose verification began at {@code generationAtStart} ({@link #generation()}): not remembered
   * when {@link #clear()} ran since, as it may have verified under keys that are gone.
   */
  void put(String token, Principal principal, long expSeconds, long generationAtStart) {
    long now = clockMillis.getAsLong();
    long nowSeconds = Math.floorDiv(now, 1000);
    if (expSeconds <= nowSeconds) {
      return;
    }
    // capped before it is scaled to milliseconds: a token may claim any exp
    long untilExp = Math.min(expSeconds, nowSeconds + maxAgeMillis / 1000 + 1) * 1000 - now;
    String key = key(token);
    entries.put(key, new Entry(principal, now, Math.min(untilExp, maxAgeMillis)));
    // after the put: a clear() running meanwhile either removed the entry or is seen here
    if (generation.get() != generationAtStart) {
      entries.invalidate(key);
    }
  }

  /** Counts the calls of {@link #clear()}: read it before verifying a token, give it to {@code put}. */
  long generation() {
    return generation.get();
  }

  /** Forgets every token: each is verified again on its next use. */
  public void clear() {
    generation.incrementAndGet();
    entries.invalidateAll();
  }

  /** Entries held, once expired and evicted ones are gone. */
  int size() {
    entries.cleanUp();
    return Math.toIntExact(entries.estimatedSize());
  }

  // MessageDigest.getInstance looks the provider up on every call; one digest per (event-loop) thread instead.
  private static final ThreadLocal<MessageDigest> SHA256 = ThreadLocal.withInitial(() -> {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 unavailable", e);
    }
  });

  private static String key(String token) {
    byte[] digest = SHA256.get().digest(token.getBytes(StandardCharsets.UTF_8)); // digest() also resets it
    return Base64.getEncoder().encodeToString(digest);
  }
}
