package controlplane.core.rotation;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;

/** The meters of core. Tags carry bounded values only: never a site id, never a secret. */
public final class CoreMetrics {

  public static final String ROTATIONS = "cp_rotations_total";
  public static final String ROTATION_DURATION = "cp_rotation_duration_seconds";
  public static final String PENDING = "cp_credentials_pending";
  public static final String OUT_OF_SYNC = "cp_sites_out_of_sync";
  public static final String SETTLED = "cp_reconciler_settled_total";
  /** PENDING versions of dead processes taken over before their lease expired (V12). */
  public static final String TAKEOVERS = "cp_process_takeovers_total";
  /** Calls per statement of the batched kinds (docs/PERFORMANCE.md, "Batched slots"). */
  public static final String STATEMENT_CALLS = "cp_db_statement_calls";

  /** Every value of the {@code outcome} tag of {@value #ROTATIONS}: the tags of {@link RotationOutcome}. */
  static final List<String> ROTATION_OUTCOMES = Stream.of(RotationOutcome.values()).map(RotationOutcome::tag).toList();
  /** Every value of the {@code result} tag of {@value #SETTLED}. */
  static final List<String> SETTLED_RESULTS = List.of(Reconciler.PROMOTED, Reconciler.KEPT_CURRENT,
      Reconciler.RESTORED_PREVIOUS, Reconciler.OUT_OF_SYNC, Reconciler.RETRY, Reconciler.SKIPPED, Reconciler.RESYNCED);

  private final MeterRegistry registry;
  private final Timer duration;
  // Registered at start with every tag value, so that each series exists (at 0) before its first event.
  private final Map<RotationOutcome, Counter> rotations = new EnumMap<>(RotationOutcome.class);
  private final Map<String, Counter> settled = new HashMap<>();
  private final Counter takeovers;
  private final AtomicLong pending = new AtomicLong();
  private final AtomicLong outOfSync = new AtomicLong();

  public CoreMetrics(MeterRegistry registry) {
    this.registry = registry;
    this.duration = Timer.builder(ROTATION_DURATION)
        .description("Duration of credential rotations, from request to answer")
        .publishPercentileHistogram()
        .register(registry);
    Gauge.builder(PENDING, pending, AtomicLong::get)
        .description("Credential versions waiting to be settled").register(registry);
    Gauge.builder(OUT_OF_SYNC, outOfSync, AtomicLong::get)
        .description("Sites where no known password logs in").register(registry);
    takeovers = Counter.builder(TAKEOVERS)
        .description("PENDING versions of dead processes taken over before their lease expired").register(registry);
    for (RotationOutcome o : RotationOutcome.values()) {
      rotations.put(o, Counter.builder(ROTATIONS)
          .description("Credential rotations by outcome").tag("outcome", o.tag()).register(registry));
    }
    SETTLED_RESULTS.forEach(r -> settled.put(r, Counter.builder(SETTLED)
        .description("Pending versions settled by the reconciler").tag("result", r).register(registry)));
  }

  /**
   * Records the calls of each statement of one batched kind ({@code take_slot}, {@code promote}, {@code job_finish}):
   * 1 for a call that ran alone.
   */
  public java.util.function.IntConsumer statementCalls(String statement) {
    return statementCalls(registry, statement);
  }

  /** {@link #statementCalls(String)} in {@code registry}. */
  public static java.util.function.IntConsumer statementCalls(MeterRegistry registry, String statement) {
    io.micrometer.core.instrument.DistributionSummary summary =
        io.micrometer.core.instrument.DistributionSummary.builder(STATEMENT_CALLS)
            .description("Calls per database statement of a batched kind (1: a call that ran alone)")
            .tag("statement", statement).register(registry);
    return summary::record;
  }

  /** The registry the meters of core are in (other meter groups of core register there too). */
  public MeterRegistry registry() {
    return registry;
  }

  public Timer.Sample start() {
    return Timer.start(registry);
  }

  /** Ends a rotation with its {@code outcome}. */
  public void rotation(Timer.Sample sample, RotationOutcome outcome) {
    sample.stop(duration);
    rotations.get(outcome).increment();
  }

  /** One pending version settled by the reconciler, with its {@code result}. */
  public void settled(String result) {
    settled.get(result).increment();
  }

  /** A PENDING version of a dead process taken over. */
  public void takeover() {
    takeovers.increment();
  }

  public void pending(long count) {
    pending.set(count);
  }

  public void outOfSync(long count) {
    outOfSync.set(count);
  }
}
