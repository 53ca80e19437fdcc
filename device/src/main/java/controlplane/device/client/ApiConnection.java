package controlplane.device.client;

import controlplane.device.protocol.Sentence;
import io.vertx.core.Future;
import java.util.List;
import java.util.Map;

/**
 * One RouterOS API session. Commands may be issued concurrently: each gets a unique {@code .tag} and its own
 * timeout, and replies are matched by tag. Every failure is an {@link ApiException}. Methods may be called from
 * any thread; the connection's state lives on the context it was opened on.
 */
public interface ApiConnection {

  /**
   * Logs in with {@code /login =name= =password=}; when the {@code !done} carries {@code =ret=} (routers before
   * 6.43) answers the MD5 challenge. Fails with {@link ApiException.Kind#LOGIN_FAILED} carrying the router's
   * message when the router refuses, or with the kind of any transport failure.
   */
  Future<Void> login(String user, String password);

  /**
   * Runs {@code command} (e.g. {@code /user/print}) with {@code =name=value} attributes (keys may be API
   * attributes such as {@code .id} or {@code .proplist}) and queries in order. A query is sent as given when it
   * starts with {@code ?}, else prefixed with {@code ?} ({@code "name=bob"} becomes {@code ?name=bob}).
   * Null maps and lists count as empty. The reply completes on {@code !done}; traps are part of the reply, not a
   * failure.
   */
  Future<Reply> execute(String command, Map<String, String> attributes, List<String> queries);

  /** Runs {@code command} with its words as given, adding a unique {@code .tag} (replacing any it carries). */
  Future<Reply> execute(Sentence command);

  /** Sends {@code /quit}; succeeds once the router has answered {@code !fatal} and the connection is closed. */
  Future<Void> quit();

  /** Closes the connection; every pending command fails with {@link ApiException.Kind#CLOSED}. */
  Future<Void> close();

  /** Whether the connection has been closed by either side or failed. */
  boolean isClosed();

  /**
   * The {@link CertificateFingerprint} of the certificate the router presented on this API-SSL connection; null on a
   * plain one.
   */
  String certificateFingerprint();
}
