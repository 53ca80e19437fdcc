package controlplane.http.impl;

import controlplane.core.bus.Failure;
import controlplane.core.bus.RateLimit;
import io.vertx.core.json.JsonObject;
import java.util.Map;

/**
 * One API error: status, the public {@code {type, code, message}} body and extra response headers. Every failure
 * becomes one of these in {@link ErrorHandler}; statuses are chosen here and nowhere else.
 */
public record HttpError(int status, String type, String code, String message, Map<String, String> headers) {

  public static final String INVALID_REQUEST_ERROR = "invalid_request_error";
  public static final String AUTHENTICATION_ERROR = "authentication_error";
  public static final String PERMISSION_ERROR = "permission_error";
  public static final String NOT_FOUND_ERROR = "not_found_error";
  public static final String CONFLICT_ERROR = "conflict_error";
  public static final String RATE_LIMIT_ERROR = "rate_limit_error";
  public static final String DEVICE_ERROR = "device_error";
  public static final String API_ERROR = "api_error";

  /** HTTP-level codes that have no {@link Failure} counterpart. */
  public static final String NOT_FOUND = "not_found";
  public static final String METHOD_NOT_ALLOWED = "method_not_allowed";
  public static final String PAYLOAD_TOO_LARGE = "payload_too_large";
  public static final String UNSUPPORTED_MEDIA_TYPE = "unsupported_media_type";
  public static final String SERVICE_UNAVAILABLE = "service_unavailable";
  public static final String UPSTREAM_TIMEOUT = "upstream_timeout";

  public HttpError {
    headers = headers == null ? Map.of() : Map.copyOf(headers);
  }

  /** The error for a {@link Failure} reported by core (or raised here), with the status the API documents. */
  public static HttpError of(Failure failure, String message) {
    return switch (failure) {
      case INVALID_SITE_ID, INVALID_REQUEST -> error(400, INVALID_REQUEST_ERROR, failure, message);
      case UNAUTHORIZED -> new HttpError(401, AUTHENTICATION_ERROR, failure.id(), message,
        Map.of("WWW-Authenticate", "Bearer"));
      case FORBIDDEN -> error(403, PERMISSION_ERROR, failure, message);
      case SITE_NOT_FOUND, JOB_NOT_FOUND, POLICY_NOT_FOUND -> error(404, NOT_FOUND_ERROR, failure, message);
      case ROTATION_IN_PROGRESS -> new HttpError(409, CONFLICT_ERROR, failure.id(), message,
        Map.of("Retry-After", "1"));
      case SITE_DELETED, SITE_EXISTS, ROUTER_ALREADY_ENROLLED -> error(409, CONFLICT_ERROR, failure, message);
      case IDEMPOTENCY_KEY_REUSED -> error(422, CONFLICT_ERROR, failure, message);
      case TARGET_NOT_ALLOWED -> error(422, INVALID_REQUEST_ERROR, failure, message);
      case RATE_LIMITED -> new HttpError(429, RATE_LIMIT_ERROR, failure.id(), message,
        Map.of("Retry-After", Long.toString(RateLimit.retryAfterSeconds(message))));
      case DEVICE_UNREACHABLE, DEVICE_REJECTED_CREDENTIALS, DEVICE_CERTIFICATE_MISMATCH ->
        error(502, DEVICE_ERROR, failure, message);
      case DEVICE_TIMEOUT, DEVICE_OUTCOME_UNKNOWN -> error(504, DEVICE_ERROR, failure, message);
      case DATABASE_UNAVAILABLE, EDGE_UNAVAILABLE -> error(503, API_ERROR, failure, message);
      case INTERNAL_ERROR -> error(500, API_ERROR, failure, message);
    };
  }

  /** A 401 for a request that carried no bearer token at all. */
  public static HttpError missingToken() {
    return new HttpError(401, AUTHENTICATION_ERROR, Failure.UNAUTHORIZED.id(), "a bearer token is required",
      Map.of("WWW-Authenticate", "Bearer"));
  }

  /** A 401 for a request whose bearer token is invalid (bad signature, expired, wrong issuer, ...). */
  public static HttpError invalidToken(String description) {
    return new HttpError(401, AUTHENTICATION_ERROR, Failure.UNAUTHORIZED.id(), "invalid bearer token: " + description,
      Map.of("WWW-Authenticate", "Bearer error=\"invalid_token\", error_description=\"" + description + "\""));
  }

  /** A 403 for a valid token lacking {@code scope}. */
  public static HttpError insufficientScope(String scope) {
    return new HttpError(403, PERMISSION_ERROR, Failure.FORBIDDEN.id(), "the token lacks the scope " + scope,
      Map.of("WWW-Authenticate", "Bearer error=\"insufficient_scope\", scope=\"" + scope + "\""));
  }

  /** The error for a status the router produced by itself (no route, wrong method, body too large, ...). */
  public static HttpError ofStatus(int status, String requestId) {
    return switch (status) {
      case 400 -> of(Failure.INVALID_REQUEST, "bad request");
      case 401 -> missingToken();
      case 403 -> of(Failure.FORBIDDEN, "forbidden");
      case 404 -> new HttpError(404, NOT_FOUND_ERROR, NOT_FOUND, "no such resource", null);
      case 405 -> new HttpError(405, INVALID_REQUEST_ERROR, METHOD_NOT_ALLOWED, "method not allowed on this resource",
        null);
      case 413 -> payloadTooLarge();
      case 415 -> unsupportedMediaType();
      case 503 -> serviceUnavailable();
      case 504 -> upstreamTimeout();
      default -> status >= 400 && status < 500
        ? of(Failure.INVALID_REQUEST, "bad request")
        : internal(requestId);
    };
  }

  public static HttpError payloadTooLarge() {
    return new HttpError(413, INVALID_REQUEST_ERROR, PAYLOAD_TOO_LARGE, "the request body is too large", null);
  }

  public static HttpError unsupportedMediaType() {
    return new HttpError(415, INVALID_REQUEST_ERROR, UNSUPPORTED_MEDIA_TYPE, "the request body must be application/json",
      null);
  }

  /** Core is not reachable on the event bus (no consumer): the service cannot answer now. */
  public static HttpError serviceUnavailable() {
    return new HttpError(503, API_ERROR, SERVICE_UNAVAILABLE, "the control plane core is not available", null);
  }

  /** Core did not answer in time; the operation may still complete. */
  public static HttpError upstreamTimeout() {
    return new HttpError(504, API_ERROR, UPSTREAM_TIMEOUT,
      "the control plane did not answer in time; the operation may still complete, read the credential before "
        + "retrying", null);
  }

  /** A 500 whose message carries the request id, never a stack trace. */
  public static HttpError internal(String requestId) {
    return of(Failure.INTERNAL_ERROR, "internal error (request id " + requestId + ")");
  }

  /** The public body. */
  public JsonObject body() {
    return new JsonObject().put("type", type).put("code", code).put("message", message);
  }

  private static HttpError error(int status, String type, Failure failure, String message) {
    return new HttpError(status, type, failure.id(), message, null);
  }
}
