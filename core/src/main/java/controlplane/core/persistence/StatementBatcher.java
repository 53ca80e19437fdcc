package controlplane.core.persistence;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.pgclient.PgException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import java.util.function.IntConsumer;

/**
 * Runs the calls of one statement that arrive while earlier ones are still at the database as one statement over
 * arrays (docs/PERFORMANCE.md, "Batched slots"). At most {@code maxInFlight} statements are at the database at a
 * time. A call that finds one free goes alone and at once, so a lone call waits for nothing; calls that find none
 * wait in order, and leave together, at most {@code maxBatch} in one statement, as soon as one is free. Under load
 * this turns many small transactions, each with its commit, into few larger ones, without a timer.
 *
 * <p>A batch that PostgreSQL refuses (an error it reports, which undoes the whole single-statement transaction) is
 * run again call by call, so that one bad call fails alone, as it would have without batching. Any other failure
 * (a lost connection: whether the batch committed is not known) fails every call of the batch with it.
 *
 * <p>Not thread-safe: used from one Vert.x context (the core verticle's), like the services that call it.
 */
public final class StatementBatcher<I, O> {

  /**
   * The statements of one kind at the database at a time, and the calls in one. One: the calls that arrive while it
   * runs leave together after it. Two, the first choice, sent a lone call whenever one of the two was free (17 to 19 %
   * of the calls at 64 in flight, 9 to 10 % with one) and ran two transactions of a kind side by side, for more
   * PostgreSQL CPU per rotation (docs/PERFORMANCE.md, "One batch of a kind at a time"). 64 is the bench's in-flight
   * count.
   */
  public static final int IN_FLIGHT = 1;
  public static final int MAX_BATCH = 64;

  private record Waiting<I, O>(I call, Promise<O> promise) {
  }

  private final int maxInFlight;
  private final int maxBatch;
  private final Function<I, Future<O>> one;
  private final Function<List<I>, Future<List<O>>> many;
  private final ArrayDeque<Waiting<I, O>> waiting = new ArrayDeque<>();
  private IntConsumer sizes = n -> { };
  private int inFlight;

  /**
   * {@code one} runs one call as its own statement; {@code many} runs several as one, answering element i for
   * call i.
   */
  public StatementBatcher(Function<I, Future<O>> one, Function<List<I>, Future<List<O>>> many) {
    this(IN_FLIGHT, MAX_BATCH, one, many);
  }

  /** The same with other limits. */
  public StatementBatcher(int maxInFlight, int maxBatch, Function<I, Future<O>> one,
                          Function<List<I>, Future<List<O>>> many) {
    if (maxInFlight < 1 || maxBatch < 1) {
      throw new IllegalArgumentException("maxInFlight and maxBatch must be at least 1");
    }
    this.maxInFlight = maxInFlight;
    this.maxBatch = maxBatch;
    this.one = one;
    this.many = many;
  }

  /** Told the number of calls of every statement sent (1 for a call alone), for a metric. */
  public StatementBatcher<I, O> observedBy(IntConsumer sizes) {
    this.sizes = sizes;
    return this;
  }

  /** The answer of {@code call}, alone or in a batch. */
  public Future<O> submit(I call) {
    Promise<O> promise = Promise.promise();
    waiting.add(new Waiting<>(call, promise));
    drain();
    return promise.future();
  }

  /** Calls waiting for a free statement (for tests and metrics). */
  public int waiting() {
    return waiting.size();
  }

  private void drain() {
    while (inFlight < maxInFlight && !waiting.isEmpty()) {
      int n = Math.min(maxBatch, waiting.size());
      List<Waiting<I, O>> batch = new ArrayList<>(n);
      for (int i = 0; i < n; i++) {
        batch.add(waiting.poll());
      }
      inFlight++;
      sizes.accept(n);
      Future<Void> ran = n == 1 ? runOne(batch.get(0)) : runMany(batch);
      ran.onComplete(ar -> {
        inFlight--;
        drain();
      });
    }
  }

  private Future<Void> runOne(Waiting<I, O> w) {
    Future<O> answer = call(() -> one.apply(w.call()));
    answer.onComplete(w.promise());
    return answer.mapEmpty();
  }

  private Future<Void> runMany(List<Waiting<I, O>> batch) {
    List<I> calls = new ArrayList<>(batch.size());
    batch.forEach(w -> calls.add(w.call()));
    return call(() -> many.apply(calls)).transform(ar -> {
      if (ar.succeeded()) {
        List<O> answers = ar.result();
        for (int i = 0; i < batch.size(); i++) {
          batch.get(i).promise().complete(answers.get(i));
        }
      } else if (ar.cause() instanceof PgException) {
        // Undone as a whole: each call again on its own, outside the count (they are few, and rare).
        batch.forEach(w -> call(() -> one.apply(w.call())).onComplete(w.promise()));
      } else {
        batch.forEach(w -> w.promise().fail(ar.cause()));
      }
      return Future.succeededFuture();
    });
  }

  private static <T> Future<T> call(java.util.function.Supplier<Future<T>> statement) {
    try {
      return statement.get();
    } catch (RuntimeException e) {
      return Future.failedFuture(e);
    }
  }
}
