package controlplane.core.persistence;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.pgclient.PgException;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * How the batcher groups calls: the statements are stand-ins whose answers the test gives by hand, so that what runs
 * alone, what runs together and in which order can be seen. What the real statements do is RotationSlotBatchesTest's.
 */
class StatementBatcherTest {

  private final List<Promise<String>> singles = new ArrayList<>();
  private final List<String> singleCalls = new ArrayList<>();
  private final List<Promise<List<String>>> batches = new ArrayList<>();
  private final List<List<Integer>> batchCalls = new ArrayList<>();

  private StatementBatcher<Integer, String> batcher(int maxInFlight, int maxBatch) {
    return new StatementBatcher<>(maxInFlight, maxBatch, i -> {
      Promise<String> p = Promise.promise();
      singles.add(p);
      singleCalls.add("one " + i);
      return p.future();
    }, calls -> {
      Promise<List<String>> p = Promise.promise();
      batches.add(p);
      batchCalls.add(List.copyOf(calls));
      return p.future();
    });
  }

  @Test
  @DisplayName("a call that finds a statement free runs alone and at once")
  void loneCall() {
    StatementBatcher<Integer, String> b = batcher(2, 64);
    Future<String> answer = b.submit(1);
    assertThat(singleCalls).containsExactly("one 1");
    singles.get(0).complete("a1");
    assertThat(answer.result()).isEqualTo("a1");
    assertThat(batches).isEmpty();
  }

  @Test
  @DisplayName("calls that find every statement busy wait, then leave together in one statement, answered in place")
  void waitingCallsLeaveTogether() {
    StatementBatcher<Integer, String> b = batcher(1, 64);
    Future<String> first = b.submit(0);
    List<Future<String>> rest = new ArrayList<>();
    for (int i = 1; i <= 4; i++) {
      rest.add(b.submit(i));
    }
    assertThat(b.waiting()).isEqualTo(4);
    assertThat(batches).isEmpty();
    singles.get(0).complete("a0");
    assertThat(first.result()).isEqualTo("a0");
    assertThat(batchCalls).containsExactly(List.of(1, 2, 3, 4));
    batches.get(0).complete(List.of("a1", "a2", "a3", "a4"));
    assertThat(rest).extracting(Future::result).containsExactly("a1", "a2", "a3", "a4");
    assertThat(b.waiting()).isZero();
  }

  @Test
  @DisplayName("no batch is larger than maxBatch; the rest leaves with the next free statement")
  void maxBatch() {
    StatementBatcher<Integer, String> b = batcher(1, 3);
    b.submit(0);
    for (int i = 1; i <= 5; i++) {
      b.submit(i);
    }
    singles.get(0).complete("a0");
    assertThat(batchCalls).containsExactly(List.of(1, 2, 3));
    batches.get(0).complete(List.of("a1", "a2", "a3"));
    assertThat(batchCalls).containsExactly(List.of(1, 2, 3), List.of(4, 5));
  }

  @Test
  @DisplayName("a batch PostgreSQL refused runs again call by call, so that only the bad call fails")
  void refusedBatchRunsCallByCall() {
    StatementBatcher<Integer, String> b = batcher(1, 64);
    b.submit(0);
    Future<String> good = b.submit(1);
    Future<String> bad = b.submit(2);
    singles.get(0).complete("a0");
    batches.get(0).fail(new PgException("deadlock detected", "ERROR", "40P01", null));
    assertThat(singleCalls).containsExactly("one 0", "one 1", "one 2");
    singles.get(1).complete("a1");
    singles.get(2).fail(new PgException("bad", "ERROR", "23505", null));
    assertThat(good.result()).isEqualTo("a1");
    assertThat(bad.failed()).isTrue();
  }

  @Test
  @DisplayName("a batch lost with its connection fails every call of it, none run again (it may have committed)")
  void lostBatchFailsEveryCall() {
    StatementBatcher<Integer, String> b = batcher(1, 64);
    b.submit(0);
    Future<String> x = b.submit(1);
    Future<String> y = b.submit(2);
    singles.get(0).complete("a0");
    batches.get(0).fail(new IllegalStateException("connection closed"));
    assertThat(x.cause()).hasMessage("connection closed");
    assertThat(y.cause()).hasMessage("connection closed");
    assertThat(singleCalls).containsExactly("one 0");
  }

  @Test
  @DisplayName("a statement that throws instead of answering fails its call and frees its place")
  void throwingStatement() {
    StatementBatcher<Integer, String> b = new StatementBatcher<>(1, 64, i -> {
      throw new IllegalArgumentException("no");
    }, calls -> Future.succeededFuture(List.of()));
    assertThat(b.submit(1).cause()).hasMessage("no");
    assertThat(b.submit(2).cause()).hasMessage("no");
  }
}
