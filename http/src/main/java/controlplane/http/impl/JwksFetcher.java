package controlplane.http.impl;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;

/**
 * One fetch of the JWKS document at {@code auth.jwt.jwksUrl}: its signature keys, or a failure when the provider does
 * not answer 200 with a JSON document of at most {@value #MAX_BYTES} bytes within the timeouts. Redirects are not
 * followed.
 */
final class JwksFetcher {

  static final int MAX_BYTES = 1 << 20;
  private static final long TIMEOUT_MS = 10_000;

  private final Vertx vertx;
  private final String url;

  JwksFetcher(Vertx vertx, String url) {
    this.vertx = vertx;
    this.url = url;
  }

  /** The URL as logs may show it. */
  String shownUrl() {
    return JwksUrl.shown(url);
  }

  Future<List<JsonObject>> fetch() {
    HttpClient client = vertx.createHttpClient();
    RequestOptions request = new RequestOptions().setMethod(HttpMethod.GET).setAbsoluteURI(url)
      .setConnectTimeout(TIMEOUT_MS).setIdleTimeout(TIMEOUT_MS)
      .putHeader("Accept", "application/json");
    // The body's handlers are set in the callback of send() itself, before any of it can arrive.
    return client.request(request)
      .compose(req -> req.send().compose(resp -> resp.statusCode() == 200 ? bounded(resp)
        : Future.failedFuture("answered HTTP " + resp.statusCode())))
      .map(body -> usableKeys(body.toJsonObject()))
      .eventually(() -> client.close());
  }

  private static Future<Buffer> bounded(HttpClientResponse resp) {
    Promise<Buffer> done = Promise.promise();
    Buffer body = Buffer.buffer();
    resp.exceptionHandler(done::tryFail);
    resp.handler(chunk -> {
      if (body.length() + chunk.length() > MAX_BYTES) {
        if (done.tryFail("document larger than " + MAX_BYTES + " bytes")) {
          resp.request().reset();
        }
        return;
      }
      body.appendBuffer(chunk);
    });
    resp.endHandler(v -> done.tryComplete(body));
    return done.future();
  }

  /** Signature keys of a JWKS document, with {@code alg} filled in where the document leaves it out. */
  static List<JsonObject> usableKeys(JsonObject jwks) {
    List<JsonObject> out = new ArrayList<>();
    JsonArray keys = jwks.getJsonArray("keys", new JsonArray());
    for (Object item : keys) {
      if (!(item instanceof JsonObject key) || "enc".equals(key.getString("use"))) {
        continue;
      }
      JsonObject copy = key.copy();
      if (copy.getString("alg") == null) {
        String kty = copy.getString("kty");
        if ("RSA".equals(kty)) {
          copy.put("alg", "RS256");
        } else if ("EC".equals(kty) && "P-256".equals(copy.getString("crv"))) {
          copy.put("alg", "ES256");
        } else {
          continue;
        }
      }
      if (List.of("RS256", "RS384", "RS512", "ES256", "ES384", "ES512", "PS256", "PS384", "PS512")
        .contains(copy.getString("alg"))) {
        out.add(copy);
      }
    }
    return out;
  }
}
