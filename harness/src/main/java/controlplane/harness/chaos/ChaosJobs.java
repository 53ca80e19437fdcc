package controlplane.harness.chaos;

import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.WebClient;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The bulk rotation jobs of a chaos run: created over HTTP during the load (so that SIGKILLs and the PostgreSQL
 * restart hit their claims, ends and promotions), then awaited, then checked in the database. Each must complete,
 * with no site left queued or running and its counts equal to its sites' ends: a job's ends and counts commit
 * together, whatever crashed when (docs/RELIABILITY.md, "Bulk jobs").
 */
final class ChaosJobs {

  private static final Logger LOG = LoggerFactory.getLogger(ChaosJobs.class);
  /** Places of each job: a few sites of it at once, beside the HTTP load. */
  static final int MAX_IN_FLIGHT = 8;

  private final Vertx vertx;
  private final WebClient web;
  private final String token;
  private final ChaosDatabase db;
  /**
   * How long after the end of the load a refused creation is still tried: when the last kills leave the service down
   * from a job's instant to the end of the load, the job is created once the service is back (it restarts within
   * seconds), checked like the others, and counted as late.
   */
  static final long LATE_CREATION_NANOS = 30_000_000_000L;

  private final AtomicInteger created = new AtomicInteger();
  private final AtomicInteger createdLate = new AtomicInteger();
  private final AtomicInteger refused = new AtomicInteger();
  /** Jobs not created yet and still being tried: the jobs are awaited only once none is. */
  private final AtomicInteger pending = new AtomicInteger();

  ChaosJobs(Vertx vertx, WebClient web, String token, ChaosDatabase db) {
    this.vertx = vertx;
    this.web = web;
    this.token = token;
    this.db = db;
  }

  /**
   * Creates {@code jobs} jobs spread over the load from {@code loadStart} to {@code loadEnd} (nanoTime), each over
   * {@link ChaosOptions#JOB_SITES} of {@code sites} drawn from {@code random}; a refused creation (service or database
   * down) is tried again every 500 ms under the same Idempotency-Key, until {@link #LATE_CREATION_NANOS} after the
   * load.
   */
  void schedule(int jobs, long loadStart, long loadEnd, List<UUID> sites, Random random, long seed) {
    pending.addAndGet(jobs);
    for (int k = 0; k < jobs; k++) {
      List<UUID> shuffled = new ArrayList<>(sites);
      Collections.shuffle(shuffled, random);
      List<UUID> chosen = shuffled.subList(0, Math.min(ChaosOptions.JOB_SITES, shuffled.size()));
      long at = loadStart + (loadEnd - loadStart) * (2L * k + 1) / (2L * jobs);
      String key = "chaos-" + seed + "-job-" + k;
      vertx.setTimer(Math.max(1, (at - System.nanoTime()) / 1_000_000), id -> create(chosen, key, loadEnd));
    }
  }

  private void create(List<UUID> sites, String key, long loadEnd) {
    JsonObject body = new JsonObject()
        .put("selector", new JsonObject().put("site_ids", new JsonArray(sites.stream().map(UUID::toString).toList())))
        .put("max_in_flight", MAX_IN_FLIGHT);
    web.post("/control-plane/rotations").bearerTokenAuthentication(token).putHeader("Idempotency-Key", key)
        .timeout(30_000).sendJsonObject(body).onComplete(ar -> {
          int status = ar.succeeded() ? ar.result().statusCode() : 0;
          long now = System.nanoTime();
          if (status == 202 || status == 200) {
            created.incrementAndGet();
            if (now > loadEnd) {
              createdLate.incrementAndGet();
            }
            pending.decrementAndGet();
            LOG.info("bulk job {} over {} sites ({}{})", ar.result().bodyAsJsonObject().getString("id"), sites.size(),
                key, now > loadEnd ? ", after the load" : "");
          } else if (now < loadEnd + LATE_CREATION_NANOS) {
            refused.incrementAndGet();
            vertx.setTimer(500, id -> create(sites, key, loadEnd));
          } else {
            refused.incrementAndGet();
            pending.decrementAndGet();
            LOG.warn("bulk job {} not created ({})", key, ar.succeeded() ? status : ar.cause().toString());
          }
        });
  }

