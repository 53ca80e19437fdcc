package controlplane.config;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The naming rules {@code promtool check metrics} applies to each metric family of a Prometheus text exposition
 * (client_golang's promlint), written out here so that a test holds them without promtool: help text present;
 * {@code _total} on counters and only on counters; {@code _bucket}, {@code _count}, {@code _sum}, {@code le} and
 * {@code quantile} only on histograms and summaries; no type name, colon or camelCase in a name; no abbreviated unit
 * ({@code _ms}, {@code _ns}, ...); base units only ({@code seconds}, not {@code milliseconds} or {@code minutes}).
 */
public final class PrometheusLint {

  private static final Pattern TYPE = Pattern.compile("# TYPE (\\S+) (\\S+)");
  private static final Pattern HELP = Pattern.compile("# HELP (\\S+)(?: .*)?");
  private static final Pattern LABEL_NAME = Pattern.compile("[{,]([a-zA-Z_][a-zA-Z0-9_]*)=\"");
  private static final Pattern CAMEL_CASE = Pattern.compile("[a-z][A-Z]");
  private static final List<String> TYPE_NAMES = List.of("counter", "gauge", "histogram", "summary",
      "gauge_histogram");
  private static final List<String> ABBREVIATIONS = List.of("s", "ms", "us", "ns", "sec", "b", "kb", "mb", "gb",
      "tb", "pb", "m", "h", "d");
  /** A unit word and its base unit. */
  private static final Map<String, String> UNITS = Map.ofEntries(
      Map.entry("amperes", "amperes"), Map.entry("bytes", "bytes"), Map.entry("celsius", "celsius"),
      Map.entry("grams", "grams"), Map.entry("joules", "joules"), Map.entry("kelvin", "kelvin"),
      Map.entry("meters", "meters"), Map.entry("metres", "metres"), Map.entry("seconds", "seconds"),
      Map.entry("volts", "volts"), Map.entry("minutes", "seconds"), Map.entry("hours", "seconds"),
      Map.entry("days", "seconds"), Map.entry("weeks", "seconds"), Map.entry("kelvins", "kelvin"),
      Map.entry("fahrenheit", "celsius"), Map.entry("rankine", "celsius"), Map.entry("inches", "meters"),
      Map.entry("yards", "meters"), Map.entry("miles", "meters"), Map.entry("bits", "bytes"),
      Map.entry("calories", "joules"), Map.entry("pounds", "grams"), Map.entry("ounces", "grams"));
  private static final List<String> PREFIXES = List.of("pico", "nano", "micro", "milli", "centi", "deci", "deca",
      "hecto", "kilo", "kibi", "mega", "mibi", "giga", "gibi", "tera", "tebi", "peta", "pebi");

  private PrometheusLint() {
  }

  /** One metric family: its name, type (untyped without a TYPE line), whether it has help, its label names. */
  private static final class Family {
    final String name;
    String type = "untyped";
    boolean help;
    final Set<String> labels = new LinkedHashSet<>();

    Family(String name) {
      this.name = name;
    }
  }

  /** Every problem found, as {@code "family: problem"}; empty when the exposition keeps every rule. */
  public static List<String> problems(String exposition) {
    List<String> problems = new ArrayList<>();
    for (Family family : families(exposition).values()) {
      check(family, problems);
    }
    return problems;
  }

  /** The family names of {@code exposition}, in order. */
  public static Set<String> familyNames(String exposition) {
    return families(exposition).keySet();
  }

  private static Map<String, Family> families(String exposition) {
    Map<String, Family> families = new LinkedHashMap<>();
    Family current = null;
    for (String line : exposition.split("\n")) {
      Matcher type = TYPE.matcher(line);
      Matcher help = HELP.matcher(line);
      if (type.matches()) {
        current = families.computeIfAbsent(type.group(1), Family::new);
        current.type = type.group(2);
      } else if (help.matches()) {
        current = families.computeIfAbsent(help.group(1), Family::new);
        current.help = true;
      } else if (!line.isBlank() && !line.startsWith("#")) {
        String sample = line.split("[{ ]", 2)[0];
        if (current == null || !sample.startsWith(current.name)) {
          current = families.computeIfAbsent(sample, Family::new);
        }
        int end = line.indexOf('}');
        Matcher label = LABEL_NAME.matcher(end < 0 ? "" : line.substring(0, end));
        while (label.find()) {
          current.labels.add(label.group(1));
        }
      }
    }
    return families;
  }

  private static void check(Family f, List<String> problems) {
    String name = f.name;
    String lower = name.toLowerCase(Locale.ROOT);
    boolean counter = f.type.equals("counter");
    boolean histogram = f.type.equals("histogram");
    boolean summary = f.type.equals("summary");
    boolean untyped = f.type.equals("untyped");
    if (!f.help) {
      problems.add(name + ": no help text");
    }
    if (counter && !name.endsWith("_total")) {
      problems.add(name + ": counter metrics should have \"_total\" suffix");
    }
    if (!counter && !untyped && name.endsWith("_total")) {
      problems.add(name + ": non-counter metrics should not have \"_total\" suffix");
    }
    if (!untyped) {
      if (!histogram && (name.endsWith("_bucket") || f.labels.contains("le"))) {
        problems.add(name + ": non-histogram metrics should not have \"_bucket\" suffix or \"le\" label");
      }
      if (!histogram && !summary && (name.endsWith("_count") || name.endsWith("_sum"))) {
        problems.add(name + ": non-histogram and non-summary metrics should not have \"_count\" or \"_sum\" suffix");
      }
      if (!summary && f.labels.contains("quantile")) {
        problems.add(name + ": non-summary metrics should not have \"quantile\" label");
      }
    }
    for (String typeName : TYPE_NAMES) {
      if (lower.contains("_" + typeName + "_") || lower.endsWith("_" + typeName)) {
        problems.add(name + ": metric name should not include type '" + typeName + "'");
      }
    }
    if (name.contains(":")) {
      problems.add(name + ": metric names should not contain ':'");
    }
    if (CAMEL_CASE.matcher(name).find() || f.labels.stream().anyMatch(l -> CAMEL_CASE.matcher(l).find())) {
      problems.add(name + ": metric and label names should be written in 'snake_case' not 'camelCase'");
    }
    for (String abbreviation : ABBREVIATIONS) {
      if (lower.contains("_" + abbreviation + "_") || lower.endsWith("_" + abbreviation)) {
        problems.add(name + ": metric names should not contain abbreviated units");
      }
    }
    String unit = nonBaseUnit(name);
    if (unit != null) {
      problems.add(name + ": use base unit instead of \"" + unit + "\"");
    }
  }

  /** The first unit word of {@code name} that is not a base unit ("milliseconds", "minutes", "kilobytes"), or null. */
  private static String nonBaseUnit(String name) {
    for (String word : name.split("_")) {
      if (UNITS.containsKey(word)) {
        return UNITS.get(word).equals(word) ? null : word;
      }
      for (String prefix : PREFIXES) {
        if (word.startsWith(prefix) && UNITS.containsKey(word.substring(prefix.length()))) {
          return word;
        }
      }
    }
    return null;
  }
}
