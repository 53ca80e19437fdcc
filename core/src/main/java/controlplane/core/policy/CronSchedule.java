package controlplane.core.policy;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.temporal.ChronoUnit;
import java.util.BitSet;

/**
 * A five-field cron expression in UTC: minute (0-59), hour (0-23), day of month (1-31), month (1-12), day of week
 * (0-7, 0 and 7 are Sunday). Each field is {@code *}, a number, a range {@code a-b}, any of these with a step
 * ({@code *}{@code /15}, {@code 1-30/2}), or a comma-separated list of them. As in classic cron, when both day fields
 * are restricted a day matches either of them. No names, no {@code L}, {@code W} or {@code ?}.
 */
public final class CronSchedule {

  /** Far enough to find any valid expression's next occurrence (a 29 February is at most 8 years away). */
  private static final int MAX_YEARS = 9;

  private final String expression;
  private final BitSet minutes;
  private final BitSet hours;
  private final BitSet days;
  private final BitSet months;
  private final BitSet weekdays;
  private final boolean anyDay;
  private final boolean anyWeekday;

  private CronSchedule(String expression, String[] f) {
    this.expression = expression;
    this.minutes = field(f[0], 0, 59, "minute");
    this.hours = field(f[1], 0, 23, "hour");
    this.days = field(f[2], 1, 31, "day of month");
    this.months = field(f[3], 1, 12, "month");
    BitSet dow = field(f[4], 0, 7, "day of week");
    if (dow.get(7)) {
      dow.set(0);
    }
    this.weekdays = dow;
    this.anyDay = f[2].startsWith("*");
    this.anyWeekday = f[4].startsWith("*");
  }

  /** Parses {@code expression}; an {@link IllegalArgumentException} says what is wrong with it. */
  public static CronSchedule parse(String expression) {
    if (expression == null || expression.isBlank()) {
      throw new IllegalArgumentException("a cron expression has five fields");
    }
    String[] f = expression.trim().split("\\s+");
    if (f.length != 5) {
      throw new IllegalArgumentException("a cron expression has five fields (minute hour day-of-month month"
          + " day-of-week), not " + f.length);
    }
    CronSchedule c = new CronSchedule(expression.trim(), f);
    if (c.next(Instant.EPOCH) == null) {
      throw new IllegalArgumentException("the cron expression never matches a date");
    }
    return c;
  }

  private static BitSet field(String text, int min, int max, String name) {
    BitSet set = new BitSet(max + 1);
    for (String part : text.split(",", -1)) {
      String range = part;
      int step = 1;
      int slash = part.indexOf('/');
      if (slash >= 0) {
        range = part.substring(0, slash);
        step = number(part.substring(slash + 1), 1, max, name + " step");
      }
      int from;
      int to;
      if (range.equals("*")) {
        from = min;
        to = max;
      } else if (range.indexOf('-') > 0) {
        int dash = range.indexOf('-');
        from = number(range.substring(0, dash), min, max, name);
        to = number(range.substring(dash + 1), min, max, name);
        if (to < from) {
          throw new IllegalArgumentException(name + ": range " + range + " runs backwards");
        }
      } else {
        from = number(range, min, max, name);
        to = slash >= 0 ? max : from;
      }
      for (int i = from; i <= to; i += step) {
        set.set(i);
      }
    }
    return set;
  }

  private static int number(String s, int min, int max, String name) {
    if (s.isEmpty() || s.length() > 2 || !s.chars().allMatch(Character::isDigit)) {
      throw new IllegalArgumentException(name + ": '" + s + "' is not a number from " + min + " to " + max);
    }
    int n = Integer.parseInt(s);
    if (n < min || n > max) {
      throw new IllegalArgumentException(name + ": " + n + " is not from " + min + " to " + max);
    }
    return n;
  }

  /** The first matching minute strictly after {@code from}; null when there is none within nine years. */
  public Instant next(Instant from) {
    ZonedDateTime t = from.atZone(ZoneOffset.UTC).truncatedTo(ChronoUnit.MINUTES).plusMinutes(1);
    ZonedDateTime limit = t.plusYears(MAX_YEARS);
    while (t.isBefore(limit)) {
      if (!months.get(t.getMonthValue())) {
        t = t.withDayOfMonth(1).truncatedTo(ChronoUnit.DAYS).plusMonths(1);
      } else if (!dayMatches(t)) {
        t = t.truncatedTo(ChronoUnit.DAYS).plusDays(1);
      } else if (!hours.get(t.getHour())) {
        t = t.truncatedTo(ChronoUnit.HOURS).plusHours(1);
      } else if (!minutes.get(t.getMinute())) {
        t = t.plusMinutes(1);
      } else {
        return t.toInstant();
      }
    }
    return null;
  }

  /** Whether {@code t} (UTC, any second) is in a matching minute. */
  public boolean matches(Instant t) {
    ZonedDateTime z = t.atZone(ZoneOffset.UTC);
    return months.get(z.getMonthValue()) && dayMatches(z) && hours.get(z.getHour()) && minutes.get(z.getMinute());
  }

  private boolean dayMatches(ZonedDateTime t) {
    boolean day = days.get(t.getDayOfMonth());
    boolean weekday = weekdays.get(t.getDayOfWeek().getValue() % 7);
    if (anyDay && anyWeekday) {
      return true;
    }
    if (anyDay) {
      return weekday;
    }
    if (anyWeekday) {
      return day;
    }
    return day || weekday;
  }

  @Override
  public String toString() {
    return expression;
  }
}
