package controlplane.simulator.impl;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Rows of the read-only menus {@code /system/resource} and {@code /ip/service}. */
final class SystemRows {

  private SystemRows() {
  }

  static List<Map<String, String>> resource(RouterImpl r) {
    Map<String, String> row = new LinkedHashMap<>();
    long uptime = Math.max(0, (System.currentTimeMillis() - r.startedAtMillis()) / 1000);
    row.put("uptime", Versions.uptime(uptime));
    row.put("version", r.version() + " (stable)");
    row.put("build-time", Versions.atLeast(r.version(), "7.10") ? "2024-05-01 10:00:00" : "may/01/2024 10:00:00");
    row.put("factory-software", "6.44.6");
    row.put("free-memory", "201326592");
    row.put("total-memory", "268435456");
    row.put("cpu", "ARMv7");
    row.put("cpu-count", "4");
    row.put("cpu-frequency", "716");
    row.put("cpu-load", "1");
    row.put("free-hdd-space", "87031808");
    row.put("total-hdd-space", "134217728");
    row.put("architecture-name", "arm");
    row.put("board-name", "hEX S");
    row.put("platform", "MikroTik");
    return List.of(row);
  }

  static List<Map<String, String>> services(RouterImpl r) {
    boolean v7 = Versions.atLeast(r.version(), "7");
    List<Map<String, String>> rows = new ArrayList<>();
    String[][] services = {
        {"telnet", "23", "true"}, {"ftp", "21", "true"}, {"www", "80", "true"}, {"ssh", "22", "false"},
        {"www-ssl", "443", "true"}, {"api", Integer.toString(r.port()), "false"}, {"winbox", "8291", "false"},
        {"api-ssl", Integer.toString(r.apiSslPort() > 0 ? r.apiSslPort() : 8729), Boolean.toString(r.apiSslPort() == 0)}
    };
    int id = 1;
    for (String[] s : services) {
      Map<String, String> row = new LinkedHashMap<>();
      row.put(".id", RouterState.itemId(id++));
      row.put("name", s[0]);
      row.put("port", s[1]);
      row.put("address", "");
      if (s[0].endsWith("-ssl")) {
        row.put("certificate", s[0].equals("api-ssl") && r.apiSslPort() > 0 ? "simulator" : "none");
        row.put("tls-version", "any");
      }
      if (s[0].startsWith("api")) {
        row.put("max-sessions", "20");
      }
      if (v7) {
        row.put("vrf", "main");
      }
      row.put("invalid", "false");
      row.put("disabled", s[2]);
      rows.add(row);
    }
    return rows;
  }
}
