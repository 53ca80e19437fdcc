package controlplane.core.rotation;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The meters of the scheduler, the drift checks and repairs. Every tag value is registered at start, so that each
 * series exists (at 0) before its first event. The two gauges are refreshed by one query per scheduler pass.
 */
public final class FleetMetrics {

  public static final String DUE = "cp_rotations_due";
  public static final String OVERDUE = "cp_rotations_overdue";
  public static final String SCHEDULED = "cp_scheduled_rotations_total";
  public static final String DRIFT_CHECKS = "cp_drift_checks_total";
  public static final String REPAIRS = "cp_repairs_total";

  /** Outcomes of a scheduled rotation. */
  public static final String ROTATED = "rotated";
  public static final String RETRY = "retry";
  public static final String OUT_OF_SYNC = "out_of_sync";
  /** Not attempted: the site is not in sync (the reconciler owns it), or a rotation of it was already under way. */
  public static final String SKIPPED = "skipped";
  static final List<String> SCHEDULED_OUTCOMES = List.of(ROTATED, RETRY, OUT_OF_SYNC, SKIPPED);

  /** Results of a drift check. */
  public static final String OK = "ok";
  public static final String ADOPTED = "adopted";
  public static final String REPAIRED = "repaired";
  public static final String UNREACHABLE = "unreachable";
  static final List<String> DRIFT_RESULTS = List.of(OK, ADOPTED, REPAIRED, OUT_OF_SYNC, UNREACHABLE);

  /** Outcomes of a repair by the reconcile account. */
  public static final String FAILED = "failed";
  static final List<String> REPAIR_OUTCOMES = List.of(REPAIRED, FAILED);

  private final AtomicLong due = new AtomicLong();
  private final AtomicLong overdue = new AtomicLong();
  private final Map<String, Counter> scheduled = new HashMap<>();
  private final Map<String, Counter> drift = new HashMap<>();
  private final Map<String, Counter> repairs = new HashMap<>();

  public FleetMetrics(MeterRegistry registry) {
    Gauge.builder(DUE, due, AtomicLong::get).description("Sites whose scheduled rotation is due").register(registry);
    Gauge.builder(OVERDUE, overdue, AtomicLong::get)
        .description("Sites whose scheduled rotation has been due for longer than their window and an hour")
        .register(registry);
    SCHEDULED_OUTCOMES.forEach(o -> scheduled.put(o, Counter.builder(SCHEDULED)
        .description("Scheduled rotations by outcome").tag("outcome", o).register(registry)));
    DRIFT_RESULTS.forEach(r -> drift.put(r, Counter.builder(DRIFT_CHECKS)
        .description("Drift checks of current credentials by result").tag("result", r).register(registry)));
    REPAIR_OUTCOMES.forEach(o -> repairs.put(o, Counter.builder(REPAIRS)
        .description("Repairs by the reconcile account by outcome").tag("outcome", o).register(registry)));
  }

  void scheduled(String outcome) {
    scheduled.get(outcome).increment();
  }

  void drift(String result) {
    drift.get(result).increment();
  }

  void repair(String outcome) {
    repairs.get(outcome).increment();
  }

  void due(long dueNow, long overdueNow) {
    due.set(dueNow);
    overdue.set(overdueNow);
  }
}
