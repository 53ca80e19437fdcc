package controlplane.config.it.http;

import java.util.LinkedHashSet;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The metric names a PromQL expression selects: what is left once strings, label matchers, range and subquery
 * brackets, grouping clauses, function names, keywords and numbers are taken out. Enough for the expressions of
 * deploy/ (it is not a PromQL parser).
 */
final class PromqlNames {

  private static final Pattern IDENTIFIER = Pattern.compile("(?<![A-Za-z0-9_.:$])[A-Za-z_:][A-Za-z0-9_:]*");
  private static final Set<String> KEYWORDS = Set.of("and", "or", "unless", "bool", "offset", "by", "without", "on",
      "ignoring", "group_left", "group_right", "inf", "nan", "atan2");

  private PromqlNames() {
  }

  static Set<String> of(String expr) {
    String s = expr.replaceAll("\"(?:[^\"\\\\]|\\\\.)*\"", " ")
        .replaceAll("'(?:[^'\\\\]|\\\\.)*'", " ")
        .replaceAll("\\{[^}]*}", " ")
        .replaceAll("\\[[^]]*]", " ")
        .replaceAll("(?i)\\b(by|without|on|ignoring|group_left|group_right)\\s*\\([^)]*\\)", " ");
    Set<String> names = new LinkedHashSet<>();
    Matcher m = IDENTIFIER.matcher(s);
    while (m.find()) {
      String token = m.group();
      int next = m.end();
      while (next < s.length() && Character.isWhitespace(s.charAt(next))) {
        next++;
      }
      boolean function = next < s.length() && s.charAt(next) == '(';
      if (!function && !KEYWORDS.contains(token.toLowerCase(java.util.Locale.ROOT))) {
        names.add(token);
      }
    }
    return names;
  }
}
