package controlplane.config;

import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code rotate-fleet}: starts a bulk rotation job through the service's API ({@code POST /control-plane/rotations})
 * and follows it ({@code GET} of its {@code Location}) with a progress bar on a terminal (redrawn in place), plain
 * progress lines otherwise, then prints a summary. Exit status 0 only when every site was rotated; 1 when a site
 * failed or its outcome is unknown, the job was cancelled, or the API refused the job.
 */
@Command(name = "rotate-fleet", mixinStandardHelpOptions = true, versionProvider = JarVersion.class,
    sortOptions = false,
    description = {"Rotates the API password of many sites at once: starts a bulk rotation job through the API and "
        + "follows it to the end with a progress bar, then prints a summary.",
        "Without a selector option every site of the token's organisation is rotated. Stopping this command (Ctrl-C)"
        + " does not stop the job: cancel it with POST /control-plane/rotations/{jobId}/cancel."})
final class RotateFleetCommand implements Callable<Integer> {

  private static final int BAR_WIDTH = 30;
  /** Consecutive failed reads of the job before giving up following it (the job itself goes on). */
  private static final int MAX_POLL_FAILURES = 10;

  @Spec
  private CommandSpec spec;

  @Option(names = "--url", paramLabel = "URL", defaultValue = "http://127.0.0.1:8080",
      description = "the service's base URL (default: ${DEFAULT-VALUE})")
  private String url;
  @Option(names = "--token", paramLabel = "TOKEN",
      description = "bearer token with credentials:rotate and credentials:read (default: $CP_TOKEN, else $TOKEN)")
  private String token;
  @Option(names = "--server-ip", paramLabel = "EDGE", description = "only the sites of this edge server")
  private String serverIp;
  @Option(names = "--status", paramLabel = "STATUS",
      description = "only the sites of this status: in_sync, out_of_sync or unverified")
  private String status;
  @Option(names = "--max-in-flight", paramLabel = "N",
      description = "at most N sites rotating at once (1..1000; default: the service's, 16)")
  private Integer maxInFlight;
  @Option(names = "--idempotency-key", paramLabel = "KEY",
      description = "the Idempotency-Key of the job: the same key follows the job it started instead of starting "
          + "another (default: a new one)")
  private String idempotencyKey;
  @Option(names = "--poll-ms", paramLabel = "MS", defaultValue = "500", hidden = true,
      description = "milliseconds between two reads of the job")
  private long pollMs;

  /** The bearer token variable; not configuration (see {@link ConfigKeys#NOT_CONFIGURATION}). */
  static final String TOKEN_ENV = "CP_TOKEN";

  private final Map<String, String> env;
  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  RotateFleetCommand(Map<String, String> env) {
    this.env = env;
  }

  @Override
  public Integer call() throws Exception {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    String bearer = token != null ? token : env.getOrDefault(TOKEN_ENV, env.get("TOKEN"));
    if (bearer == null || bearer.isBlank()) {
      err.println("rotate-fleet: no token: give --token, or set CP_TOKEN or TOKEN (the service prints one at start, "
          + "or run the token command)");
      return 1;
    }
    String base = url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
    JsonObject selector = new JsonObject();
    if (serverIp != null) {
      selector.put("server_ip", serverIp);
    }
    if (status != null) {
      selector.put("status", status.toLowerCase(Locale.ROOT));
    }
    JsonObject body = new JsonObject().put("selector", selector);
    if (maxInFlight != null) {
      body.put("max_in_flight", maxInFlight);
    }
    HttpResponse<String> created = http.send(HttpRequest.newBuilder(URI.create(base + "/control-plane/rotations"))
        .timeout(Duration.ofSeconds(60))
        .header("Authorization", "Bearer " + bearer)
        .header("Content-Type", "application/json")
        .header("Idempotency-Key", idempotencyKey != null ? idempotencyKey : "rotate-fleet-" + UUID.randomUUID())
        .POST(HttpRequest.BodyPublishers.ofString(body.encode())).build(), HttpResponse.BodyHandlers.ofString());
    if (created.statusCode() != 202) {
      err.println("rotate-fleet: the job was not started: " + problem(created));
      return 1;
    }
    JsonObject job = new JsonObject(created.body());
    String location = created.headers().firstValue("Location")
        .orElse("/control-plane/rotations/" + job.getString("id"));
    out.println("job " + job.getString("id") + ": " + job.getInteger("total") + " sites"
        + (serverIp != null ? " on " + serverIp : "") + (status != null ? " " + status : ""));
    out.flush();
    JsonObject last = follow(URI.create(base + location), bearer, job, out, err);
    if (last == null) {
      return 1;
    }
    return summary(last, out);
  }

