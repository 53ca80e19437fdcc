package controlplane.core.rotation;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.util.concurrent.atomic.AtomicLong;

/** The meters of core. Tags carry bounded values only: never a site id, never a secret. */
public final class CoreMetrics {

  public static final String ROTATIONS = "cp_rotations_total";
  public static final String ROTATION_DURATION = "cp_rotation_duration_seconds";
  public static final String PENDING = "cp_credentials_pending";
  public static final String OUT_OF_SYNC = "cp_sites_out_of_sync";
  public static final String SETTLED = "cp_reconciler_settled_total";

  private final MeterRegistry registry;
  private final Timer duration;
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
  }

  public Timer.Sample start() {
    return Timer.start(registry);
  }

  /** Ends a rotation: {@code outcome} is applied, replayed, not_applied, unknown, in_progress or error. */
  public void rotation(Timer.Sample sample, String outcome) {
    sample.stop(duration);
    Counter.builder(ROTATIONS).description("Credential rotations by outcome").tag("outcome", outcome)
        .register(registry).increment();
  }

  /** One pending version settled by the reconciler, with its {@code result}. */
  public void settled(String result) {
    Counter.builder(SETTLED).description("Pending versions settled by the reconciler").tag("result", result)
        .register(registry).increment();
  }

  public void pending(long count) {
    pending.set(count);
  }

  public void outOfSync(long count) {
    outOfSync.set(count);
  }
}
