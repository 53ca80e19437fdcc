package controlplane.core.persistence;

import io.vertx.core.Future;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.Tuple;
import java.util.HashMap;
import java.util.Map;

/**
 * The state of the fleet that the gauges show, read in two statements ({@link FleetQueries}): live sites per status,
 * and the age of each live site's CURRENT credential, counted per bucket.
 *
 * @param sitesByStatus site status to number of live sites
 * @param ageBounds     upper bounds of the age buckets, seconds, ascending (a last +Inf bucket is implied)
 * @param ageCounts     number of CURRENT credentials per bucket: {@code ageBounds.length + 1} of them, the last one
 *                      above every bound
 * @param ageSum        sum of the ages, seconds
 * @param ageMax        the oldest age, seconds (0 with no credential)
 */
public record FleetSnapshot(Map<String, Long> sitesByStatus, double[] ageBounds, long[] ageCounts, double ageSum,
                            double ageMax) {

  public long credentials() {
    long n = 0;
    for (long c : ageCounts) {
      n += c;
    }
    return n;
  }

  /** Reads the snapshot with the age buckets {@code bounds} (ascending, seconds). */
  public static Future<FleetSnapshot> read(SqlClient client, double[] bounds) {
    Double[] boxed = new Double[bounds.length];
    for (int i = 0; i < bounds.length; i++) {
      boxed[i] = bounds[i];
    }
    Future<Map<String, Long>> statuses = client.query(FleetQueries.SITES_BY_STATUS).execute().map(rows -> {
      Map<String, Long> out = new HashMap<>();
      rows.forEach(r -> out.put(r.getString("status"), r.getLong("n")));
      return out;
    });
    return statuses.compose(byStatus -> client.preparedQuery(FleetQueries.CURRENT_AGE_BUCKETS)
        .execute(Tuple.tuple().addArrayOfDouble(boxed)).map(rows -> {
          long[] counts = new long[bounds.length + 1];
          double sum = 0;
          double max = 0;
          for (Row r : rows) {
            // width_bucket: 0 below bounds[0], i for bounds[i-1] <= age < bounds[i], length at or above the last.
            // Bucket i of the histogram is the one up to bounds[i]: the same index.
            counts[r.getInteger("bucket")] += r.getLong("n");
            sum += r.getDouble("total");
            max = Math.max(max, r.getDouble("oldest"));
          }
          return new FleetSnapshot(byStatus, bounds.clone(), counts, sum, max);
        }));
  }
}
