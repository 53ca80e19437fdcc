package controlplane.http.impl;

import controlplane.http.HttpConfig;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.auth.JWTOptions;
import io.vertx.ext.auth.PubSecKeyOptions;
import io.vertx.ext.auth.jwt.JWTAuth;
import io.vertx.ext.auth.jwt.JWTAuthOptions;
import java.security.KeyFactory;
import java.security.spec.X509EncodedKeySpec;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Builds the JWT verifier from {@code auth.jwt}: the HS256 secret, PEM public keys (RSA keys verify RS256, EC keys
 * ES256) and the keys of a JWKS document fetched once at start. Only the algorithms of the configured keys verify a
 * token; {@code none} never does, and with no key at all the verticle refuses to start (an empty Vert.x JWT provider
 * would accept unsigned tokens).
 */
public final class JwtAuthFactory {

  private static final Logger LOG = LoggerFactory.getLogger(JwtAuthFactory.class);
  private static final long JWKS_TIMEOUT_MS = 10_000;

  private JwtAuthFactory() {
  }

  /** The verifier, once the JWKS (if configured) has been loaded. */
  public static Future<JWTAuth> create(Vertx vertx, HttpConfig config) {
    if (!config.hasKeys()) {
      return Future.failedFuture(new IllegalStateException(
        "no JWT verification key: set auth.jwt.hs256Secret, auth.jwt.publicKeys or auth.jwt.jwksUrl"));
    }
    JWTOptions jwtOptions = new JWTOptions().setLeeway(config.leewaySeconds());
    if (config.issuer() != null) {
      jwtOptions.setIssuer(config.issuer());
    }
    if (config.audience() != null) {
      jwtOptions.setAudience(List.of(config.audience()));
    }
    JWTAuthOptions options = new JWTAuthOptions().setJWTOptions(jwtOptions);
    if (config.hs256Secret() != null) {
      options.addPubSecKey(new PubSecKeyOptions().setAlgorithm("HS256").setBuffer(config.hs256Secret()));
    }
    try {
      for (String pem : config.publicKeys()) {
        options.addPubSecKey(new PubSecKeyOptions().setAlgorithm(algorithmOf(pem)).setBuffer(pem));
      }
    } catch (IllegalArgumentException e) {
      return Future.failedFuture(e);
    }
    Future<List<JsonObject>> jwks = config.jwksUrl() == null
      ? Future.succeededFuture(List.of())
      : fetchJwks(vertx, config.jwksUrl());
    return jwks.map(keys -> {
      keys.forEach(options::addJwk);
      if (isEmpty(options.getPubSecKeys()) && isEmpty(options.getJwks())) {
        throw new IllegalStateException("no usable JWT verification key in the configuration");
      }
      return JWTAuth.create(vertx, options);
    });
  }

  private static boolean isEmpty(List<?> list) {
    return list == null || list.isEmpty();
  }

  /** RS256 for an RSA public key, ES256 for an EC one. */
  static String algorithmOf(String pem) {
    String base64 = pem.replaceAll("-----[A-Z ]+-----", "").replaceAll("\\s", "");
    byte[] der;
    try {
      der = Base64.getDecoder().decode(base64);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("auth.jwt.publicKeys: not a PEM public key", e);
    }
    for (String[] candidate : new String[][] {{"RSA", "RS256"}, {"EC", "ES256"}}) {
      try {
        KeyFactory.getInstance(candidate[0]).generatePublic(new X509EncodedKeySpec(der));
        return candidate[1];
      } catch (Exception ignored) {
        // not this key type, try the next
      }
    }
    throw new IllegalArgumentException("auth.jwt.publicKeys: neither an RSA nor an EC public key (SPKI PEM)");
  }

  private static Future<List<JsonObject>> fetchJwks(Vertx vertx, String url) {
    HttpClient client = vertx.createHttpClient();
    RequestOptions request = new RequestOptions().setMethod(HttpMethod.GET).setAbsoluteURI(url)
      .setConnectTimeout(JWKS_TIMEOUT_MS).setIdleTimeout(JWKS_TIMEOUT_MS)
      .putHeader("Accept", "application/json");
    return client.request(request)
      .compose(req -> req.send())
      .compose(resp -> {
        if (resp.statusCode() != 200) {
          return Future.failedFuture(new IllegalStateException("JWKS " + url + " answered " + resp.statusCode()));
        }
        return resp.body();
      })
      .map(body -> usableKeys(body.toJsonObject()))
      .onSuccess(keys -> LOG.info("loaded {} JWT key(s) from {}", keys.size(), url))
      .eventually(() -> client.close());
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
