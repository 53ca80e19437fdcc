package controlplane.core.fleet;

import controlplane.core.persistence.ProcessRegistry;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.sqlclient.Pool;
import java.net.InetAddress;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * This process in {@code cp_processes} (V12): registered at start with a random id, a heartbeat every
 * {@code reconciler.ownerDeadAfterMs / 5}, removed at a graceful stop. The PENDING versions the process takes name
 * this id as their owner; once its heartbeat is older than {@code reconciler.ownerDeadAfterMs}, a live process takes
 * them over (docs/RELIABILITY.md, "Takeover of a dead process's rotations"). A failed beat is only logged: the next
 * one retries, and a process that cannot reach the database cannot push new versions either.
 */
public final class ProcessHeartbeat {

  private static final Logger LOG = LoggerFactory.getLogger(ProcessHeartbeat.class);
  /** Rows of processes dead for a day are removed about this often (every process, one statement). */
  private static final long PURGE_EVERY_MS = 600_000;

  private final Vertx vertx;
  private final Pool pool;
  private final long intervalMs;
  private final UUID id = UUID.randomUUID();
  private ProcessRegistry registry;
  private long timerId = -1;
  private long beats;
  private boolean failing;

  public ProcessHeartbeat(Vertx vertx, Pool pool, long intervalMs) {
    this.vertx = vertx;
    this.pool = pool;
    this.intervalMs = intervalMs;
  }

  /** This start's process id. */
  public UUID id() {
    return id;
  }

  /** Registers the process (the first beat must succeed), removes long-dead rows, then beats periodically. */
  public Future<Void> start() {
    long pid = ProcessHandle.current().pid();
    // The host name may ask a resolver: not on the event loop.
    return vertx.executeBlocking(ProcessHeartbeat::hostName).compose(host -> {
      registry = new ProcessRegistry(id, host, pid);
      return registry.beat(pool);
    }).compose(v -> registry.purgeDead(pool)).map(purged -> {
      LOG.info("process {} registered (pid {}); heartbeat every {} ms", id, pid, intervalMs);
      timerId = vertx.setPeriodic(intervalMs, t -> beat());
      return null;
    });
  }

  private void beat() {
    beats++;
    Future<Void> beat = registry.beat(pool);
    if (beats % Math.max(1, PURGE_EVERY_MS / intervalMs) == 0) {
      beat = beat.compose(v -> registry.purgeDead(pool).mapEmpty());
    }
    beat.onComplete(ar -> {
      if (ar.failed() && !failing) {
        LOG.warn("process {}: heartbeat failed ({}); retried every {} ms", id, ar.cause().toString(), intervalMs);
      } else if (ar.succeeded() && failing) {
        LOG.info("process {}: heartbeat back", id);
      }
      failing = ar.failed();
    });
  }

  /** Stops beating and removes the row: the live processes take over this one's PENDING versions at once. */
  public Future<Void> stop() {
    if (timerId >= 0) {
      vertx.cancelTimer(timerId);
      timerId = -1;
    }
    return registry == null ? Future.succeededFuture() : registry.unregister(pool).recover(t -> {
      LOG.warn("process {}: not unregistered ({}); it counts as dead once its heartbeat is old", id, t.toString());
      return Future.succeededFuture();
    });
  }

  private static String hostName() {
    try {
      return InetAddress.getLocalHost().getHostName();
    } catch (Exception e) {
      return "unknown";
    }
  }
}
