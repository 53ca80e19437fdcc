package controlplane.http.impl;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class SiteIdRuleTest {

  @Test
  @DisplayName("every siteId parameter of the contract has exactly the pattern the router checks before validation")
  void samePatternAsTheContract() {
    JsonObject contract = ApiContract.parseYaml(ApiContract.readResource(ApiContract.RESOURCE));
    JsonObject parameters = contract.getJsonObject("components").getJsonObject("parameters");
    int siteIds = 0;
    for (String name : parameters.fieldNames()) {
      JsonObject p = parameters.getJsonObject(name);
      if ("siteId".equals(p.getString("name")) && "path".equals(p.getString("in"))) {
        siteIds++;
        assertThat(p.getJsonObject("schema").getString("pattern")).isEqualTo(PathGuard.UUID_PATTERN);
      }
    }
    assertThat(siteIds).isPositive();
    assertThat(PathGuard.isUuid("d290f1ee-6c54-4b01-90e6-d701748f0851")).isTrue();
    assertThat(PathGuard.isUuid("d290f1ee-6c54-4b01-90e6-d701748f0851\n")).isFalse();
    assertThat(PathGuard.isUuid("d290f1ee6c544b0190e6d701748f0851")).isFalse();
  }
}
