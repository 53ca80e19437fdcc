package controlplane.http.impl;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.Base64;
import java.util.Iterator;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

/**
 * Bearer tokens that passed the JWT provider and the claim checks of {@link BearerAuthHandler}, so that a repeated
 * token skips signature verification. An entry is trusted while {@code now < exp} (seconds since the epoch as the
 * provider counts them, without its leeway) and for at most {@code maxAge} after it was verified, so a change of keys
 * or configuration cannot keep a token alive. Keys are SHA-256 digests of the whole token: no token is kept in
 * memory, and a lookup leaks nothing about a cached token through the timing of a string comparison. Bounded: when
 * full, entries no longer trusted go first, then arbitrary ones. Shared by the event loops of one router.
 */
public final class VerifiedTokens {

  static final int MAX_ENTRIES = 10_000;
  static final Duration MAX_AGE = Duration.ofMinutes(5);

  private record Entry(Principal principal, long expSeconds, long verifiedAtMillis) {
  }

  private final Map<String, Entry> entries = new ConcurrentHashMap<>();
  private final int maxEntries;
  private final long maxAgeMillis;
  private final LongSupplier clockMillis;

  /** {@value #MAX_ENTRIES} entries of at most 5 minutes, on the system clock. */
  public VerifiedTokens() {
    this(MAX_ENTRIES, MAX_AGE, System::currentTimeMillis);
  }

  /** @param clockMillis milliseconds since the epoch */
  VerifiedTokens(int maxEntries, Duration maxAge, LongSupplier clockMillis) {
    if (maxEntries < 1 || maxAge.isNegative() || maxAge.isZero()) {
      throw new IllegalArgumentException("maxEntries and maxAge must be positive");
    }
    this.maxEntries = maxEntries;
    this.maxAgeMillis = maxAge.toMillis();
    this.clockMillis = clockMillis;
  }

  /** The principal of {@code token} if it verified earlier and may still be trusted without verifying it, else null. */
  Principal get(String token) {
    String key = key(token);
    Entry entry = entries.get(key);
    if (entry == null) {
      return null;
    }
    if (!trusted(entry, clockMillis.getAsLong())) {
      entries.remove(key, entry);
      return null;
    }
    return entry.principal();
  }

  /**
   * Remembers {@code token}, which has just verified, as {@code principal} (immutable, shared by the requests that
   * present the token) until {@code expSeconds}.
   */
  synchronized void put(String token, Principal principal, long expSeconds) {
    long now = clockMillis.getAsLong();
    Entry entry = new Entry(principal, expSeconds, now);
    if (!trusted(entry, now)) {
      return;
    }
    if (entries.size() >= maxEntries) {
      makeRoom(now);
    }
    entries.put(key(token), entry);
  }

  int size() {
    return entries.size();
  }

  private boolean trusted(Entry entry, long nowMillis) {
    long age = nowMillis - entry.verifiedAtMillis();
    // a clock set back never extends trust: nbf and iat were checked at the later time
    return Math.floorDiv(nowMillis, 1000) < entry.expSeconds() && age >= 0 && age < maxAgeMillis;
  }

  /** Drops the entries no longer trusted, then arbitrary ones until a tenth of the room is free. */
  private void makeRoom(long nowMillis) {
    entries.values().removeIf(entry -> !trusted(entry, nowMillis));
    int target = maxEntries - Math.max(1, maxEntries / 10);
    Iterator<Entry> it = entries.values().iterator();
    while (entries.size() > target && it.hasNext()) {
      it.next();
      it.remove();
    }
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
