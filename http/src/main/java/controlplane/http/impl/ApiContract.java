package controlplane.http.impl;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.Json;
import io.vertx.core.json.JsonObject;
import io.vertx.openapi.contract.OpenAPIContract;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

/**
 * The OpenAPI contract, {@code openapi.yaml} on the classpath: the single source of truth for routes, scopes and
 * request shapes. Read from the classpath (never from the working directory) and kept as the exact bytes served at
 * {@code GET /openapi.yaml}.
 *
 * @param contract the parsed contract
 * @param yaml     the file as served
 */
public record ApiContract(OpenAPIContract contract, Buffer yaml) {

  /** Classpath location of the contract. */
  public static final String RESOURCE = "openapi.yaml";

  /** Loads and parses the contract off the event loop. */
  public static Future<ApiContract> load(Vertx vertx) {
    return vertx.executeBlocking(() -> readResource(RESOURCE))
      .compose(text -> OpenAPIContract.from(vertx, withoutServers(parseYaml(text)))
        .map(contract -> new ApiContract(contract, Buffer.buffer(text, "UTF-8"))));
  }

  /**
   * The contract without its {@code servers}: their url is relative ({@code /}, the service that serves the
   * document), which vertx-openapi 5 refuses (it reads a server url as an absolute {@code java.net.URL}). Nothing is
   * lost: routes are the contract's paths as they stand, under no base path.
   */
  static JsonObject withoutServers(JsonObject contract) {
    JsonObject copy = contract.copy();
    copy.remove("servers");
    return copy;
  }

  /** The YAML text as JSON (keys such as response codes become strings). */
  static JsonObject parseYaml(String text) {
    Object tree = new Yaml(new SafeConstructor(new LoaderOptions())).load(text);
    return new JsonObject(Json.encode(tree));
  }

  static String readResource(String name) {
    try (InputStream in = ApiContract.class.getClassLoader().getResourceAsStream(name)) {
      if (in == null) {
        throw new IllegalStateException(name + " is not on the classpath");
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
