package controlplane.core.housekeeping;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.EnumMap;
import java.util.Map;

/** {@value #REMOVED}, one series per {@link PurgeKind}, each registered at 0 from the start. */
public final class HousekeepingMetrics {

  public static final String REMOVED = "cp_housekeeping_removed_total";

  private final Map<PurgeKind, Counter> removed = new EnumMap<>(PurgeKind.class);

  public HousekeepingMetrics(MeterRegistry registry) {
    for (PurgeKind kind : PurgeKind.values()) {
      removed.put(kind, Counter.builder(REMOVED)
          .description("Rows removed by the housekeeper (sites for deleted_sites)")
          .tag("kind", kind.tag()).register(registry));
    }
  }

  void removed(PurgeKind kind, long rows) {
    removed.get(kind).increment(rows);
  }
}
