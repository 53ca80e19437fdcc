package controlplane.core.fleet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class EdgeLimiterTest {

  @Test
  void capsEachEdgeAndStartsWaitersInOrder() {
    EdgeLimiter limiter = new EdgeLimiter(2);
    List<Promise<String>> started = new ArrayList<>();
    List<String> order = new ArrayList<>();
    List<Future<String>> results = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      int n = i;
      results.add(limiter.run("10.0.0.1", () -> {
        order.add("a" + n);
        Promise<String> p = Promise.promise();
        started.add(p);
        return p.future();
      }));
    }
    limiter.run("10.0.0.2", () -> {
      order.add("b0");
      return Future.succeededFuture("b");
    });
    assertThat(order).containsExactly("a0", "a1", "b0");
    assertThat(limiter.running("10.0.0.1")).isEqualTo(2);
    assertThat(limiter.waiting("10.0.0.1")).isEqualTo(3);
    assertThat(limiter.running("10.0.0.2")).isZero();

    started.get(1).complete("one");
    assertThat(results.get(1).result()).isEqualTo("one");
    assertThat(order).containsExactly("a0", "a1", "b0", "a2");
    started.get(0).fail("boom");
    assertThat(results.get(0).failed()).isTrue();
    assertThat(order).endsWith("a3");
    assertThat(limiter.running("10.0.0.1")).isEqualTo(2);
    started.get(2).complete("x");
    started.get(3).complete("x");
    started.get(4).complete("x");
    assertThat(limiter.running("10.0.0.1")).isZero();
    assertThat(limiter.waiting("10.0.0.1")).isZero();
  }

  @Test
  void workThatThrowsReleasesItsSlot() {
    EdgeLimiter limiter = new EdgeLimiter(1);
    Future<Object> f = limiter.run("e", () -> {
      throw new IllegalStateException("bad");
    });
    assertThat(f.failed()).isTrue();
    assertThat(limiter.running("e")).isZero();
    assertThatThrownBy(() -> new EdgeLimiter(0)).isInstanceOf(IllegalArgumentException.class);
  }
}
