package controlplane.core.policy;

import java.time.Instant;
import java.util.random.RandomGenerator;

/**
 * A rotation policy in force: exactly one of {@code periodSeconds} (at least 60) and {@code schedule} (five-field
 * cron, UTC), the window inside which a due rotation is spread with jitter, and the drift-check period (null: the
 * global {@code drift.checkPeriodSeconds}).
 */
public record RotationPolicy(Long periodSeconds, CronSchedule schedule, long windowSeconds, Long driftSeconds) {

  public static final long MIN_PERIOD_SECONDS = 60;
  /** Longest period, window and drift period accepted: ten years. */
  public static final long MAX_SECONDS = 10L * 366 * 86_400;

  /**
   * Checks the fields of a policy as given; an {@link IllegalArgumentException} names the field and what is wrong,
   * never more.
   */
  public static RotationPolicy of(Long periodSeconds, String schedule, Long windowSeconds, Long driftSeconds) {
    if ((periodSeconds == null) == (schedule == null)) {
      throw new IllegalArgumentException("exactly one of rotation_period_seconds and rotation_schedule is required");
    }
    if (periodSeconds != null && (periodSeconds < MIN_PERIOD_SECONDS || periodSeconds > MAX_SECONDS)) {
      throw new IllegalArgumentException("rotation_period_seconds must be from " + MIN_PERIOD_SECONDS + " to "
          + MAX_SECONDS);
    }
    CronSchedule cron;
    try {
      cron = schedule == null ? null : CronSchedule.parse(schedule);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("rotation_schedule: " + e.getMessage());
    }
    long window = windowSeconds == null ? 0 : windowSeconds;
    if (window < 0 || window > MAX_SECONDS) {
      throw new IllegalArgumentException("rotation_window_seconds must be from 0 to " + MAX_SECONDS);
    }
    if (driftSeconds != null && (driftSeconds < MIN_PERIOD_SECONDS || driftSeconds > MAX_SECONDS)) {
      throw new IllegalArgumentException("drift_check_period_seconds must be from " + MIN_PERIOD_SECONDS + " to "
          + MAX_SECONDS);
    }
    return new RotationPolicy(periodSeconds, cron, window, driftSeconds);
  }

  /** The next time the policy asks for a rotation after one at {@code from}, before jitter. */
  public Instant nextOccurrence(Instant from) {
    if (periodSeconds != null) {
      return from.plusSeconds(periodSeconds);
    }
    Instant next = schedule.next(from);
    // parse() refused expressions that never match; nine years out is still a time.
    return next == null ? from.plusSeconds(MAX_SECONDS) : next;
  }

  /** The next occurrence after {@code from}, plus a random jitter of up to the window, to the millisecond. */
  public Instant nextRotation(Instant from, RandomGenerator random) {
    Instant at = nextOccurrence(from);
    return windowSeconds == 0 ? at : at.plusMillis(random.nextLong(windowSeconds * 1000 + 1));
  }

  /** The drift-check period in force: the policy's, else {@code globalSeconds} (0: none). */
  public static long driftPeriod(Long policySeconds, long globalSeconds) {
    return policySeconds != null ? policySeconds : globalSeconds;
  }
}
