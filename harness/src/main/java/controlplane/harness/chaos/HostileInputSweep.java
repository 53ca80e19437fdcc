package controlplane.harness.chaos;

import controlplane.http.TokenMinter;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import java.util.function.Supplier;

/**
 * Hostile HTTP and auth input against the running service, over raw sockets so that nothing normalises the request on
 * the way: each case must get a clean 4xx (the documented status where one is documented, the error shape when the
 * body is JSON, no stack trace, no echo of the attack), and an ordinary authenticated request must still be served
 * right after it.
 */
final class HostileInputSweep {

  private static final Base64.Encoder B64 = Base64.getUrlEncoder().withoutPadding();

  private final String secret;
  private final String org;
  private final UUID site;
  private final UUID otherSite;
  private final Supplier<Future<Boolean>> serves;
  private final int port;

  record Case(String name, String expected, int status, boolean clean, boolean stillServing, String detail) {
  }

  record Result(List<Case> cases) {
    boolean ok() {
      return cases.stream().allMatch(c -> c.clean() && c.stillServing());
    }

    String format() {
      StringBuilder b = new StringBuilder("=== hostile input sweep: ").append(cases.size()).append(" cases ===\n");
      for (Case c : cases) {
        b.append(String.format("%-4s %-58s got %3d, expected %-22s %s%s%n", c.clean() && c.stillServing() ? "ok" : "BAD",
            c.name(), c.status(), c.expected(), c.stillServing() ? "" : "SERVICE STOPPED SERVING ",
            c.detail() == null ? "" : c.detail()));
      }
      b.append(ok() ? "SWEEP: OK\n" : "SWEEP: FAILED\n");
      return b.toString();
    }
  }

  HostileInputSweep(int port, String secret, String org, UUID site, UUID otherSite,
                    Supplier<Future<Boolean>> serves) {
    this.secret = secret;
    this.org = org;
    this.site = site;
    this.otherSite = otherSite;
    this.serves = serves;
    this.port = port;
  }

