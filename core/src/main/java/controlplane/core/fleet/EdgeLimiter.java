package controlplane.core.fleet;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Supplier;

/**
 * Caps the device operations that background work (bulk jobs, the scheduler, drift checks) runs at once per edge in
 * this process ({@code scheduler.maxInFlightPerEdge}), so that no edge's routers are stormed. Work beyond the cap
 * waits in arrival order. Not thread-safe: every call comes from the core verticle's context.
 */
public final class EdgeLimiter {

  private final int perEdge;
  private final Map<String, Integer> running = new HashMap<>();
  private final Map<String, ArrayDeque<Runnable>> waiting = new HashMap<>();

  public EdgeLimiter(int perEdge) {
    if (perEdge < 1) {
      throw new IllegalArgumentException("perEdge must be >= 1");
    }
    this.perEdge = perEdge;
  }

  /** Runs {@code work} once fewer than the cap of operations run on {@code edge}; its result is passed on. */
  public <T> Future<T> run(String edge, Supplier<Future<T>> work) {
    Promise<T> result = Promise.promise();
    Runnable start = () -> {
      Future<T> f;
      try {
        f = work.get();
      } catch (RuntimeException e) {
        f = Future.failedFuture(e);
      }
      f.onComplete(ar -> {
        release(edge);
        result.handle(ar);
      });
    };
    int now = running.getOrDefault(edge, 0);
    if (now < perEdge) {
      running.put(edge, now + 1);
      start.run();
    } else {
      waiting.computeIfAbsent(edge, e -> new ArrayDeque<>()).add(start);
    }
    return result.future();
  }

  /** Operations running on {@code edge} now. */
  public int running(String edge) {
    return running.getOrDefault(edge, 0);
  }

  /** Operations waiting for {@code edge}. */
  public int waiting(String edge) {
    ArrayDeque<Runnable> q = waiting.get(edge);
    return q == null ? 0 : q.size();
  }

  private void release(String edge) {
    ArrayDeque<Runnable> q = waiting.get(edge);
    Runnable next = q == null ? null : q.poll();
    if (q != null && q.isEmpty()) {
      waiting.remove(edge);
    }
    if (next != null) {
      next.run();
    } else {
      int left = running.getOrDefault(edge, 1) - 1;
      if (left == 0) {
        running.remove(edge);
      } else {
        running.put(edge, left);
      }
    }
  }
}
