package controlplane.core.persistence;

import controlplane.core.bus.Failure;
import io.vertx.core.Future;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.impl.NoStackTraceTimeoutException;
import io.vertx.pgclient.PgException;
import io.vertx.sqlclient.ClosedConnectionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Classifies database errors into {@link Failure}s whose message carries no SQL and no value. */
public final class Db {

  private static final Logger LOG = LoggerFactory.getLogger(Db.class);

  /** SQLSTATE of a unique violation. */
  public static final String UNIQUE_VIOLATION = "23505";

  /** True when {@code t} is a unique violation of the constraint or index {@code name}. */
  public static boolean isUniqueViolation(Throwable t, String name) {
    return t instanceof PgException pg && UNIQUE_VIOLATION.equals(pg.getSqlState())
        && name.equals(pg.getConstraint());
  }

  /**
   * A failure for any error of a database operation: {@link ReplyException}s pass through; connection problems become
   * {@link Failure#DATABASE_UNAVAILABLE}; anything else {@link Failure#INTERNAL_ERROR}. Logged here, without values.
   */
  public static ReplyException classify(Throwable t, String operation) {
    if (t instanceof ReplyException re) {
      return re;
    }
    if (isUnavailable(t)) {
      LOG.warn("database unavailable during {}: {}", operation, t.toString());
      return Failure.DATABASE_UNAVAILABLE.exception("the credential store is unavailable, try again later");
    }
    if (t instanceof PgException pg) {
      LOG.error("database error during {}: sqlstate {} {}", operation, pg.getSqlState(), pg.getErrorMessage());
    } else {
      LOG.error("error during {}", operation, t);
    }
    return Failure.INTERNAL_ERROR.exception("internal error during " + operation);
  }

  /** {@code future}, its failure classified by {@link #classify}. */
  public static <T> Future<T> classified(Future<T> future, String operation) {
    return future.recover(t -> Future.failedFuture(classify(t, operation)));
  }

  /**
   * By SQLSTATE class and exception type, never by message text: the server refused or lost the connection, is
   * shutting down or out of resources, or a connection could not be had in time.
   */
  static boolean isUnavailable(Throwable t) {
    for (Throwable c = t; c != null; c = c.getCause()) {
      if (c instanceof PgException pg) {
        String s = pg.getSqlState();
        // 08: connection exception, 57: operator intervention (shutdown), 53: insufficient resources,
        // 28: authorization refused, 3D000: the database does not exist (dropped, or not created yet)
        return s != null && (s.startsWith("08") || s.startsWith("57") || s.startsWith("53") || s.startsWith("28")
            || s.equals("3D000"));
      }
      if (c instanceof java.io.IOException || c instanceof ClosedConnectionException
          || c instanceof java.util.concurrent.TimeoutException || c instanceof NoStackTraceTimeoutException) {
        return true;
      }
    }
    return false;
  }

  private Db() {
  }
}
