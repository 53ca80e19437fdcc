package controlplane.config.it.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import controlplane.config.PrometheusLint;
import controlplane.config.Promtool;
import controlplane.config.it.http.ItControlPlane.Router;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

/**
 * deploy/prometheus/alerts.yml and deploy/grafana/control-plane.json name only metrics that a real running service
 * exports on /metrics (a histogram's _bucket, _sum and _count are samples of the exposition too); promtool accepts
 * the rules where it is installed.
 */
@DisplayName("Dashboards and alerts name the metrics the service exports")
class DashboardsAndAlertsTest {

  @TempDir
  static Path tempDir;
  static ItControlPlane it;
  static String exposition;

  @BeforeAll
  static void start() {
    Router router = Router.plain("dash-1", "127.0.92.1", 38728);
    it = ItControlPlane.start(tempDir, List.of(router), config -> { });
    // One rotation: the meters created at the first event (the device's timer) exist too.
    it.rotate(it.enrol(router));
    HttpResponse<Buffer> r = it.call(HttpMethod.GET, "/metrics", null);
    assertThat(r.statusCode()).isEqualTo(200);
    exposition = r.bodyAsString();
  }

  @AfterAll
  static void stop() {
    if (it != null) {
      it.close();
    }
  }

  static Path repository() {
    Path dir = Path.of("").toAbsolutePath();
    while (dir != null && !Files.isDirectory(dir.resolve("deploy"))) {
      dir = dir.getParent();
    }
    assertThat(dir).as("a parent directory with deploy/").isNotNull();
    return dir;
  }

  static Path alertsFile() {
    return repository().resolve("deploy/prometheus/alerts.yml");
  }

  static Path dashboardFile() {
    return repository().resolve("deploy/grafana/control-plane.json");
  }

  /** The name of every sample of the exposition (cp_rotations_total, cp_rotation_duration_seconds_bucket...). */
  static Set<String> exported() {
    Set<String> names = new LinkedHashSet<>();
    for (String line : exposition.split("\n")) {
      if (!line.isBlank() && !line.startsWith("#")) {
        names.add(line.split("[{ ]", 2)[0]);
      }
    }
    return names;
  }

  /** Expression to where it is (alert name, panel title). */
  @SuppressWarnings("unchecked")
  static Map<String, String> alertExpressions() throws Exception {
    Map<String, Object> root = new Yaml(new SafeConstructor(new LoaderOptions())).load(Files.readString(alertsFile()));
    Map<String, String> out = new LinkedHashMap<>();
    for (Map<String, Object> group : (List<Map<String, Object>>) root.get("groups")) {
      for (Map<String, Object> rule : (List<Map<String, Object>>) group.get("rules")) {
        out.put(String.valueOf(rule.get("expr")), "alert " + rule.get("alert"));
      }
    }
    return out;
  }

  static JsonObject dashboard() throws Exception {
    return new JsonObject(Files.readString(dashboardFile()));
  }

  /** Every panel, rows' nested panels included. */
  static List<JsonObject> panels(JsonObject dashboard) {
    List<JsonObject> out = new ArrayList<>();
    for (Object o : dashboard.getJsonArray("panels")) {
      JsonObject panel = (JsonObject) o;
      out.add(panel);
      JsonArray nested = panel.getJsonArray("panels");
      if (nested != null) {
        nested.forEach(n -> out.add((JsonObject) n));
      }
    }
    return out;
  }

  static Map<String, String> dashboardExpressions() throws Exception {
    Map<String, String> out = new LinkedHashMap<>();
    for (JsonObject panel : panels(dashboard())) {
      JsonArray targets = panel.getJsonArray("targets");
      if (targets != null) {
        targets.forEach(t -> out.put(((JsonObject) t).getString("expr"), "panel " + panel.getString("title")));
      }
    }
    return out;
  }

