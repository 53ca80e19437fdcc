package controlplane.http.impl;

import controlplane.core.bus.Failure;
import io.vertx.core.Handler;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.openapi.router.RequestExtractor;
import io.vertx.json.schema.OutputUnit;
import io.vertx.json.schema.Validator;
import io.vertx.json.schema.common.dsl.SchemaType;
import io.vertx.openapi.contract.Location;
import io.vertx.openapi.contract.OpenAPIContract;
import io.vertx.openapi.contract.Operation;
import io.vertx.openapi.contract.Parameter;
import io.vertx.openapi.validation.RequestValidator;
import io.vertx.openapi.validation.SchemaValidationException;
import io.vertx.openapi.validation.ValidatedRequest;
import io.vertx.openapi.validation.ValidatorException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Validates a request against its operation in the OpenAPI contract: a JSON object body where the operation has a
 * request body (415 for another media type, 400 for malformed JSON), then parameters and body against the
 * contract's schemas (400 {@code invalid_request}, unknown fields included). The site id is checked before this,
 * so that a bad one is answered {@code invalid_site_id}.
 *
 * <p>An operation without a body whose parameters are all strings (the hot path: rotation and reads) is checked
 * inline on the event loop against validators compiled once from the contract; the others go through
 * {@link RequestValidator}, which compiles a validator per parameter per request.
 */
public final class ValidationHandler implements Handler<RoutingContext> {

  private static final String KEY = "cp.validatedRequest";

  /** A string parameter and the validator of its schema. */
  private record ParameterCheck(String name, Location in, boolean required, Validator validator) {
  }

  private final Operation operation;
  private final RequestValidator validator;
  private final RequestExtractor extractor = RequestExtractor.withBodyHandler();
  /** Null when the operation needs the full validator. */
  private final List<ParameterCheck> inline;

  /**
   * {@code checkedPathParameters}: path parameters a handler before this one has already checked against the same
   * rule as their schema (the site id); the inline checks skip them (vertx-json-schema compiles a {@code pattern}
   * on every validation).
   */
  public ValidationHandler(Operation operation, RequestValidator validator, OpenAPIContract contract,
                           Set<String> checkedPathParameters) {
    this.operation = operation;
    this.validator = validator;
    this.inline = inlineChecks(operation, contract, checkedPathParameters);
  }

  private static List<ParameterCheck> inlineChecks(Operation operation, OpenAPIContract contract,
                                                   Set<String> checkedPathParameters) {
    if (operation.getRequestBody() != null) {
      return null;
    }
    List<ParameterCheck> checks = new ArrayList<>();
    for (Parameter p : operation.getParameters()) {
      boolean simple = p.getSchemaType() == SchemaType.STRING
          && (p.getIn() == Location.PATH || p.getIn() == Location.HEADER || p.getIn() == Location.QUERY);
      if (!simple) {
        return null;
      }
      if (p.getIn() == Location.PATH && checkedPathParameters.contains(p.getName())) {
        continue;
      }
      checks.add(new ParameterCheck(p.getName(), p.getIn(), p.isRequired(),
          contract.getSchemaRepository().validator(p.getSchema())));
    }
    return List.copyOf(checks);
  }

  @Override
  public void handle(RoutingContext ctx) {
    if (inline != null) {
      checkInline(ctx);
      return;
    }
    if (operation.getRequestBody() != null && !checkJsonBody(ctx)) {
      return;
    }
    extractor.extractValidatableRequest(ctx, operation)
      .compose(request -> validator.validate(request, operation.getOperationId()))
      .onSuccess(validated -> {
        ctx.put(KEY, validated);
        ctx.next();
      })
      .onFailure(e -> ctx.fail(e instanceof ValidatorException ve
        ? new ApiException(HttpError.of(Failure.INVALID_REQUEST, describe(ve)))
        : e));
  }