  Result run() throws Exception {
    List<Case> cases = new ArrayList<>();
    String good = TokenMinter.mint(secret, org, ChaosRun.SCOPE, "sweep", Duration.ofMinutes(30));
    String creds = "/control-plane/" + site + "/credentials";
    long now = Instant.now().getEpochSecond();

    // ---- auth matrix (GET credentials)
    cases.add(probe("no Authorization header", "401 unauthorized", 401, get(creds, null)));
    cases.add(probe("Authorization: Basic", "401 unauthorized", 401,
        raw("GET " + creds + " HTTP/1.1\r\nHost: x\r\nAuthorization: Basic YTpi\r\nConnection: close\r\n\r\n")));
    cases.add(probe("bearer not a JWT", "401 unauthorized", 401, get(creds, "not-a-token")));
    cases.add(probe("bearer with two segments", "401 unauthorized", 401, get(creds, "eyJhbGciOiJIUzI1NiJ9.e30")));
    cases.add(probe("bearer with four segments", "401 unauthorized", 401, get(creds, good + ".x")));
    cases.add(probe("segments not base64url", "401 unauthorized", 401, get(creds, "@@@.###.$$$")));
    cases.add(probe("alg none", "401 unauthorized", 401, get(creds, unsigned("none", claims(now, now + 600)))));
    cases.add(probe("alg NONE, signature kept", "401 unauthorized", 401,
        get(creds, unsigned("NONE", claims(now, now + 600)) + good.substring(good.lastIndexOf('.') + 1))));
    cases.add(probe("RS256 header, HMAC signature", "401 unauthorized", 401,
        get(creds, signedAs("RS256", claims(now, now + 600), secret))));
    cases.add(probe("HS256 with a wrong key", "401 unauthorized", 401,
        get(creds, TokenMinter.sign(secret + "x", claims(now, now + 600)))));
    cases.add(probe("expired", "401 unauthorized", 401,
        get(creds, TokenMinter.sign(secret, claims(now - 7200, now - 3600)))));
    cases.add(probe("not yet valid (nbf in an hour)", "401 unauthorized", 401,
        get(creds, TokenMinter.sign(secret, claims(now, now + 7200).put("nbf", now + 3600)))));
    cases.add(probe("no exp", "401 unauthorized", 401,
        get(creds, TokenMinter.sign(secret, withoutExp(claims(now, now))))));
    cases.add(probe("tampered payload (org changed, old signature)", "401 unauthorized", 401,
        get(creds, tamperedOrg(good))));
    cases.add(probe("oversized Authorization header (64 KiB)", "4xx (431 or 400)", -4,
        get(creds, "a".repeat(64 * 1024))));
    cases.add(probe("scope credentials:rotate only, GET", "403 forbidden", 403,
        get(creds, TokenMinter.mint(secret, org, "credentials:rotate", "sweep", Duration.ofMinutes(5)))));
    cases.add(probe("empty scope, POST rotate", "403 forbidden", 403,
        post(creds, TokenMinter.mint(secret, org, "", "sweep", Duration.ofMinutes(5)), null, null)));
    cases.add(probe("scope read only, POST rotate", "403 forbidden", 403,
        post(creds, TokenMinter.mint(secret, org, "credentials:read", "sweep", Duration.ofMinutes(5)), null, null)));
    cases.add(probe("another organisation's token", "404 site_not_found", 404,
        get(creds, TokenMinter.mint(secret, "other-org", ChaosRun.SCOPE, "sweep", Duration.ofMinutes(5)))));
    cases.add(probe("org_id claim not a string", "401 or 403", -4,
        get(creds, TokenMinter.sign(secret, claims(now, now + 600).put("org_id", new JsonObject().put("a", 1))))));

    // ---- path tricks around siteId
    cases.add(probe("siteId not a UUID", "400 invalid_site_id", 400, get("/control-plane/not-a-uuid/credentials", good)));
    cases.add(probe("siteId with SQL", "400", 400, get("/control-plane/'%20OR%201=1--/credentials", good)));
    cases.add(probe("dot segments to /metrics", "400 invalid_request", 400,
        get("/control-plane/" + site + "/../../metrics", good)));
    cases.add(probe("encoded dot segments", "400 invalid_request", 400,
        get("/control-plane/%2e%2e/%2e%2e/metrics", good)));
    cases.add(probe("encoded slash in siteId", "400 invalid_request", 400,
        get("/control-plane/" + site + "%2fcredentials", good)));
    cases.add(probe("NUL in siteId", "400", 400, get("/control-plane/" + site + "%00/credentials", good)));
    cases.add(probe("double slash", "400 invalid_request", 400, get("/control-plane//" + site + "/credentials", good)));
    cases.add(probe("backslash", "400 invalid_request", 400, get("/control-plane\\" + site + "\\credentials", good)));
    cases.add(probe("siteId of 10 KiB", "400 or 414", -4, get("/control-plane/" + "a".repeat(10_240) + "/credentials",
        good)));
    cases.add(probe("unknown site (valid UUID)", "404 site_not_found", 404,
        get("/control-plane/" + UUID.randomUUID() + "/credentials", good)));

    // ---- bodies (enrolment)
    String enrol = "/control-plane/" + otherSite;
    String valid = new JsonObject().put("org_id", org).put("ip_address", "127.3.0.2").put("api_port", 8728)
        .put("server_ip", ChaosRun.EDGE).put("username", ChaosRun.API_USER).put("password", "x").put("tls", false)
        .put("verify", true).encode();
    cases.add(probe("body over the limit (64 KiB)", "413", 413,
        put(enrol, good, "application/json", "{\"pad\":\"" + "a".repeat(64 * 1024) + "\"}")));
    cases.add(probe("malformed JSON", "400 invalid_request", 400, put(enrol, good, "application/json", "{\"org_id\":")));
    cases.add(probe("JSON array instead of object", "400 invalid_request", 400, put(enrol, good, "application/json", "[]")));
    cases.add(probe("unknown field", "400 invalid_request", 400,
        put(enrol, good, "application/json", valid.replace("{", "{\"admin\":true,"))));
    cases.add(probe("api_port as string", "400 invalid_request", 400,
        put(enrol, good, "application/json", valid.replace("8728", "\"8728\""))));
    cases.add(probe("api_port 70000", "400 invalid_request", 400,
        put(enrol, good, "application/json", valid.replace("8728", "70000"))));
    cases.add(probe("deeply nested JSON", "400 or 413", -4,
        put(enrol, good, "application/json", "[".repeat(5000) + "]".repeat(5000))));
    cases.add(probe("org_id of another organisation", "403 forbidden", 403,
        put(enrol, good, "application/json", valid.replace("\"" + org + "\"", "\"other-org\""))));
    cases.add(probe("wrong content type", "415 or 400", -4, put(enrol, good, "text/plain", valid)));
    cases.add(probe("Content-Length larger than the body", "4xx or closed", -5,
        raw("PUT " + enrol + " HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer " + good
            + "\r\nContent-Type: application/json\r\nContent-Length: 100000\r\nConnection: close\r\n\r\n{}")));

    // ---- header floods
    StringBuilder flood = new StringBuilder("GET " + creds + " HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer " + good + "\r\n");
    for (int i = 0; i < 2000; i++) {
      flood.append("X-Flood-").append(i).append(": ").append("v".repeat(16)).append("\r\n");
    }
    flood.append("Connection: close\r\n\r\n");
    cases.add(probe("2000 headers", "431 or 400", -4, raw(flood.toString())));
    cases.add(probe("one 100 KiB header", "431 or 400", -4, raw("GET " + creds + " HTTP/1.1\r\nHost: x\r\nX-Big: "
        + "b".repeat(100 * 1024) + "\r\nConnection: close\r\n\r\n")));
    cases.add(probe("request line of 100 KiB", "414 or 400", -4, raw("GET /" + "c".repeat(100 * 1024)
        + " HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")));
    cases.add(probe("garbage instead of HTTP", "400 or closed", -5, raw("\u0000\u0001\u0002 hello\r\n\r\n")));
    return new Result(cases);
  }

