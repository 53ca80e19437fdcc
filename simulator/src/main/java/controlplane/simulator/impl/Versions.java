package controlplane.simulator.impl;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Locale;

/** Behaviour that depends on the emulated RouterOS version. */
final class Versions {

  private static final DateTimeFormatter V7_TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss", Locale.ROOT)
      .withZone(ZoneOffset.UTC);
  private static final DateTimeFormatter V6_TIME = DateTimeFormatter.ofPattern("MMM/dd/yyyy HH:mm:ss", Locale.ROOT)
      .withZone(ZoneOffset.UTC);

  private Versions() {
  }

  /** Compares dotted versions numerically ({@code 7.9 < 7.18}); anything after a non-digit is ignored. */
  static int compare(String a, String b) {
    int[] x = parts(a);
    int[] y = parts(b);
    for (int i = 0; i < Math.max(x.length, y.length); i++) {
      int u = i < x.length ? x[i] : 0;
      int v = i < y.length ? y[i] : 0;
      if (u != v) {
        return Integer.compare(u, v);
      }
    }
    return 0;
  }

  static boolean atLeast(String version, String min) {
    return compare(version, min) >= 0;
  }

  /** From 7.18 on an empty print answers {@code !empty} before {@code !done}. */
  static boolean sendsEmpty(String version) {
    return atLeast(version, "7.18");
  }

  /** 7.10 changed dates to ISO-like {@code 2024-05-01 12:00:00}; before, {@code may/01/2024 12:00:00}. */
  static String formatTime(String version, Instant t) {
    return atLeast(version, "7.10") ? V7_TIME.format(t) : V6_TIME.format(t).toLowerCase(Locale.ROOT);
  }

  /** Uptime as RouterOS prints it: {@code 1w2d3h4m5s}, zero parts left out. */
  static String uptime(long seconds) {
    StringBuilder sb = new StringBuilder();
    long[] sizes = {604800, 86400, 3600, 60, 1};
    char[] units = {'w', 'd', 'h', 'm', 's'};
    for (int i = 0; i < sizes.length; i++) {
      long n = seconds / sizes[i];
      seconds %= sizes[i];
      if (n > 0) {
        sb.append(n).append(units[i]);
      }
    }
    return sb.length() == 0 ? "0s" : sb.toString();
  }

  private static int[] parts(String v) {
    String[] p = v.split("\\.");
    int[] out = new int[p.length];
    for (int i = 0; i < p.length; i++) {
      int end = 0;
      while (end < p[i].length() && Character.isDigit(p[i].charAt(end))) {
        end++;
      }
      out[i] = end == 0 ? 0 : Integer.parseInt(p[i].substring(0, end));
      if (end < p[i].length()) {
        int[] cut = new int[i + 1];
        System.arraycopy(out, 0, cut, 0, i + 1);
        return cut;
      }
    }
    return out;
  }
}
