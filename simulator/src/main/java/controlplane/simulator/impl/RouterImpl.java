package controlplane.simulator.impl;

import controlplane.simulator.ActiveSession;
import controlplane.simulator.Faults;
import controlplane.simulator.LoginStyle;
import controlplane.simulator.RouterSpec;
import controlplane.simulator.SimulatedRouter;
import controlplane.simulator.UserSpec;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.net.NetServer;
import io.vertx.core.net.NetServerOptions;
import io.vertx.core.net.SocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One simulated router: its spec (shared, immutable), its faults, its lazily created {@link RouterState}, and the
 * listeners of its api and api-ssl services, which live on the event loop of the shard that started them.
 */
public final class RouterImpl implements SimulatedRouter {

  private static final Logger LOG = LoggerFactory.getLogger(RouterImpl.class);
  private static final NetServerOptions PLAIN = new NetServerOptions();

  private final RouterSpec spec;
  private final Map<String, java.util.concurrent.atomic.LongAdder> commands =
      new java.util.concurrent.ConcurrentHashMap<>();
  private final SimulatorImpl owner;
  /** Users loaded from the state file, replacing the spec's; null when none were stored. */
  private final List<UserEntry> storedUsers;
  private volatile Faults faults;
  private volatile RouterState state;
  /** Whether the state file must hold this router: its users were loaded from it or changed since start. */
  private volatile boolean persistent;
  private Context context;
  private NetServer apiServer;
  private NetServer sslServer;

  RouterImpl(RouterSpec spec, SimulatorImpl owner, List<UserEntry> storedUsers) {
    this.spec = spec;
    this.owner = owner;
    this.storedUsers = storedUsers;
    this.faults = spec.faults();
    this.persistent = storedUsers != null;
  }

  // ---- listening, on the shard's event loop

  /** Starts the services unless connections are refused; called on the shard's context. */
  Future<Void> start(Context shardContext) {
    this.context = shardContext;
    return faults.refuseConnections() ? Future.succeededFuture() : listen();
  }

  private Future<Void> listen() {
    Vertx vertx = context.owner();
    List<Future<?>> started = new ArrayList<>(2);
    apiServer = vertx.createNetServer(PLAIN).connectHandler(s -> new ApiSession(this, s).start());
    started.add(apiServer.listen(SocketAddress.inetSocketAddress(spec.port(), spec.address())));
    if (spec.apiSslPort() > 0) {
      sslServer = vertx.createNetServer(owner.tlsOptions()).connectHandler(s -> new ApiSession(this, s).start());
      started.add(sslServer.listen(SocketAddress.inetSocketAddress(spec.apiSslPort(), spec.address())));
    }
    return Future.all(started)
        .onFailure(e -> LOG.error("router {} cannot listen on {}:{}: {}", spec.name(), spec.address(), spec.port(),
            e.getMessage()))
        .mapEmpty();
  }

  /** Stops the services; Vert.x closes the connections they accepted. */
  Future<Void> stopListening() {
    List<Future<?>> closed = new ArrayList<>(2);
    if (apiServer != null) {
      closed.add(apiServer.close());
      apiServer = null;
    }
    if (sslServer != null) {
      closed.add(sslServer.close());
      sslServer = null;
    }
    return Future.all(closed).mapEmpty();
  }

  Vertx vertx() {
    return context.owner();
  }

  // ---- state

  /** The mutable state, created on first use. */
  RouterState state() {
    RouterState s = state;
    if (s == null) {
      synchronized (this) {
        s = state;
        if (s == null) {
          List<UserEntry> users = storedUsers;
          if (users == null) {
            users = new ArrayList<>(spec.users().size());
            int id = 1;
            for (UserSpec u : spec.users()) {
              users.add(UserEntry.of(id++, u));
            }
          }
          s = new RouterState(spec.identity(), users, spec.groups(), this::usersChanged);
          state = s;
        }
      }
    }
    return s;
  }

  private void usersChanged() {
    persistent = true;
    owner.stateChanged();
  }

  boolean persistent() {
    return persistent;
  }

  long startedAtMillis() {
    return owner.startedAtMillis();
  }

  // ---- public API

  @Override
  public String name() {
    return spec.name();
  }

  @Override
  public String address() {
    return spec.address();
  }

  @Override
  public int port() {
    return spec.port();
  }

  @Override
  public int apiSslPort() {
    return spec.apiSslPort();
  }

  @Override
  public String version() {
    return spec.version();
  }

  @Override
  public LoginStyle loginStyle() {
    return spec.login();
  }

  @Override
  public String identity() {
    return state == null ? spec.identity() : state.identity();
  }

  @Override
  public RouterSpec spec() {
    return spec;
  }

  @Override
  public Faults faults() {
    return faults;
  }

  @Override
  public Future<Void> faults(Faults next) {
    Faults previous;
    synchronized (this) {
      previous = faults;
      faults = next;
    }
    if (previous.refuseConnections() == next.refuseConnections() || context == null) {
      return Future.succeededFuture();
    }
    LOG.info("router {}: refuseConnections={}", spec.name(), next.refuseConnections());
    Promise<Void> done = Promise.promise();
    context.runOnContext(v -> (next.refuseConnections() ? stopListening() : listen()).onComplete(done));
    return done.future();
  }

  @Override
  public List<UserSpec> users() {
    List<UserSpec> out = new ArrayList<>();
    state().users().forEach(u -> out.add(u.spec()));
    return out;
  }

  @Override
  public Optional<UserSpec> user(String name) {
    return Optional.ofNullable(state().user(name)).map(UserEntry::spec);
  }

  @Override
  public void putUser(UserSpec user) {
    RouterState s = state();
    synchronized (s) {
      UserEntry existing = s.user(user.name());
      if (existing == null) {
        s.add(user, "");
      } else {
        s.replace(new UserEntry(existing.id(), user.name(), user.group(), user.password(), user.address(),
            user.disabled(), existing.comment(), existing.lastLoggedIn()));
      }
    }
  }

  @Override
  public boolean setPassword(String user, String password) {
    RouterState s = state();
    synchronized (s) {
      UserEntry u = s.user(user);
      if (u == null) {
        return false;
      }
      s.replace(u.withPassword(password));
      return true;
    }
  }

  @Override
  public List<ActiveSession> activeSessions() {
    return state == null ? List.of() : state.sessions();
  }

  @Override
  public Map<String, Long> commandCounts() {
    Map<String, Long> out = new java.util.TreeMap<>();
    commands.forEach((command, n) -> out.put(command, n.sum()));
    return out;
  }

  /** Counts one received command; unknown words are counted under one name, so a hostile client cannot grow it. */
  void countCommand(String head) {
    String key = head != null && Commands.known(head) ? head : "(other)";
    commands.computeIfAbsent(key, k -> new java.util.concurrent.atomic.LongAdder()).increment();
  }

  @Override
  public String certificatePem() {
    return spec.apiSslPort() > 0 ? owner.certificatePem() : null;
  }

  @Override
  public String toString() {
    return "router " + spec.name() + " " + spec.address() + ":" + spec.port();
  }
}