  private void checkInline(RoutingContext ctx) {
    for (ParameterCheck check : inline) {
      String value = switch (check.in()) {
        case PATH -> ctx.pathParam(check.name());
        case HEADER -> ctx.request().getHeader(check.name());
        default -> ctx.queryParams().get(check.name());
      };
      if (value == null) {
        if (check.required()) {
          ctx.fail(new ApiException(HttpError.of(Failure.INVALID_REQUEST, check.name() + " is required")));
          return;
        }
        continue;
      }
      OutputUnit result = check.validator().validate(value);
      if (!Boolean.TRUE.equals(result.getValid())) {
        ctx.fail(new ApiException(HttpError.of(Failure.INVALID_REQUEST, check.name() + ": " + reason(result))));
        return;
      }
    }
    ctx.next();
  }

  /** The leaf error of a failed parameter check (the rule, never the value). */
  private static String reason(OutputUnit result) {
    List<OutputUnit> errors = result.getErrors();
    if (errors != null && !errors.isEmpty() && errors.get(0).getError() != null) {
      return errors.get(0).getError();
    }
    return result.getError() != null ? result.getError() : "does not match the contract";
  }

  /** The request as validated by the contract (operations checked by the full validator only). */
  public static ValidatedRequest of(RoutingContext ctx) {
    return ctx.get(KEY);
  }

  private boolean checkJsonBody(RoutingContext ctx) {
    Buffer body = ctx.body().buffer();
    String contentType = ctx.request().getHeader("Content-Type");
    if (body == null || body.length() == 0) {
      if (operation.getRequestBody().isRequired()) {
        ctx.fail(new ApiException(HttpError.of(Failure.INVALID_REQUEST, "a JSON request body is required")));
        return false;
      }
      return true;
    }
    if (contentType == null || !isJson(contentType)) {
      ctx.fail(new ApiException(HttpError.unsupportedMediaType()));
      return false;
    }
    try {
      Object parsed = body.toJsonValue();
      if (!(parsed instanceof JsonObject)) {
        ctx.fail(new ApiException(HttpError.of(Failure.INVALID_REQUEST, "the request body must be a JSON object")));
        return false;
      }
    } catch (DecodeException e) {
      ctx.fail(new ApiException(HttpError.of(Failure.INVALID_REQUEST, "the request body is not valid JSON")));
      return false;
    }
    return true;
  }

  private static boolean isJson(String contentType) {
    String mediaType = contentType.split(";", 2)[0].trim().toLowerCase(Locale.ROOT);
    return mediaType.equals("application/json");
  }

  /**
   * The most specific reason of a validation failure, naming the field and the rule, never the value: the leaf
   * error of a property rather than the wrappers {@code properties} and {@code additionalProperties} report around
   * it; a field outside the schema is "unknown field".
   */
  static String describe(ValidatorException e) {
    if (e instanceof SchemaValidationException invalid && invalid.getOutputUnit() != null) {
      List<OutputUnit> errors = invalid.getOutputUnit().getErrors();
      if (errors != null && !errors.isEmpty()) {
        OutputUnit leaf = errors.stream()
          .filter(u -> !u.getKeywordLocation().endsWith("/properties"))
          .filter(u -> !u.getKeywordLocation().endsWith("/additionalProperties"))
          .findFirst()
          .orElse(null);
        if (leaf != null) {
          return where(invalid, leaf) + leaf.getError();
        }
        OutputUnit unknown = errors.stream()
          .filter(u -> u.getKeywordLocation().endsWith("/additionalProperties"))
          .findFirst()
          .orElse(errors.get(0));
        return unknown.getKeywordLocation().endsWith("/additionalProperties")
          ? "unknown field " + field(unknown.getInstanceLocation())
          : where(invalid, unknown) + unknown.getError();
      }
    }
    return e.getMessage() == null ? "the request does not match the contract" : e.getMessage();
  }

  private static String where(SchemaValidationException e, OutputUnit unit) {
    String field = field(unit.getInstanceLocation());
    if (!field.isEmpty()) {
      return field + ": ";
    }
    String message = e.getMessage();
    int reason = message == null ? -1 : message.indexOf(". Reason:");
    return reason > 0 ? message.substring(0, reason) + ": " : "";
  }

  private static String field(String instanceLocation) {
    if (instanceLocation == null) {
      return "";
    }
    String path = instanceLocation.startsWith("#") ? instanceLocation.substring(1) : instanceLocation;
    return path.startsWith("/") ? path.substring(1) : path;
  }
}
