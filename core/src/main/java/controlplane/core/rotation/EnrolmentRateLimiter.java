package controlplane.core.rotation;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import java.time.Duration;
import java.util.function.LongSupplier;

/**
 * Enrolments per organisation: a token bucket each, holding up to {@code ratePerMinute} enrolments and refilled at
 * that rate. In memory and per process: N processes let N times the rate through, and a restart forgets. A bucket
 * left alone for a minute is full again, so it is dropped then; at most {@link #MAX_ORGANISATIONS} are kept.
 */
final class EnrolmentRateLimiter {

  static final int MAX_ORGANISATIONS = 100_000;
  private static final double NANOS_PER_MINUTE = 60e9;

  private final int ratePerMinute;
  private final LongSupplier nanoTime;
  private final Cache<String, Bucket> buckets;

  /** {@code ratePerMinute} 0: no limit. */
  EnrolmentRateLimiter(int ratePerMinute) {
    this(ratePerMinute, System::nanoTime);
  }

  EnrolmentRateLimiter(int ratePerMinute, LongSupplier nanoTime) {
    this.ratePerMinute = ratePerMinute;
    this.nanoTime = nanoTime;
    this.buckets = Caffeine.newBuilder()
        .maximumSize(MAX_ORGANISATIONS)
        .expireAfterAccess(Duration.ofMinutes(1))
        .ticker(nanoTime::getAsLong)
        .executor(Runnable::run)
        .build();
  }

  /** Takes one enrolment of {@code orgId}'s bucket: 0 when there was one, else the seconds until there is. */
  long take(String orgId) {
    if (ratePerMinute <= 0) {
      return 0;
    }
    long now = nanoTime.getAsLong();
    return buckets.get(orgId, k -> new Bucket(ratePerMinute, now)).take(now);
  }

  private static final class Bucket {
    private final double capacity;
    private double tokens;
    private long refilledAt;

    Bucket(int capacity, long now) {
      this.capacity = capacity;
      this.tokens = capacity;
      this.refilledAt = now;
    }

    synchronized long take(long now) {
      tokens = Math.min(capacity, tokens + Math.max(0, now - refilledAt) * capacity / NANOS_PER_MINUTE);
      refilledAt = now;
      if (tokens >= 1) {
        tokens -= 1;
        return 0;
      }
      return Math.max(1, (long) Math.ceil((1 - tokens) * 60 / capacity));
    }
  }
}
