package controlplane.core.rotation;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** The token buckets on a clock of the test's own: no waiting, no timing. */
class EnrolmentRateLimiterTest {

  private final AtomicLong now = new AtomicLong(TimeUnit.HOURS.toNanos(5));

  private void advance(long millis) {
    now.addAndGet(TimeUnit.MILLISECONDS.toNanos(millis));
  }

  @Test
  @DisplayName("an organisation gets a minute's worth at once, then one more per 60/rate seconds")
  void bucket() {
    EnrolmentRateLimiter limiter = new EnrolmentRateLimiter(3, now::get);
    assertThat(limiter.take("org-a")).isZero();
    assertThat(limiter.take("org-a")).isZero();
    assertThat(limiter.take("org-a")).isZero();
    assertThat(limiter.take("org-a")).isEqualTo(20); // one enrolment every 20 s
    advance(15_000);
    assertThat(limiter.take("org-a")).isEqualTo(5);
    advance(5_000);
    assertThat(limiter.take("org-a")).isZero();
    assertThat(limiter.take("org-a")).isEqualTo(20);
  }

  @Test
  @DisplayName("organisations do not share a bucket")
  void perOrganisation() {
    EnrolmentRateLimiter limiter = new EnrolmentRateLimiter(1, now::get);
    assertThat(limiter.take("org-a")).isZero();
    assertThat(limiter.take("org-a")).isEqualTo(60);
    assertThat(limiter.take("org-b")).isZero();
  }

  @Test
  @DisplayName("a bucket never holds more than a minute's worth, however long it was left alone")
  void capped() {
    EnrolmentRateLimiter limiter = new EnrolmentRateLimiter(2, now::get);
    limiter.take("org-a");
    advance(TimeUnit.HOURS.toMillis(3));
    assertThat(limiter.take("org-a")).isZero();
    assertThat(limiter.take("org-a")).isZero();
    assertThat(limiter.take("org-a")).isEqualTo(30);
  }

  @Test
  @DisplayName("the wait is whole seconds, at least one")
  void roundsUp() {
    EnrolmentRateLimiter limiter = new EnrolmentRateLimiter(7, now::get);
    for (int i = 0; i < 7; i++) {
      assertThat(limiter.take("org-a")).isZero();
    }
    advance(8_500); // 60/7 = 8.57 s per enrolment
    assertThat(limiter.take("org-a")).isEqualTo(1);
  }

  @Test
  @DisplayName("rate 0 is no limit")
  void off() {
    EnrolmentRateLimiter limiter = new EnrolmentRateLimiter(0, now::get);
    for (int i = 0; i < 1000; i++) {
      assertThat(limiter.take("org-a")).isZero();
    }
  }
}
