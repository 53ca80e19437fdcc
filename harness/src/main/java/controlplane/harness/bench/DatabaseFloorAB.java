package controlplane.harness.bench;

import controlplane.config.EmbeddedDatabase;
import controlplane.harness.HarnessCommand;
import controlplane.harness.HarnessCommandLine;
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
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/**
 * A/B of the database floor with and without prepared-statement caching, alternating in one run so both see the
 * same machine load: {@code DatabaseFloorAB [rounds] [operations] [inFlight]}. Prints ops/s and PostgreSQL CPU per
 * operation for each.
 */
@Command(name = "DatabaseFloorAB", description = "The database floor with prepared-statement caching off, then on, "
    + "ROUNDS times, each side the same OPERATIONS at IN_FLIGHT: ops/s and CPU per operation.")
public final class DatabaseFloorAB extends HarnessCommand {

  @Parameters(index = "0", arity = "0..1", paramLabel = "ROUNDS", defaultValue = "3",
      description = "Rounds of off, then on (default: ${DEFAULT-VALUE}).")
  int rounds;

  @Parameters(index = "1", arity = "0..1", paramLabel = "OPERATIONS", defaultValue = "5000",
      description = "Measured operations of each side in each round (default: ${DEFAULT-VALUE}).")
  int ops;

  @Parameters(index = "2", arity = "0..1", paramLabel = "IN_FLIGHT", defaultValue = "64",
      description = "Operations in flight (default: ${DEFAULT-VALUE}).")
  int inFlight;

  public static void main(String[] args) {
    HarnessCommandLine.exit(new DatabaseFloorAB(), args);
  }

  @Override
  public Integer call() throws Exception {
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
    return 0;
  }
}
