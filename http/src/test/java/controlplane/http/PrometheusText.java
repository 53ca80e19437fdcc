package controlplane.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.regex.Pattern;

/** A strict enough reader of the Prometheus text format 0.0.4 for tests. */
final class PrometheusText {

  private static final String NAME = "[a-zA-Z_:][a-zA-Z0-9_:]*";
  private static final String LABEL = "[a-zA-Z_][a-zA-Z0-9_]*=\"(?:[^\"\\\\\\n]|\\\\[\\\\\"n])*\"";
  private static final String VALUE = "(?:[-+]?(?:[0-9]+(?:\\.[0-9]*)?(?:[eE][-+]?[0-9]+)?|NaN|Inf))";
  private static final Pattern SAMPLE = Pattern.compile(
    NAME + "(?:\\{(?:" + LABEL + "(?:," + LABEL + ")*,?)?})? " + VALUE + "(?: -?[0-9]+)?");
  private static final Pattern COMMENT = Pattern.compile("# (?:HELP " + NAME + " .*|TYPE " + NAME
    + " (?:counter|gauge|histogram|summary|untyped))|#.*");

  private PrometheusText() {
  }

  /** Every line is a comment, blank, or {@code name{labels} value [timestamp]}; at least one sample. */
  static void assertParses(String text) {
    int samples = 0;
    for (String line : text.split("\n", -1)) {
      if (line.isBlank() || COMMENT.matcher(line).matches()) {
        continue;
      }
      assertThat(SAMPLE.matcher(line).matches()).as("Prometheus sample line: %s", line).isTrue();
      samples++;
    }
    assertThat(samples).as("number of samples").isPositive();
  }
}
