package controlplane.http.impl;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The rules of Redocly's recommended set that the contract once broke, and the ones it must keep, checked on the
 * parsed YAML without Redocly: servers present; info.license present; every tag described, every tag an operation
 * names declared; every operation with a unique operationId, a summary and at least one 4xx response in the
 * {@code Error} shape; every {@code $ref} resolving inside the document.
 */
final class ContractRules {

  private static final List<String> METHODS = List.of("get", "put", "post", "delete", "options", "head", "patch",
    "trace");
  private static final String ERROR_SCHEMA = "#/components/schemas/Error";

  private ContractRules() {
  }

  /** Every problem of {@code contract}, one line each; empty when it keeps every rule. */
  static List<String> problems(JsonObject contract) {
    List<String> problems = new ArrayList<>();
    JsonArray servers = contract.getJsonArray("servers");
    if (servers == null || servers.isEmpty()
      || servers.stream().anyMatch(s -> !(s instanceof JsonObject o) || isBlank(o.getValue("url")))) {
      problems.add("servers: missing, empty or without url");
    }
    JsonObject license = contract.getJsonObject("info", new JsonObject()).getJsonObject("license");
    if (license == null || isBlank(license.getValue("name"))
      || isBlank(license.getValue("identifier")) && isBlank(license.getValue("url"))) {
      problems.add("info.license: missing, or without name and identifier or url");
    }
    Set<String> declaredTags = new HashSet<>();
    for (Object item : contract.getJsonArray("tags", new JsonArray())) {
      JsonObject tag = (JsonObject) item;
      declaredTags.add(tag.getString("name"));
      if (isBlank(tag.getValue("description"))) {
        problems.add("tag " + tag.getString("name") + ": no description");
      }
    }
    Set<String> operationIds = new HashSet<>();
    JsonObject paths = contract.getJsonObject("paths", new JsonObject());
    for (String path : paths.fieldNames()) {
      for (String method : METHODS) {
        JsonObject operation = paths.getJsonObject(path).getJsonObject(method);
        if (operation != null) {
          checkOperation(contract, method + " " + path, operation, declaredTags, operationIds, problems);
        }
      }
    }
    checkRefs(contract, contract, "#", problems);
    return problems;
  }

  private static void checkOperation(JsonObject contract, String where, JsonObject operation, Set<String> declaredTags,
                                     Set<String> operationIds, List<String> problems) {
    String id = operation.getString("operationId");
    if (isBlank(id)) {
      problems.add(where + ": no operationId");
    } else if (!operationIds.add(id)) {
      problems.add(where + ": operationId " + id + " used twice");
    }
    if (isBlank(operation.getValue("summary"))) {
      problems.add(where + ": no summary");
    }
    for (Object tag : operation.getJsonArray("tags", new JsonArray())) {
      if (!declaredTags.contains(tag)) {
        problems.add(where + ": tag " + tag + " is not declared");
      }
    }
    JsonObject responses = operation.getJsonObject("responses", new JsonObject());
    boolean errorShaped4xx = false;
    for (String status : responses.fieldNames()) {
      if (status.matches("4(\\d\\d|XX)")) {
        Object response = resolve(contract, responses.getValue(status));
        errorShaped4xx |= response instanceof JsonObject r && ERROR_SCHEMA.equals(
          r.getJsonObject("content", new JsonObject()).getJsonObject("application/json", new JsonObject())
            .getJsonObject("schema", new JsonObject()).getString("$ref"));
      }
    }
    if (!errorShaped4xx) {
      problems.add(where + ": no 4xx response with the Error schema");
    }
  }

  private static void checkRefs(JsonObject contract, Object node, String at, List<String> problems) {
    if (node instanceof JsonObject object) {
      Object ref = object.getValue("$ref");
      if (ref != null && resolve(contract, object) == null) {
        problems.add(at + ": $ref " + ref + " does not resolve");
      }
      for (String key : object.fieldNames()) {
        checkRefs(contract, object.getValue(key), at + "/" + key, problems);
      }
    } else if (node instanceof JsonArray array) {
      for (int i = 0; i < array.size(); i++) {
        checkRefs(contract, array.getValue(i), at + "/" + i, problems);
      }
    }
  }

  /** {@code node}, or what its local {@code $ref} points at (null when it points nowhere). */
  private static Object resolve(JsonObject contract, Object node) {
    if (!(node instanceof JsonObject object) || !(object.getValue("$ref") instanceof String ref)) {
      return node;
    }
    if (!ref.startsWith("#/")) {
      return null;
    }
    Object target = contract;
    for (String token : ref.substring(2).split("/")) {
      String key = token.replace("~1", "/").replace("~0", "~");
      if (target instanceof JsonObject o) {
        target = o.getValue(key);
      } else {
        return null;
      }
    }
    return target;
  }

  private static boolean isBlank(Object value) {
    return !(value instanceof String s) || s.isBlank();
  }
}
