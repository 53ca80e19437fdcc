package controlplane.http.impl;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** The contract lints clean with Redocly's recommended rules (the ones it once broke are held here in Java too). */
class ContractLintTest {

  private static JsonObject contract() {
    return ApiContract.parseYaml(ApiContract.readResource(ApiContract.RESOURCE));
  }

  @Test
  @DisplayName("servers, license, tag descriptions, operationId, summary and a 4xx Error per operation, every $ref")
  void keepsTheRules() {
    JsonObject contract = contract();

    assertThat(ContractRules.problems(contract)).isEmpty();
    assertThat(contract.getJsonObject("paths").fieldNames()).hasSize(18);
  }

  @Test
  @DisplayName("the rules have teeth: a contract broken once per rule is reported once per break")
  void reportsEachBreak() {
    JsonObject broken = contract();
    broken.remove("servers");
    broken.getJsonObject("info").remove("license");
    broken.getJsonArray("tags").getJsonObject(0).remove("description");
    JsonObject paths = broken.getJsonObject("paths");
    JsonObject metrics = paths.getJsonObject("/metrics").getJsonObject("get");
    metrics.remove("summary");
    metrics.getJsonObject("responses").remove("413");
    paths.getJsonObject("/health/live").getJsonObject("get").remove("operationId");
    paths.getJsonObject("/health/ready").getJsonObject("get").put("tags", new JsonArray().add("health"));
    paths.getJsonObject("/openapi.yaml").getJsonObject("get").getJsonObject("responses")
      .put("413", new JsonObject().put("$ref", "#/components/responses/NoSuchResponse"));

    assertThat(ContractRules.problems(broken)).containsExactlyInAnyOrder(
      "servers: missing, empty or without url",
      "info.license: missing, or without name and identifier or url",
      "tag credentials: no description",
      "get /metrics: no summary",
      "get /metrics: no 4xx response with the Error schema",
      "get /health/live: no operationId",
      "get /health/ready: tag health is not declared",
      "get /openapi.yaml: no 4xx response with the Error schema",
      "#/paths//openapi.yaml/get/responses/413: $ref #/components/responses/NoSuchResponse does not resolve");
  }

  @Test
  @DisplayName("redocly lint (recommended rules, redocly.yaml's one exception) reports no error and no warning"
      + " (where Redocly CLI is installed)")
  void redoclyLintsClean() throws Exception {
    Path redocly = Redocly.find();
    assumeTrue(redocly != null, "redocly is not on the PATH and REDOCLY is not set");
    Path file = Path.of(ApiContract.class.getClassLoader().getResource(ApiContract.RESOURCE).toURI());

    JsonObject report = Redocly.lint(redocly, file);

    assertThat(report.getJsonArray("problems")).as(report.encodePrettily()).isEmpty();
    assertThat(report.getJsonObject("totals").getInteger("errors")).isZero();
    assertThat(report.getJsonObject("totals").getInteger("warnings")).isZero();
    assertThat(report.getInteger("exitCode")).isZero();
  }
}
