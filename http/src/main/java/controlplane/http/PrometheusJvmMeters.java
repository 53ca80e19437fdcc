package controlplane.http;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.config.MeterFilter;
import io.micrometer.core.instrument.config.MeterFilterReply;
import java.lang.management.CompilationMXBean;
import java.lang.management.ManagementFactory;

/**
 * Gives the JVM meters that Vert.x binds (with {@code MicrometerMetricsOptions.setJvmMetricsEnabled}) names that keep
 * the Prometheus rules {@code promtool check metrics} applies. Micrometer's binders break them three times:
 * {@code jvm_compilation_time_ms_total} and {@code process_cpu_time_ns_total} abbreviate their unit (and Prometheus
 * wants seconds), and the gauge {@code system_cpu_count} ends in the {@code _count} of histograms and summaries. Here
 * they become {@code jvm_compilation_time_seconds_total}, {@code process_cpu_seconds_total} (the name Prometheus'
 * own client libraries use) and {@code system_available_processors}.
 */
public final class PrometheusJvmMeters {

  private static final String SECONDS = "seconds";
  static final String COMPILATION_TIME = "jvm.compilation.time";
  static final String PROCESS_CPU_TIME = "process.cpu.time";
  static final String CPU_COUNT = "system.cpu.count";

  private PrometheusJvmMeters() {
  }

  /**
   * Installs the renaming on {@code registry} and registers the second-based counters. Call it before Vert.x (or
   * anything else) registers a meter: Micrometer applies a filter only to meters registered after it.
   */
  public static void configure(MeterRegistry registry) {
    registry.config().meterFilter(new Renaming());
    CompilationMXBean compilation = ManagementFactory.getCompilationMXBean();
    if (compilation != null && compilation.isCompilationTimeMonitoringSupported()) {
      // named apart from the binder's meter: Micrometer matches ids by name and tags, and would take the binder's
      // registration for a second one of this meter
      FunctionCounter.builder(COMPILATION_TIME + ".seconds", compilation, c -> c.getTotalCompilationTime() / 1e3)
        .baseUnit(SECONDS)
        .tag("compiler", compilation.getName())
        .description("The approximate accumulated elapsed time spent in compilation")
        .register(registry);
    }
    if (ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os
      && os.getProcessCpuTime() >= 0) {
      FunctionCounter.builder("process.cpu", os, o -> o.getProcessCpuTime() / 1e9)
        .baseUnit(SECONDS)
        .description("The \"cpu time\" used by the Java Virtual Machine process")
        .register(registry);
    }
  }

  /** Drops the millisecond and nanosecond counters (replaced by the ones above) and renames the processor count. */
  private static final class Renaming implements MeterFilter {

    @Override
    public MeterFilterReply accept(Meter.Id id) {
      boolean replaced = id.getName().equals(COMPILATION_TIME) || id.getName().equals(PROCESS_CPU_TIME);
      return replaced ? MeterFilterReply.DENY : MeterFilterReply.NEUTRAL;
    }

    @Override
    public Meter.Id map(Meter.Id id) {
      return id.getName().equals(CPU_COUNT) ? id.withName("system.available.processors") : id;
    }
  }
}