  // --------------------------------------------------------------------------------------------------- plumbing

  private record Raw(int status, String head, String body, String error) {
  }

  /**
   * {@code expect}: an exact status, or -4 for any 4xx, or -5 for any 4xx or the connection closed without an
   * answer. A clean answer has no stack trace and, when JSON, the {type, code, message} shape.
   */
  private Case probe(String name, String expected, int expect, Raw r) throws Exception {
    boolean statusOk = expect > 0 ? r.status() == expect
        : expect == -4 ? r.status() >= 400 && r.status() < 500
        : (r.status() >= 400 && r.status() < 500) || r.status() == 0;
    String detail = null;
    boolean clean = statusOk;
    if (!statusOk) {
      detail = r.error() != null ? r.error() : firstLine(r.body());
    }
    String lower = r.body() == null ? "" : r.body().toLowerCase(Locale.ROOT);
    if (lower.contains("exception") || lower.contains("\tat ") || lower.contains(".java:")) {
      clean = false;
      detail = "stack trace or exception name in the body";
    }
    if (r.head() != null && r.head().toLowerCase(Locale.ROOT).contains("content-type: application/json")
        && r.body() != null && !r.body().isBlank()) {
      try {
        JsonObject err = new JsonObject(r.body());
        if (r.status() >= 400 && (err.getString("type") == null || err.getString("code") == null
            || err.getString("message") == null)) {
          clean = false;
          detail = "error body without type/code/message";
        }
      } catch (RuntimeException e) {
        clean = false;
        detail = "JSON content type, body not JSON";
      }
    }
    if (r.status() == 401 && r.head() != null
        && !r.head().toLowerCase(Locale.ROOT).contains("www-authenticate: bearer")) {
      clean = false;
      detail = "401 without WWW-Authenticate: Bearer";
    }
    boolean serving = ChaosRun.await(serves.get(), Duration.ofSeconds(20));
    return new Case(name, expected, r.status(), clean, serving, detail);
  }

  private static String firstLine(String s) {
    if (s == null) {
      return null;
    }
    String one = s.lines().findFirst().orElse("");
    return one.length() > 120 ? one.substring(0, 120) + "..." : one;
  }

  private Raw get(String path, String bearer) {
    return raw("GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\n"
        + (bearer == null ? "" : "Authorization: Bearer " + bearer + "\r\n") + "Connection: close\r\n\r\n");
  }

