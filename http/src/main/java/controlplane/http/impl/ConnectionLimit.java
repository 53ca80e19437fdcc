package controlplane.http.impl;

import io.vertx.core.Handler;
import io.vertx.core.http.HttpConnection;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The connection handler of the listener: counts open connections and closes, as soon as it is accepted, each one
 * beyond {@code http.maxConnections} (Vert.x has no such cap). It runs before any request of the connection is read,
 * provided the server is not left to detect HTTP/2 by prior knowledge (h2c), which waits for the first bytes.
 * Refusals are logged at most once a minute, with their number.
 */
public final class ConnectionLimit implements Handler<HttpConnection> {

  private static final Logger LOG = LoggerFactory.getLogger(ConnectionLimit.class);
  private static final long LOG_EVERY_MILLIS = 60_000;

  private final int max;
  private final AtomicInteger open = new AtomicInteger();
  private final AtomicInteger refusedUnlogged = new AtomicInteger();
  private final AtomicLong lastLogMillis = new AtomicLong(Long.MIN_VALUE / 2);

  public ConnectionLimit(int max) {
    this.max = max;
  }

  @Override
  public void handle(HttpConnection connection) {
    if (open.incrementAndGet() > max) {
      open.decrementAndGet();
      connection.close();
      logRefusal();
      return;
    }
    connection.closeHandler(v -> open.decrementAndGet());
  }

  private void logRefusal() {
    refusedUnlogged.incrementAndGet();
    long now = System.currentTimeMillis();
    long last = lastLogMillis.get();
    if (now - last >= LOG_EVERY_MILLIS && lastLogMillis.compareAndSet(last, now)) {
      LOG.warn("http.maxConnections ({}) connections open: {} new connection(s) closed at once", max,
        refusedUnlogged.getAndSet(0));
    }
  }
}
