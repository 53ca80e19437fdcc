package controlplane.harness.bench;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

/**
 * A closed loop: {@code concurrency} workers, each doing one operation on a free key at a time, until {@code total}
 * operations were issued. A key is never used by two operations at once (a site has one rotation slot), and the
 * keys are taken in order, each returned to the back of the queue when its operation ends: with {@code total} equal
 * to the number of keys, every key is used exactly once.
 */
final class ClosedLoop<K> {

  /** What one operation reports: success, or a short failure label (never a secret). */
  record Outcome(boolean ok, String failure) {
    static final Outcome OK = new Outcome(true, null);

    static Outcome failed(String label) {
      return new Outcome(false, label);
    }
  }

  private final ConcurrentLinkedQueue<K> free;
  private final int total;
  private final int workers;
  private final Function<K, Future<Outcome>> operation;
  private final AtomicInteger issued = new AtomicInteger();
  private final AtomicInteger ok = new AtomicInteger();
  private final AtomicInteger failed = new AtomicInteger();
  private final Map<String, AtomicInteger> failures = new ConcurrentHashMap<>();
  private final Latencies latencies;
  private volatile long firstStart;
  private volatile long lastEnd;

  ClosedLoop(List<K> keys, int total, int concurrency, Function<K, Future<Outcome>> operation) {
    if (keys.isEmpty() || total < 0 || concurrency < 1) {
      throw new IllegalArgumentException("keys, total and concurrency must be positive");
    }
    this.free = new ConcurrentLinkedQueue<>(keys);
    this.total = total;
    this.workers = Math.min(concurrency, keys.size());
    this.operation = operation;
    this.latencies = new Latencies(total);
  }

  /** Runs every operation; completes with the phase's figures once the last one ended. */
  Future<JsonObject> run() {
    Promise<JsonObject> all = Promise.promise();
    AtomicInteger running = new AtomicInteger(workers);
    firstStart = System.nanoTime();
    lastEnd = firstStart;
    if (total == 0) {
      return Future.succeededFuture(result());
    }
    for (int w = 0; w < workers; w++) {
      Promise<Void> done = Promise.promise();
      next(done);
      done.future().onComplete(v -> {
        if (running.decrementAndGet() == 0) {
          all.complete(result());
        }
      });
    }
    return all.future();
  }

  private void next(Promise<Void> done) {
    if (issued.getAndIncrement() >= total) {
      done.complete();
      return;
    }
    K key = free.poll();
    if (key == null) { // cannot happen with workers <= keys; fail loudly rather than spin
      failed.incrementAndGet();
      failures.computeIfAbsent("no_free_key", k -> new AtomicInteger()).incrementAndGet();
      done.complete();
      return;
    }
    long t0 = System.nanoTime();
    Future<Outcome> f;
    try {
      f = operation.apply(key);
    } catch (RuntimeException e) {
      f = Future.failedFuture(e);
    }
    f.onComplete(ar -> {
      long t1 = System.nanoTime();
      latencies.record(t1 - t0);
      lastEnd = Math.max(lastEnd, t1);
      Outcome o = ar.succeeded() ? ar.result() : Outcome.failed(ar.cause().getClass().getSimpleName());
      if (o.ok()) {
        ok.incrementAndGet();
      } else {
        failed.incrementAndGet();
        failures.computeIfAbsent(o.failure(), k -> new AtomicInteger()).incrementAndGet();
      }
      free.add(key);
      next(done);
    });
  }

  private JsonObject result() {
    double seconds = (lastEnd - firstStart) / 1e9;
    JsonObject f = new JsonObject();
    new TreeMap<>(failures).forEach((k, v) -> f.put(k, v.get()));
    return new JsonObject()
        .put("operations", ok.get() + failed.get()).put("ok", ok.get()).put("failed", failed.get())
        .put("failures", f).put("in_flight", workers)
        .put("wall_s", Math.round(seconds * 1000) / 1000.0)
        .put("per_s", seconds > 0 ? Math.round(ok.get() / seconds * 10) / 10.0 : 0.0)
        .put("latency", latencies.summary());
  }
}
