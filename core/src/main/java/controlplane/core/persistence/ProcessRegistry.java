package controlplane.core.persistence;

import io.vertx.core.Future;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.Tuple;
import java.util.UUID;

/**
 * The live core processes (V12, {@code cp_processes}): each registers with a random id per start and heartbeats; the
 * PENDING versions it takes name it as their owner ({@link RotationSlots#RotationSlots(UUID)}). docs/RELIABILITY.md,
 * "Takeover of a dead process's rotations".
 */
public final class ProcessRegistry {

  /** A dead process's row is removed this long after its last heartbeat (its versions are taken over long before). */
  static final double DEAD_ROW_SECONDS = 86_400;

  private final UUID id;
  private final String host;
  private final long pid;

  public ProcessRegistry(UUID id, String host, long pid) {
    this.id = id;
    this.host = host;
    this.pid = pid;
  }

  public UUID id() {
    return id;
  }

  /** Registers this process, or refreshes its heartbeat. */
  public Future<Void> beat(SqlClient client) {
    return client.preparedQuery(ProcessQueries.BEAT).execute(Tuple.of(id, host, pid)).mapEmpty();
  }

  public Future<Void> unregister(SqlClient client) {
    return client.preparedQuery(ProcessQueries.UNREGISTER).execute(Tuple.of(id)).mapEmpty();
  }

  /** Removes the rows of processes dead for a day; the number removed. */
  public Future<Integer> purgeDead(SqlClient client) {
    return client.preparedQuery(ProcessQueries.PURGE_DEAD).execute(Tuple.of(DEAD_ROW_SECONDS)).map(r -> r.rowCount());
  }
}
