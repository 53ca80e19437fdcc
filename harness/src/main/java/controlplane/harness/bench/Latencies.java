package controlplane.harness.bench;

import io.vertx.core.json.JsonObject;
import java.util.Arrays;
import java.util.concurrent.atomic.AtomicInteger;

/** Latencies of one phase (nanoseconds), recorded from any thread, and their percentiles in milliseconds. */
final class Latencies {

  private final long[] nanos;
  private final AtomicInteger size = new AtomicInteger();

  Latencies(int capacity) {
    nanos = new long[capacity];
  }

  void record(long n) {
    int i = size.getAndIncrement();
    if (i < nanos.length) {
      nanos[i] = n;
    }
  }

  int count() {
    return Math.min(size.get(), nanos.length);
  }

  /** {@code p50, p95, p99, p999, max, mean} in ms (3 decimals). */
  JsonObject summary() {
    long[] sorted = Arrays.copyOf(nanos, count());
    Arrays.sort(sorted);
    JsonObject out = new JsonObject().put("count", sorted.length);
    if (sorted.length == 0) {
      return out;
    }
    double sum = 0;
    for (long n : sorted) {
      sum += n;
    }
    return out.put("p50_ms", ms(percentile(sorted, 0.50))).put("p95_ms", ms(percentile(sorted, 0.95)))
        .put("p99_ms", ms(percentile(sorted, 0.99))).put("p999_ms", ms(percentile(sorted, 0.999)))
        .put("max_ms", ms(sorted[sorted.length - 1])).put("mean_ms", ms((long) (sum / sorted.length)));
  }

  static long percentile(long[] sorted, double q) {
    int rank = (int) Math.ceil(q * sorted.length);
    return sorted[Math.max(0, Math.min(sorted.length - 1, rank - 1))];
  }

  private static double ms(long nanos) {
    return Math.round(nanos / 1000.0) / 1000.0;
  }
}
