package controlplane.core.jobs;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The meters of bulk rotation jobs. The gauges are the database's view (every process's jobs), refreshed by one
 * query per poll of this process; the counter counts the sites this process ended.
 */
public final class JobMetrics {

  public static final String JOBS = "cp_jobs";
  public static final String JOB_SITES = "cp_job_sites_total";
  public static final String JOB_SITES_REMAINING = "cp_job_sites_remaining";

  /** Every value of the {@code state} tag of {@value #JOBS}. */
  static final List<String> STATES = List.of(JobStates.QUEUED, JobStates.RUNNING, JobStates.COMPLETED,
      JobStates.CANCELLED);
  /** Every value of the {@code outcome} tag of {@value #JOB_SITES}. */
  static final List<String> OUTCOMES = List.of(JobStates.SUCCEEDED, JobStates.FAILED, JobStates.UNKNOWN);

  private final Map<String, AtomicLong> jobs = new HashMap<>();
  private final Map<String, Counter> sites = new HashMap<>();
  private final AtomicLong remaining = new AtomicLong();

  private final MeterRegistry registry;

  public JobMetrics(MeterRegistry registry) {
    this.registry = registry;
    STATES.forEach(s -> {
      AtomicLong value = new AtomicLong();
      jobs.put(s, value);
      Gauge.builder(JOBS, value, AtomicLong::get).description("Bulk rotation jobs by state").tag("state", s)
          .register(registry);
    });
    OUTCOMES.forEach(o -> sites.put(o, Counter.builder(JOB_SITES)
        .description("Sites of bulk rotation jobs ended by this process, by outcome").tag("outcome", o)
        .register(registry)));
    Gauge.builder(JOB_SITES_REMAINING, remaining, AtomicLong::get)
        .description("Sites still to rotate in unfinished bulk rotation jobs").register(registry);
  }

  /** One site ended with {@code outcome}, one of {@link #OUTCOMES}. */
  void site(String outcome) {
    sites.get(outcome).increment();
  }

  /** The database's jobs per state; a state absent from {@code byState} has none. */
  void jobs(Map<String, Long> byState) {
    jobs.forEach((state, value) -> value.set(byState.getOrDefault(state, 0L)));
  }

  void remaining(long count) {
    remaining.set(count);
  }

  MeterRegistry registry() {
    return registry;
  }
}
