package controlplane.simulator;

import io.vertx.core.Future;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * One simulated router, as tests and tools see it. Thread-safe: every method may be called from any thread.
 * Changes made here behave as if an administrator made them on the router's console.
 */
public interface SimulatedRouter {

  String name();

  /** The address its services listen on. */
  String address();

  /** The {@code api} service port. */
  int port();

  /** The {@code api-ssl} service port, or 0 when api-ssl is disabled. */
  int apiSslPort();

  /** RouterOS version, e.g. {@code 7.15.3}. */
  String version();

  LoginStyle loginStyle();

  /** Current {@code /system/identity} name. */
  String identity();

  /** The configuration it was started from. */
  RouterSpec spec();

  /** The faults in force now. */
  Faults faults();

  /**
   * Replaces the faults. Every fault but {@code refuseConnections} applies at once to every connection; switching
   * {@code refuseConnections} stops or restarts the listeners, and the returned future completes when that is done.
   */
  Future<Void> faults(Faults faults);

  /** The current users, passwords included (a lab device: tests read them to check what a rotation did). */
  List<UserSpec> users();

  Optional<UserSpec> user(String name);

  /** Adds the user, or replaces the one of the same name (keeping its id). */
  void putUser(UserSpec user);

  /** Sets a user's password as an administrator would; false when there is no such user. */
  boolean setPassword(String user, String password);

  /** The logged-in API sessions. */
  List<ActiveSession> activeSessions();

  /**
   * Commands received since start, by command word ({@code /login}, {@code /user/set}, ...): what a client cost
   * this router, counted as the router sees it (a test of a client's round trips reads it).
   */
  Map<String, Long> commandCounts();

  /** PEM of the certificate the api-ssl service presents, or null when api-ssl is disabled. */
  String certificatePem();
}