  /** Reads the job until it has ended, drawing its progress; the last job object, or null when it cannot be read. */
  private JsonObject follow(URI uri, String bearer, JsonObject job, PrintWriter out, PrintWriter err)
      throws InterruptedException {
    boolean terminal = System.console() != null;
    long start = System.nanoTime();
    Progress progress = new Progress(out, terminal);
    int failures = 0;
    progress.draw(job, 0);
    while (!ended(job)) {
      Thread.sleep(pollMs);
      try {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(30))
            .header("Authorization", "Bearer " + bearer).GET().build(), HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != 200) {
          throw new IOException(problem(r));
        }
        job = new JsonObject(r.body());
        failures = 0;
      } catch (IOException | DecodeException e) {
        if (++failures >= MAX_POLL_FAILURES) {
          progress.end();
          err.println("rotate-fleet: cannot read the job (" + e.getMessage() + "); it goes on in the service: "
              + uri);
          return null;
        }
        continue;
      }
      progress.draw(job, (System.nanoTime() - start) / 1e9);
    }
    progress.end();
    return job;
  }

  private static boolean ended(JsonObject job) {
    String state = job.getString("state");
    return "completed".equals(state) || "cancelled".equals(state);
  }

  private int summary(JsonObject job, PrintWriter out) {
    int total = job.getInteger("total");
    int succeeded = job.getInteger("succeeded");
    int failed = job.getInteger("failed");
    int unknown = job.getInteger("unknown");
    int remaining = job.getInteger("remaining");
    out.println("job " + job.getString("id") + " " + job.getString("state") + ": " + total + " sites, " + succeeded
        + " succeeded, " + failed + " failed, " + unknown + " unknown" + (remaining > 0 ? ", " + remaining
        + " not rotated" : ""));
    if (unknown > 0) {
      out.println("the outcome of " + unknown + " site(s) is unknown: the reconciler settles them; see each site's "
          + "status");
    }
    out.flush();
    return failed == 0 && unknown == 0 && remaining == 0 && "completed".equals(job.getString("state")) ? 0 : 1;
  }

  /** The error of a response: {@code HTTP 403 forbidden: the token lacks ...}. */
  private static String problem(HttpResponse<String> r) {
    try {
      JsonObject error = new JsonObject(r.body());
      return "HTTP " + r.statusCode() + " " + error.getString("code") + ": " + error.getString("message");
    } catch (DecodeException | ClassCastException e) {
      return "HTTP " + r.statusCode();
    }
  }

  /** The progress display: a bar redrawn in place on a terminal, a line per change otherwise. */
  private static final class Progress {

    private final PrintWriter out;
    private final boolean terminal;
    private int lastDone = -1;
    private String lastState;
    private boolean drawn;

    Progress(PrintWriter out, boolean terminal) {
      this.out = out;
      this.terminal = terminal;
    }

    void draw(JsonObject job, double seconds) {
      int total = job.getInteger("total");
      int done = total - job.getInteger("remaining");
      String state = job.getString("state");
      if (!terminal && done == lastDone && state.equals(lastState)) {
        return;
      }
      lastDone = done;
      lastState = state;
      double rate = seconds > 0 ? done / seconds : 0;
      String eta = rate > 0 && done < total ? formatSeconds((total - done) / rate) : "-";
      String counts = String.format(Locale.ROOT, "%d/%d  %.1f sites/s  ETA %s  (%d failed, %d unknown) %s", done,
          total, rate, eta, job.getInteger("failed"), job.getInteger("unknown"), state);
      if (terminal) {
        int filled = total == 0 ? BAR_WIDTH : (int) ((long) BAR_WIDTH * done / total);
        out.print("\r[" + "#".repeat(filled) + "-".repeat(BAR_WIDTH - filled) + "] " + counts + "\u001b[K");
        drawn = true;
      } else {
        out.println(counts);
      }
      out.flush();
    }

    void end() {
      if (terminal && drawn) {
        out.println();
        out.flush();
      }
    }

    private static String formatSeconds(double s) {
      long whole = Math.round(s);
      return whole < 60 ? whole + "s" : whole / 60 + "m" + String.format(Locale.ROOT, "%02d", whole % 60) + "s";
    }
  }
}
