package controlplane.http;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.jvm.JvmCompilationMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.lang.management.CompilationMXBean;
import java.lang.management.ManagementFactory;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/** The binders Vert.x uses for JVM metrics, on a registry configured by {@link PrometheusJvmMeters}. */
class PrometheusJvmMetersTest {

  private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
  /** Micrometer's own log, where it reports a meter registered twice (a warning once per JVM, then debug lines). */
  private final Logger micrometer = (Logger) LoggerFactory.getLogger(MeterRegistry.class);
  private final ListAppender<ILoggingEvent> micrometerLog = new ListAppender<>();
  private Level level;

  @BeforeEach
  void bind() {
    level = micrometer.getLevel();
    micrometer.setLevel(Level.DEBUG);
    micrometerLog.start();
    micrometer.addAppender(micrometerLog);
    PrometheusJvmMeters.configure(registry);
    new JvmCompilationMetrics().bindTo(registry);
    new ProcessorMetrics().bindTo(registry);
  }

  @AfterEach
  void release() {
    micrometer.detachAppender(micrometerLog);
    micrometer.setLevel(level);
  }

  @Test
  @DisplayName("the binders' registrations meet no meter of the same id: Micrometer reports nothing registered twice")
  void noDoubleRegistration() {
    assertThat(micrometerLog.list).extracting(ILoggingEvent::getFormattedMessage)
      .noneMatch(m -> m.contains("already registered"));
  }

  private static double sample(String text, String name) {
    Matcher m = Pattern.compile("(?m)^" + name + "(?:\\{[^}]*})? (\\S+)$").matcher(text);
    assertThat(m.find()).as("a sample of %s in%n%s", name, text).isTrue();
    return Double.parseDouble(m.group(1));
  }

  @Test
  @DisplayName("the millisecond, nanosecond and _count names are gone, replaced by second-based and plain ones")
  void names() {
    String text = registry.scrape();

    assertThat(text).doesNotContain("jvm_compilation_time_ms_total", "process_cpu_time_ns_total", "system_cpu_count")
      .contains("# TYPE jvm_compilation_time_seconds_total counter", "# TYPE process_cpu_seconds_total counter",
        "# TYPE system_available_processors gauge")
      .contains("process_cpu_usage", "system_cpu_usage");
    assertThat(sample(text, "system_available_processors")).isEqualTo(Runtime.getRuntime().availableProcessors());
  }

  @Test
  @DisplayName("the compilation time and the process CPU time are in seconds")
  void seconds() {
    CompilationMXBean compilation = ManagementFactory.getCompilationMXBean();
    var os = (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
    long compilationMillisBefore = compilation.getTotalCompilationTime();
    long cpuNanosBefore = os.getProcessCpuTime();

    String text = registry.scrape();

    long compilationMillisAfter = compilation.getTotalCompilationTime();
    long cpuNanosAfter = os.getProcessCpuTime();
    assertThat(sample(text, "jvm_compilation_time_seconds_total"))
      .isBetween(compilationMillisBefore / 1e3, compilationMillisAfter / 1e3);
    assertThat(sample(text, "process_cpu_seconds_total")).isBetween(cpuNanosBefore / 1e9, cpuNanosAfter / 1e9);
  }
}
