package controlplane.core.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.SplittableRandom;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Label;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.LongRange;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The five-field UTC cron of rotation policies. */
class CronScheduleTest {

  @Property(tries = 400)
  @Label("the next occurrence is after the start, matches every field, and no minute between them matches")
  void nextMatches(@ForAll("expressions") String expression,
                   @ForAll @LongRange(min = 0, max = 4_000_000_000L) long fromSeconds) {
    CronSchedule cron = CronSchedule.parse(expression);
    Instant from = Instant.ofEpochSecond(fromSeconds);
    Instant next = cron.next(from);
    assertThat(next).isAfter(from);
    assertThat(next.getEpochSecond() % 60).isZero();
    assertThat(cron.matches(next)).isTrue();
    // Nothing earlier matches (checked minute by minute over at most two days).
    Instant t = from.truncatedTo(ChronoUnit.MINUTES).plusSeconds(60);
    for (int i = 0; i < 2880 && t.isBefore(next); i++, t = t.plusSeconds(60)) {
      assertThat(cron.matches(t)).as("%s at %s", expression, t).isFalse();
    }
  }

  @Provide
  Arbitrary<String> expressions() {
    return Combinators.combine(field(0, 59), field(0, 23), field(1, 28), field(1, 12), field(0, 7))
        .as((m, h, d, mo, w) -> String.join(" ", List.of(m, h, d, mo, w)));
  }

  private static Arbitrary<String> field(int min, int max) {
    Arbitrary<Integer> n = Arbitraries.integers().between(min, max);
    return Arbitraries.oneOf(
        Arbitraries.just("*"),
        n.map(String::valueOf),
        Combinators.combine(n, n).as((a, b) -> Math.min(a, b) + "-" + Math.max(a, b)),
        Arbitraries.integers().between(1, max).map(s -> "*/" + s),
        Combinators.combine(n, n, Arbitraries.integers().between(1, 5))
            .as((a, b, s) -> Math.min(a, b) + "-" + Math.max(a, b) + "/" + s),
        n.list().ofMinSize(1).ofMaxSize(4).map(l -> String.join(",", l.stream().map(String::valueOf).toList())));
  }

  @Test
  @DisplayName("classic examples: every 15 minutes, 03:00 on weekdays, Sunday as 0 or 7, day-of-month or weekday")
  void examples() {
    Instant from = Instant.parse("2026-11-30T16:58:30Z"); // a Monday
    assertThat(CronSchedule.parse("*/15 * * * *").next(from)).isEqualTo(Instant.parse("2026-11-30T17:00:00Z"));
    assertThat(CronSchedule.parse("0 3 * * 1-5").next(from)).isEqualTo(Instant.parse("2026-12-01T03:00:00Z"));
    assertThat(CronSchedule.parse("0 0 * * 0").next(from)).isEqualTo(Instant.parse("2026-12-06T00:00:00Z"));
    assertThat(CronSchedule.parse("0 0 * * 7").next(from)).isEqualTo(Instant.parse("2026-12-06T00:00:00Z"));
    // Day of month 1 or any Friday, whichever comes first.
    assertThat(CronSchedule.parse("0 0 1 * 5").next(from)).isEqualTo(Instant.parse("2026-12-01T00:00:00Z"));
    assertThat(CronSchedule.parse("30 2 29 2 *").next(from)).isEqualTo(Instant.parse("2028-02-29T02:30:00Z"));
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "* * * *", "* * * * * *", "60 * * * *", "* 24 * * *", "* * 0 * *", "* * * 13 *",
      "* * * * 8", "5-1 * * * *", "*/0 * * * *", "a * * * *", "0 0 31 2 *", "1,,2 * * * *", "-1 * * * *"})
  @DisplayName("malformed or never-matching expressions are refused")
  void refused(String expression) {
    assertThatThrownBy(() -> CronSchedule.parse(expression)).isInstanceOf(IllegalArgumentException.class);
  }

  @Property(tries = 200)
  @Label("a policy's next rotation is its next occurrence plus a jitter inside the window")
  void jitterInsideWindow(@ForAll @LongRange(min = 60, max = 10_000_000) long period,
                          @ForAll @LongRange(min = 0, max = 100_000) long window, @ForAll long seed) {
    RotationPolicy policy = RotationPolicy.of(period, null, window, null);
    Instant from = Instant.parse("2026-01-01T00:00:00Z");
    Instant next = policy.nextRotation(from, new SplittableRandom(seed));
    assertThat(next).isBetween(from.plusSeconds(period), from.plusSeconds(period + window));
  }
}