  /**
   * Waits until no job is queued or running, at most {@code bound} (a site that a killed process held is claimed
   * again only when its lease, at least 60 s, has run out); how long it took, or null when the bound was reached.
   */
  Duration awaitFinished(Duration bound) throws InterruptedException {
    long begin = System.nanoTime();
    while (System.nanoTime() - begin < bound.toNanos()) {
      if (pending.get() > 0) {
        Thread.sleep(250);
        continue;
      }
      try (Connection c = db.connect(); PreparedStatement ps = c.prepareStatement(
          "SELECT count(*) FROM rotation_jobs WHERE state IN ('queued', 'running')"); ResultSet rs = ps.executeQuery()) {
        rs.next();
        if (rs.getLong(1) == 0) {
          Duration took = Duration.ofNanos(System.nanoTime() - begin);
          LOG.info("every bulk job finished, {} ms after the end of the load", took.toMillis());
          return took;
        }
      } catch (SQLException e) {
        // read again
      }
      Thread.sleep(250);
    }
    LOG.warn("bulk jobs still unfinished after {}", bound);
    return null;
  }

  /** What the jobs are in one line. */
  record Outcome(String summary, List<String> problems) {
  }

  /**
   * Each job in the database: completed, its total its number of sites, none left queued or running, and each count
   * (succeeded, failed, unknown) the number of its sites that ended so; and all {@code requested} jobs created.
   */
  Outcome check(Duration finishedAfter, int requested) throws SQLException {
    List<String> problems = new ArrayList<>();
    if (created.get() < requested) {
      problems.add("only " + created.get() + " of " + requested + " jobs were created");
    }
    if (created.get() == createdLate.get()) {
      problems.add("no job was created during the load");
    }
    long jobs = 0;
    long[] sums = new long[3];
    try (Connection c = db.connect(); PreparedStatement ps = c.prepareStatement("""
        SELECT j.id, j.state, j.total, j.succeeded, j.failed, j.unknown, count(s.site_id) AS sites,
          count(*) FILTER (WHERE s.state = 'succeeded') AS s_succeeded,
          count(*) FILTER (WHERE s.state = 'failed') AS s_failed,
          count(*) FILTER (WHERE s.state = 'unknown') AS s_unknown,
          count(*) FILTER (WHERE s.state IN ('queued', 'running')) AS s_open
        FROM rotation_jobs j LEFT JOIN rotation_job_sites s ON s.job_id = j.id
        GROUP BY j.id ORDER BY j.created_at""");
         ResultSet rs = ps.executeQuery()) {
      while (rs.next()) {
        jobs++;
        String job = rs.getString("id");
        long succeeded = rs.getLong("succeeded");
        long failed = rs.getLong("failed");
        long unknown = rs.getLong("unknown");
        sums[0] += succeeded;
        sums[1] += failed;
        sums[2] += unknown;
        if (!"completed".equals(rs.getString("state")) || rs.getLong("s_open") > 0) {
          problems.add("job " + job + ": " + rs.getString("state") + " with " + rs.getLong("s_open")
              + " sites still queued or running");
        }
        if (rs.getLong("total") != rs.getLong("sites") || succeeded != rs.getLong("s_succeeded")
            || failed != rs.getLong("s_failed") || unknown != rs.getLong("s_unknown")) {
          problems.add(String.format("job %s: total %d, counts %d/%d/%d, but its sites %d, ended %d/%d/%d", job,
              rs.getLong("total"), succeeded, failed, unknown, rs.getLong("sites"), rs.getLong("s_succeeded"),
              rs.getLong("s_failed"), rs.getLong("s_unknown")));
        }
      }
    }
    String summary = String.format("%d created (%d after the load; %d refusals retried), %d in the database, finished"
            + " %s after the load; sites succeeded %d, failed %d, unknown %d; counts = the sites' ends: %s",
        created.get(), createdLate.get(), refused.get(), jobs,
        finishedAfter == null ? "NOT" : finishedAfter.toMillis() + " ms", sums[0], sums[1], sums[2],
        problems.isEmpty() ? "yes" : problems.size() + " jobs differ");
    return new Outcome(summary, problems);
  }
}