  private Raw post(String path, String bearer, String type, String body) {
    return send("POST", path, bearer, type, body);
  }

  private Raw put(String path, String bearer, String type, String body) {
    return send("PUT", path, bearer, type, body);
  }

  private Raw send(String method, String path, String bearer, String type, String body) {
    byte[] b = body == null ? new byte[0] : body.getBytes(StandardCharsets.UTF_8);
    return raw(method + " " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\n"
        + (bearer == null ? "" : "Authorization: Bearer " + bearer + "\r\n")
        + (type == null ? "" : "Content-Type: " + type + "\r\n")
        + "Content-Length: " + b.length + "\r\nConnection: close\r\n\r\n" + (body == null ? "" : body));
  }

  /** Writes {@code request} as is and reads the answer until the server closes (bounded: 10 s, 1 MiB). */
  private Raw raw(String request) {
    try (Socket s = new Socket()) {
      s.connect(new InetSocketAddress("127.0.0.1", port), 3000);
      s.setSoTimeout(10_000);
      OutputStream out = s.getOutputStream();
      try {
        out.write(request.getBytes(StandardCharsets.UTF_8));
        out.flush();
      } catch (IOException e) {
        // the server may answer and close before it has read everything (an oversized request): read what came
      }
      InputStream in = s.getInputStream();
      ByteArrayOutputStream buf = new ByteArrayOutputStream();
      byte[] chunk = new byte[8192];
      try {
        int n;
        while ((n = in.read(chunk)) >= 0 && buf.size() < 1 << 20) {
          buf.write(chunk, 0, n);
        }
      } catch (SocketTimeoutException | java.net.SocketException e) {
        // keep what was read
      }
      String text = buf.toString(StandardCharsets.UTF_8);
      if (text.isEmpty()) {
        return new Raw(0, null, null, "closed without an answer");
      }
      int split = text.indexOf("\r\n\r\n");
      String head = split < 0 ? text : text.substring(0, split);
      String body = split < 0 ? "" : text.substring(split + 4);
      int status = 0;
      String[] first = head.split("\r\n", 2)[0].split(" ");
      if (first.length >= 2) {
        try {
          status = Integer.parseInt(first[1]);
        } catch (NumberFormatException ignored) {
          status = 0;
        }
      }
      return new Raw(status, head, body, null);
    } catch (IOException e) {
      return new Raw(0, null, null, e.getClass().getSimpleName());
    }
  }

  private JsonObject claims(long iat, long exp) {
    return new JsonObject().put("sub", "sweep").put("org_id", org).put("scope", ChaosRun.SCOPE).put("iat", iat)
        .put("exp", exp);
  }

  private static JsonObject withoutExp(JsonObject claims) {
    claims.remove("exp");
    return claims;
  }

  private static String unsigned(String alg, JsonObject claims) {
    return B64.encodeToString(("{\"alg\":\"" + alg + "\",\"typ\":\"JWT\"}").getBytes(StandardCharsets.UTF_8)) + "."
        + B64.encodeToString(claims.encode().getBytes(StandardCharsets.UTF_8)) + ".";
  }

  /** An HMAC-SHA256 signature under a header that names {@code alg} (key confusion). */
  private static String signedAs(String alg, JsonObject claims, String key) throws Exception {
    String input = B64.encodeToString(("{\"alg\":\"" + alg + "\",\"typ\":\"JWT\"}").getBytes(StandardCharsets.UTF_8))
        + "." + B64.encodeToString(claims.encode().getBytes(StandardCharsets.UTF_8));
    javax.crypto.Mac mac = javax.crypto.Mac.getInstance("HmacSHA256");
    mac.init(new javax.crypto.spec.SecretKeySpec(key.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
    return input + "." + B64.encodeToString(mac.doFinal(input.getBytes(StandardCharsets.US_ASCII)));
  }

  private static String tamperedOrg(String token) {
    String[] parts = token.split("\\.");
    JsonObject payload = new JsonObject(new String(Base64.getUrlDecoder().decode(parts[1]), StandardCharsets.UTF_8));
    payload.put("org_id", "other-org");
    return parts[0] + "." + B64.encodeToString(payload.encode().getBytes(StandardCharsets.UTF_8)) + "." + parts[2];
  }
}
