package controlplane.harness.chaos;

import controlplane.simulator.Faults;
import controlplane.simulator.SimulatedRouter;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Puts faults on random routers of the simulator for a random while, then clears them; at most {@code maxActive}
 * routers are faulty at any moment. Everything runs on one Vert.x timer; {@link #stop()} clears every fault.
 */
final class FaultInjector {

  private static final Logger LOG = LoggerFactory.getLogger(FaultInjector.class);

  /** The faults of issue 5's chaos run. */
  enum Kind {
    /** The connection closes when {@code /user/set} arrives, the change not made: an unknown outcome for the client. */
    CLOSE_BEFORE_SET,
    /** {@code /user/set} is applied, then the connection closes without a reply: unknown, the router has it. */
    CLOSE_AFTER_SET,
    /** Every reply stalls past the device's command timeout. */
    STALL,
    /** Every reply is slow but within the command timeout: a whole apply can outlast core's device timeout. */
    SLOW,
    /** Replies never come. */
    NEVER_ANSWER,
    /** Every login is refused, as for a wrong password. */
    REJECT_LOGINS,
    /** Nothing listens: connections refused (the tunnel is down). */
    REFUSE
  }

  private static final Kind[] WEIGHTED = {
      Kind.CLOSE_BEFORE_SET, Kind.CLOSE_BEFORE_SET, Kind.CLOSE_BEFORE_SET,
      Kind.CLOSE_AFTER_SET, Kind.CLOSE_AFTER_SET, Kind.CLOSE_AFTER_SET,
      Kind.STALL, Kind.STALL, Kind.SLOW, Kind.SLOW, Kind.NEVER_ANSWER,
      Kind.REJECT_LOGINS, Kind.REJECT_LOGINS, Kind.REFUSE, Kind.REFUSE};

  private final Vertx vertx;
  private final List<SimulatedRouter> routers;
  private final Set<String> excluded;
  private final Random random;
  private final int maxActive;
  private final long commandTimeoutMs;
  private final Map<String, Kind> active = new ConcurrentHashMap<>();
  private final Map<Kind, AtomicLong> injected = new EnumMap<>(Kind.class);
  private volatile boolean running;
  private long timer = -1;

  /**
   * @param excluded names of routers that never get a fault (kept up to date by the caller)
   */
  FaultInjector(Vertx vertx, List<SimulatedRouter> routers, Set<String> excluded, Random random, int maxActive,
                long commandTimeoutMs) {
    this.vertx = vertx;
    this.routers = routers;
    this.excluded = excluded;
    this.random = random;
    this.maxActive = maxActive;
    this.commandTimeoutMs = commandTimeoutMs;
    for (Kind k : Kind.values()) {
      injected.put(k, new AtomicLong());
    }
  }

  void start() {
    running = true;
    timer = vertx.setPeriodic(100, id -> tick());
  }

  private void tick() {
    if (!running) {
      return;
    }
    for (int i = 0; i < 2 && active.size() < maxActive; i++) {
      SimulatedRouter r = routers.get(random.nextInt(routers.size()));
      if (excluded.contains(r.name()) || active.putIfAbsent(r.name(), Kind.REFUSE) != null) {
        continue;
      }
      Kind kind = WEIGHTED[random.nextInt(WEIGHTED.length)];
      active.put(r.name(), kind);
      injected.get(kind).incrementAndGet();
      long holdMs = kind == Kind.REFUSE ? 2000 + random.nextInt(13_000) : 1000 + random.nextInt(7000);
      r.faults(faults(kind)).onComplete(ar -> vertx.setTimer(holdMs, t -> clear(r)));
    }
  }

  private Faults faults(Kind kind) {
    return switch (kind) {
      case CLOSE_BEFORE_SET -> Faults.NONE.withCloseAfterCommand("/user/set", Faults.Phase.BEFORE_APPLY);
      case CLOSE_AFTER_SET -> Faults.NONE.withCloseAfterCommand("/user/set", Faults.Phase.AFTER_APPLY);
      case STALL -> Faults.NONE.withDelayMs(commandTimeoutMs + 1000);
      case SLOW -> Faults.NONE.withDelayMs(commandTimeoutMs * 4 / 5);
      case NEVER_ANSWER -> Faults.NONE.withNeverAnswer(true);
      case REJECT_LOGINS -> Faults.NONE.withRejectLogins(true);
      case REFUSE -> Faults.NONE.withRefuseConnections(true);
    };
  }

  private Future<Void> clear(SimulatedRouter r) {
    return r.faults(Faults.NONE).andThen(ar -> active.remove(r.name()));
  }

  /** Stops injecting and clears the faults of every router; completes when every router is healthy again. */
  Future<Void> stop() {
    running = false;
    if (timer >= 0) {
      vertx.cancelTimer(timer);
    }
    List<Future<Void>> cleared = new ArrayList<>();
    for (SimulatedRouter r : routers) {
      if (!Faults.NONE.equals(r.faults())) {
        cleared.add(r.faults(Faults.NONE));
      }
    }
    LOG.info("clearing faults of {} routers", cleared.size());
    return Future.all(cleared).andThen(ar -> active.clear()).mapEmpty();
  }

  Map<String, Long> injectedByKind() {
    Map<String, Long> out = new java.util.LinkedHashMap<>();
    injected.forEach((k, v) -> out.put(k.name().toLowerCase(java.util.Locale.ROOT), v.get()));
    return out;
  }
}