  @Test
  @DisplayName("every metric of alerts.yml and of the dashboard is exported by the running service")
  void everyNameIsExported() throws Exception {
    Set<String> exported = exported();
    Map<String, String> expressions = new LinkedHashMap<>(alertExpressions());
    expressions.putAll(dashboardExpressions());
    assertThat(expressions).hasSizeGreaterThan(20);

    List<String> unknown = new ArrayList<>();
    Set<String> used = new LinkedHashSet<>();
    expressions.forEach((expr, where) -> PromqlNames.of(expr).forEach(name -> {
      used.add(name);
      if (!exported.contains(name)) {
        unknown.add(where + ": " + name);
      }
    }));
    assertThat(unknown).as("metrics that /metrics does not export").isEmpty();
    assertThat(used).contains("cp_sites", "cp_credential_age_seconds_bucket", "cp_credential_age_max_seconds",
        "cp_process_takeovers_total", "cp_credentials_pending", "cp_rotations_total",
        "cp_rotation_duration_seconds_bucket");
  }

  @Test
  @DisplayName("the fleet metrics of this branch are exported, cp_credential_age_seconds as a histogram, and keep"
      + " promtool's naming rules")
  void fleetMetricsExported() {
    assertThat(exported()).contains("cp_sites", "cp_credential_age_max_seconds", "cp_process_takeovers_total",
        "cp_credential_age_seconds_bucket", "cp_credential_age_seconds_sum", "cp_credential_age_seconds_count");
    assertThat(exposition).contains("# TYPE cp_credential_age_seconds histogram")
        .contains("cp_sites{status=\"in_sync\"}").contains("cp_sites{status=\"out_of_sync\"}")
        .contains("cp_sites{status=\"unverified\"}");
    assertThat(PrometheusLint.problems(exposition)).isEmpty();
  }

  @Test
  @DisplayName("promtool check rules accepts alerts.yml (where promtool is on the PATH)")
  void promtoolAcceptsTheRules() throws Exception {
    Path promtool = Promtool.find();
    assumeTrue(promtool != null, "promtool is not on the PATH");

    Promtool.Result result = Promtool.checkRules(promtool, alertsFile());

    assertThat(result.exitCode()).as(result.output()).isZero();
  }

  @Test
  @DisplayName("every alert has a for duration, a severity and a summary and description; every dashboard panel"
      + " reads the ${DS_PROMETHEUS} datasource")
  @SuppressWarnings("unchecked")
  void shapes() throws Exception {
    Map<String, Object> root = new Yaml(new SafeConstructor(new LoaderOptions())).load(Files.readString(alertsFile()));
    for (Map<String, Object> group : (List<Map<String, Object>>) root.get("groups")) {
      for (Map<String, Object> rule : (List<Map<String, Object>>) group.get("rules")) {
        assertThat(rule).as(String.valueOf(rule.get("alert"))).containsKeys("alert", "expr", "for", "labels",
            "annotations");
        assertThat((Map<String, Object>) rule.get("labels")).containsKey("severity");
        assertThat((Map<String, Object>) rule.get("annotations")).containsKeys("summary", "description");
      }
    }
    JsonObject dashboard = dashboard();
    assertThat(dashboard.getInteger("schemaVersion")).isGreaterThanOrEqualTo(36);
    assertThat(dashboard.getJsonObject("templating").getJsonArray("list").stream()
        .map(v -> ((JsonObject) v).getString("name"))).contains("DS_PROMETHEUS");
    for (JsonObject panel : panels(dashboard)) {
      if (!"row".equals(panel.getString("type"))) {
        assertThat(panel.getJsonObject("datasource").getString("uid")).as(panel.getString("title"))
            .isEqualTo("${DS_PROMETHEUS}");
        assertThat(panel.getJsonArray("targets")).as(panel.getString("title")).isNotEmpty();
      }
    }
  }

  @Test
  @DisplayName("the expression reader finds metric names, not functions, labels, keywords or durations")
  void readsNames() {
    assertThat(PromqlNames.of("histogram_quantile(0.99, sum by (le) (rate(cp_a_bucket{x=\"y\"}[$__rate_interval])))"
        + " / clamp_min(sum without (instance) (cp_b_total offset 5m), 1e-9) > 90 * 86400 and on(job) cp_c"))
        .containsExactly("cp_a_bucket", "cp_b_total", "cp_c");
  }
}
