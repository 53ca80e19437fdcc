package controlplane.http.impl;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class VerifiedTokensTest {

  private static final long START_MILLIS = 1_750_000_000_000L;
  private static final long START = START_MILLIS / 1000;
  private static final Principal ALICE = new Principal("org-a", "alice", Set.of("credentials:read"));

  private final AtomicLong clock = new AtomicLong(START_MILLIS);
  private final VerifiedTokens tokens = new VerifiedTokens(100, Duration.ofMinutes(5), clock::get);

  private static String token(int i) {
    return "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJ" + i + "In0.c2lnbmF0dXJl";
  }

  @Test
  @DisplayName("a verified token is returned with its principal; another token is not")
  void verified() {
    tokens.put(token(1), ALICE, START + 300);

    assertThat(tokens.get(token(1))).isSameAs(ALICE);
    assertThat(tokens.get(token(2))).isNull();
    assertThat(tokens.get(token(1) + "x")).isNull();
  }

  @Test
  @DisplayName("an entry is returned up to the last millisecond before exp, never at or after exp")
  void expiry() {
    tokens.put(token(1), ALICE, START + 60);

    clock.set((START + 60) * 1000 - 1);
    assertThat(tokens.get(token(1))).isSameAs(ALICE);
    clock.set((START + 60) * 1000);
    assertThat(tokens.get(token(1))).isNull();
    clock.set(START_MILLIS);
    assertThat(tokens.get(token(1))).as("dropped once expired").isNull();
  }

  @Test
  @DisplayName("an entry is not returned once it is as old as the max age, however far exp is")
  void maxAge() {
    tokens.put(token(1), ALICE, START + 86_400);

    clock.set(START_MILLIS + Duration.ofMinutes(5).toMillis() - 1);
    assertThat(tokens.get(token(1))).isSameAs(ALICE);
    clock.set(START_MILLIS + Duration.ofMinutes(5).toMillis());
    assertThat(tokens.get(token(1))).isNull();
  }

  @Test
  @DisplayName("an exp far in the future (up to the largest number) is trusted for the max age, no longer")
  void farExp() {
    tokens.put(token(1), ALICE, Long.MAX_VALUE);

    clock.set(START_MILLIS + Duration.ofMinutes(5).toMillis() - 1);
    assertThat(tokens.get(token(1))).isSameAs(ALICE);
    clock.set(START_MILLIS + Duration.ofMinutes(5).toMillis());
    assertThat(tokens.get(token(1))).isNull();
  }

  @Test
  @DisplayName("a clock set back before the verification does not honour the entry")
  void clockSetBack() {
    tokens.put(token(1), ALICE, START + 300);

    clock.set(START_MILLIS - 1);
    assertThat(tokens.get(token(1))).isNull();
  }

  @Test
  @DisplayName("a token already past exp when put is not kept")
  void expiredOnArrival() {
    tokens.put(token(1), ALICE, START);

    assertThat(tokens.get(token(1))).isNull();
    assertThat(tokens.size()).isZero();
  }

  @Test
  @DisplayName("filled with many distinct tokens, the size never exceeds the bound and the latest token is kept")
  void bounded() {
    for (int i = 0; i < 2_000; i++) {
      tokens.put(token(i), ALICE, START + 300);

      assertThat(tokens.size()).isLessThanOrEqualTo(100);
      assertThat(tokens.get(token(i))).isSameAs(ALICE);
    }
  }

  @Test
  @DisplayName("when full, entries no longer trusted are dropped before trusted ones")
  void staleFirst() {
    for (int i = 0; i < 100; i++) {
      tokens.put(token(i), ALICE, START + (i % 2 == 0 ? 10 : 300));
    }
    clock.set(START_MILLIS + 20_000);

    tokens.put(token(100), ALICE, START + 300);

    assertThat(tokens.size()).isEqualTo(51);
    for (int i = 1; i <= 100; i += 2) {
      assertThat(tokens.get(token(i))).isSameAs(ALICE);
    }
  }

  @Test
  @DisplayName("clear() forgets every token; a verification that began before it is not remembered after it")
  void clear() {
    tokens.put(token(1), ALICE, START + 300);
    long before = tokens.generation();

    tokens.clear();
    tokens.put(token(2), ALICE, START + 300, before);
    tokens.put(token(3), ALICE, START + 300, tokens.generation());

    assertThat(tokens.get(token(1))).isNull();
    assertThat(tokens.get(token(2))).isNull();
    assertThat(tokens.get(token(3))).isSameAs(ALICE);
  }
}
