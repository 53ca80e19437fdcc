package controlplane.harness.bench;

import controlplane.config.EmbeddedDatabase;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.UUID;

/**
 * A/B of the database floor with and without prepared-statement caching, alternating in one run so both see the
 * same machine load: {@code DatabaseFloorAB [rounds] [operations] [inFlight]}. Prints ops/s and PostgreSQL CPU per
 * operation for each.
 */
public final class DatabaseFloorAB {

  private DatabaseFloorAB() {
  }

  public static void main(String[] args) throws Exception {
    int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 3;
    int ops = args.length > 1 ? Integer.parseInt(args[1]) : 5000;
    int inFlight = args.length > 2 ? Integer.parseInt(args[2]) : 64;
    Path dir = Files.createTempDirectory("floor-ab");
    Vertx vertx = Vertx.vertx();
    try (EmbeddedPostgres pg = EmbeddedDatabase.durableBuilder().setDataDirectory(dir).setCleanDataDirectory(true)
        .setPGStartupWait(Duration.ofSeconds(120)).start()) {
      long postmaster = Long.parseLong(Files.readAllLines(dir.resolve("postmaster.pid")).get(0).trim());
      for (Boolean cache : List.of(false, true)) {
        try (Connection c = pg.getPostgresDatabase().getConnection(); Statement s = c.createStatement()) {
          s.execute("CREATE DATABASE floor_" + cache);
        }
      }
      for (int round = 0; round < rounds; round++) {
        for (Boolean cache : List.of(false, true)) {
          String url = "postgresql://postgres@localhost:" + pg.getPort() + "/floor_" + cache;
          DatabaseFloor floor = new DatabaseFloor(vertx, url, 16).cachePreparedStatements(cache);
          List<UUID> sites = BenchHarness.await(floor.prepare(1000));
          BenchHarness.await(floor.run(sites, 1000, inFlight));
          long pg0 = ProcStats.postgresCpuMillis(postmaster);
          long me0 = ProcStats.selfCpuMillis();
          JsonObject r = BenchHarness.await(floor.run(sites, ops, inFlight));
          long pgMs = ProcStats.postgresCpuMillis(postmaster) - pg0;
          long meMs = ProcStats.selfCpuMillis() - me0;
          System.out.printf("round %d cachePreparedStatements=%-5s %7.1f ops/s  p99 %7.2f ms  PostgreSQL CPU %.3f ms/op"
                  + "  client CPU %.3f ms/op  failed %d  load %s%n", round, cache, r.getDouble("per_s"),
              r.getJsonObject("latency").getDouble("p99_ms"), (double) pgMs / ops, (double) meMs / ops,
              r.getInteger("failed"), ProcStats.loadAverage());
          BenchHarness.await(floor.close());
        }
      }
    } finally {
      vertx.close().toCompletionStage().toCompletableFuture().get();
    }
    System.exit(0);
  }
}
