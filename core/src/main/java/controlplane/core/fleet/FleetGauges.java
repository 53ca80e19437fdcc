package controlplane.core.fleet;

import controlplane.core.persistence.FleetSnapshot;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.prometheus.metrics.model.registry.Collector;
import io.prometheus.metrics.model.snapshots.ClassicHistogramBuckets;
import io.prometheus.metrics.model.snapshots.HistogramSnapshot;
import io.prometheus.metrics.model.snapshots.MetricSnapshot;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.sqlclient.Pool;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The gauges computed from the database, refreshed by one {@link FleetSnapshot} read every {@link #REFRESH_MS} per
 * process (never per scrape): {@code cp_sites{status}}, {@code cp_credential_age_max_seconds} and the histogram
 * {@code cp_credential_age_seconds} of the live sites' CURRENT credentials' ages. The histogram is a snapshot of the
 * fleet, not a count of events: its buckets go down as well as up, so it is read as is
 * ({@code histogram_quantile(0.5, sum by (le) (max without (instance) (cp_credential_age_seconds_bucket)))}), never
 * through {@code rate()}. It needs a Prometheus registry (the service's); with another registry only the gauges exist.
 */
public final class FleetGauges {

  public static final String SITES = "cp_sites";
  public static final String AGE = "cp_credential_age_seconds";
  public static final String AGE_MAX = "cp_credential_age_max_seconds";
  /** Every site status, each a series of {@value #SITES} from the start (0 until a site has it). */
  public static final List<String> STATUSES = List.of("in_sync", "out_of_sync", "unverified");
  /** Bucket bounds of {@value #AGE}: 1 h, 6 h, 1, 7, 14, 30, 60, 90, 180, 365 days. */
  static final double[] AGE_BOUNDS = {3_600, 21_600, 86_400, 604_800, 1_209_600, 2_592_000, 5_184_000, 7_776_000,
      15_552_000, 31_536_000};
  static final long REFRESH_MS = 15_000;

  private static final Logger LOG = LoggerFactory.getLogger(FleetGauges.class);

  private final Vertx vertx;
  private final Pool pool;
  private final MeterRegistry registry;
  private final long refreshMs;
  private final Map<String, AtomicLong> sites = new LinkedHashMap<>();
  private final AtomicLong ageMaxSeconds = new AtomicLong();
  private final List<Meter> meters = new ArrayList<>();
  private volatile FleetSnapshot last;
  private Collector histogram;
  private long timerId = -1;
  private Future<Void> refreshing;

  public FleetGauges(Vertx vertx, Pool pool, MeterRegistry registry) {
    this(vertx, pool, registry, REFRESH_MS);
  }

  FleetGauges(Vertx vertx, Pool pool, MeterRegistry registry, long refreshMs) {
    this.vertx = vertx;
    this.pool = pool;
    this.registry = registry;
    this.refreshMs = refreshMs;
  }

  /** Registers the meters, reads the first snapshot in the background and refreshes it periodically. */
  public void start() {
    for (String status : STATUSES) {
      AtomicLong n = new AtomicLong();
      sites.put(status, n);
      meters.add(Gauge.builder(SITES, n, AtomicLong::get).description("Live sites by status")
          .tag("status", status).register(registry));
    }
    meters.add(Gauge.builder(AGE_MAX, ageMaxSeconds, AtomicLong::get)
        .description("Age of the oldest current credential of a live site").register(registry));
    if (registry instanceof PrometheusMeterRegistry prometheus) {
      histogram = this::histogram;
      prometheus.getPrometheusRegistry().register(histogram);
    }
    refresh();
    timerId = vertx.setPeriodic(refreshMs, id -> refresh());
  }

  /** Reads a snapshot now (or joins the read under way) and updates every meter; completes when done. Call on the
   * owning verticle's context. */
  public Future<Void> refresh() {
    if (refreshing != null) {
      return refreshing;
    }
    Future<Void> refresh = FleetSnapshot.read(pool, AGE_BOUNDS).map(s -> {
      STATUSES.forEach(status -> sites.get(status).set(s.sitesByStatus().getOrDefault(status, 0L)));
      ageMaxSeconds.set((long) s.ageMax());
      last = s;
      return (Void) null;
    }).onFailure(t -> LOG.warn("fleet gauges not refreshed: {}", t.toString()))
        .andThen(ar -> refreshing = null);
    refreshing = refresh.isComplete() ? null : refresh;
    return refresh;
  }

  /** The histogram as of the last snapshot (empty buckets before the first). */
  private MetricSnapshot histogram() {
    FleetSnapshot s = last;
    double[] bounds = new double[AGE_BOUNDS.length + 1];
    System.arraycopy(AGE_BOUNDS, 0, bounds, 0, AGE_BOUNDS.length);
    bounds[AGE_BOUNDS.length] = Double.POSITIVE_INFINITY;
    long[] counts = s == null ? new long[bounds.length] : s.ageCounts();
    return HistogramSnapshot.builder().name(AGE)
        .help("Age of the current credentials of live sites, as of the last refresh (a snapshot, not events)")
        .dataPoint(HistogramSnapshot.HistogramDataPointSnapshot.builder()
            .classicHistogramBuckets(ClassicHistogramBuckets.of(bounds, counts))
            .sum(s == null ? 0 : s.ageSum())
            .build())
        .build();
  }

  /** Stops refreshing and removes the meters (a restarted core in the same registry registers its own). */
  public void stop() {
    if (timerId >= 0) {
      vertx.cancelTimer(timerId);
      timerId = -1;
    }
    meters.forEach(registry::remove);
    meters.clear();
    if (histogram != null && registry instanceof PrometheusMeterRegistry prometheus) {
      prometheus.getPrometheusRegistry().unregister(histogram);
      histogram = null;
    }
  }
}
