package controlplane.core;

import controlplane.core.network.NetworkRule;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.pgclient.PgConnectOptions;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The part of the configuration that {@code core} reads (see {@code docs/CONFIGURATION.md}). By the time core starts,
 * the composition root has filled {@code database.url} and {@code crypto.keys}: core neither starts databases nor
 * writes key files.
 *
 * @param database   where PostgreSQL is
 * @param crypto     the key ring that seals passwords at rest
 * @param rotation   password length, lease of a pending version, timeout of one device operation
 * @param reconciler how often pending versions with an expired lease are settled
 * @param retention  how long what is no longer needed is kept, and how the housekeeper removes it
 * @param enrolment  which router addresses may be enrolled (and dialled), and how often an organisation may enrol
 * @param scheduler  the fleet loop: due rotations, bulk jobs, retries, the per-edge cap
 * @param drift      checks that each site's current password still logs in
 */
public record CoreConfig(Database database, Crypto crypto, Rotation rotation, Reconciler reconciler,
                         Retention retention, Enrolment enrolment, Scheduler scheduler, Drift drift) {

  public CoreConfig(Database database, Crypto crypto, Rotation rotation, Reconciler reconciler,
                    Retention retention, Enrolment enrolment) {
    this(database, crypto, rotation, reconciler, retention, enrolment, Scheduler.DEFAULTS, Drift.DEFAULTS);
  }

  /** With the default {@link Retention#DEFAULTS} and an embedded deployment's enrolment defaults. */
  public CoreConfig(Database database, Crypto crypto, Rotation rotation, Reconciler reconciler) {
    this(database, crypto, rotation, reconciler, Retention.DEFAULTS, Enrolment.defaults(true));
  }

  /** With the default {@link Retention#DEFAULTS}. */
  public CoreConfig(Database database, Crypto crypto, Rotation rotation, Reconciler reconciler, Enrolment enrolment) {
    this(database, crypto, rotation, reconciler, Retention.DEFAULTS, enrolment);
  }

  /**
   * @param url      {@code postgresql://user:pass@host:port/db}, with {@code ?sslmode=...&sslrootcert=...} for TLS
   *                 ({@link DatabaseTls})
   * @param poolSize maximum connections of the pool
   */
  public record Database(String url, int poolSize) {

    /**
     * Connect options for the Vert.x pool, parsed from {@link #url()}, with its TLS parameters ({@link DatabaseTls}).
     * Prepared statements are cached per connection
     * (named statements): PostgreSQL then parses and plans each of core's fixed statements once per connection
     * instead of on every execution, which halves its CPU per rotation (docs/PERFORMANCE.md). A transaction-mode
     * connection pooler between the service and PostgreSQL would have to support named prepared statements.
     */
    public PgConnectOptions connectOptions() {
      if (url == null || url.isBlank()) {
        throw new IllegalStateException("database.url is not set");
      }
      DatabaseTls tls = tls();
      if (tls.sslMode() != null && !DatabaseTls.MODES.contains(tls.sslMode())) {
        throw new IllegalArgumentException(tls.problem());
      }
      return tls.applyTo(PgConnectOptions.fromUri(url)).setCachePreparedStatements(true);
    }

    /** The TLS parameters of {@link #url()}; {@link DatabaseTls#problem()} says whether they can be used. */
    public DatabaseTls tls() {
      return DatabaseTls.of(url);
    }

    /** Hides the password of the URL from logs and exception messages. */
    @Override
    public String toString() {
      String shown = url == null ? null : url.replaceFirst("://([^:/@]*):[^@/]*@", "://$1:***@");
      return "Database[url=" + shown + ", poolSize=" + poolSize + "]";
    }

    /**
     * The same database as a JDBC URL (for Flyway), with the same TLS parameters; user and password are passed
     * separately.
     */
    public String jdbcUrl() {
      PgConnectOptions o = connectOptions();
      return "jdbc:postgresql://" + o.getHost() + ":" + o.getPort() + "/" + o.getDatabase() + tls().jdbcQuery();
    }
  }

  /**
   * @param keys      key id to base64 of 32 random bytes
   * @param activeKey the key id new values are sealed with; may be null when there is exactly one key
   */
  public record Crypto(Map<String, String> keys, String activeKey) {
    public Crypto {
      keys = Map.copyOf(keys == null ? Map.of() : keys);
    }

    /** Hides the keys from logs and exception messages. */
    @Override
    public String toString() {
      return "Crypto[keys=" + keys.keySet() + ", activeKey=" + activeKey + "]";
    }
  }

  /**
   * @param passwordLength  length of generated passwords
   * @param leaseSeconds    a PENDING version whose lease has expired belongs to the reconciler
   * @param deviceTimeoutMs event-bus timeout of one device operation
   */
  public record Rotation(int passwordLength, int leaseSeconds, long deviceTimeoutMs) {

    /** Kept on top of the device operations of one API request for its database work ({@link #longestRequestMs}). */
    public static final long REQUEST_MARGIN_MS = 5_000;

    /** {@code rotation} of the whole configuration, with the defaults of {@code defaults.yaml} for what is missing. */
    public static Rotation fromJson(JsonObject root) {
      JsonObject rotation = section(root, "rotation");
      return new Rotation(intValue(rotation, "passwordLength", 32), intValue(rotation, "leaseSeconds", 60),
          longValue(rotation, "deviceTimeoutMs", 30_000));
    }

    /**
     * The lease a version or a push is actually held for: at least the configured one, and always longer than one
     * device operation, so that the reconciler never probes a router while a change to it may still be under way.
     * A configured lease shorter than that is refused at start ({@link #problem()}); this keeps the guarantee for a
     * value built without that check.
     */
    public int effectiveLeaseSeconds() {
      return (int) Math.max(leaseSeconds, minimumLeaseSeconds());
    }

    /** The shortest lease that outlasts one device operation ({@code deviceTimeoutMs}) by at least a second. */
    public long minimumLeaseSeconds() {
      return (deviceTimeoutMs + 999) / 1000 + 1;
    }

    /**
     * The longest core may work on one API request: a verified enrolment that takes ownership probes the router and
     * then rotates its password, two device operations of up to {@code deviceTimeoutMs} each (SiteService), plus
     * {@link #REQUEST_MARGIN_MS} for the database work around them. {@code http.requestTimeoutMs} must be at least
     * this, or the caller is answered 504 while the change may still land.
     */
    public long longestRequestMs() {
      return 2 * deviceTimeoutMs + REQUEST_MARGIN_MS;
    }

    /**
     * Refuses a configuration whose lease would end while a device operation may still be changing the router: the
     * reconciler could then probe, and settle, a router in the middle of a change. Null when the configuration is
     * fine, else the message naming the keys.
     */
    public String problem() {
      if (passwordLength < 16 || passwordLength > 128) {
        return "rotation.passwordLength must be from 16 to 128 (is " + passwordLength + ")";
      }
      if (deviceTimeoutMs < 1) {
        return "rotation.deviceTimeoutMs must be positive (is " + deviceTimeoutMs + ")";
      }
      if (leaseSeconds < minimumLeaseSeconds()) {
        return "rotation.leaseSeconds (" + leaseSeconds + ") must be at least " + minimumLeaseSeconds()
            + ": longer than the longest device operation, rotation.deviceTimeoutMs (" + deviceTimeoutMs + " ms)";
      }
      return null;
    }
  }

  /**
   * @param intervalMs       period of the reconciler, which also runs once at start-up
   * @param ownerDeadAfterMs a process whose heartbeat is older than this is dead: a live one takes its PENDING
   *                         versions over without waiting for their lease (docs/RELIABILITY.md); each process
   *                         heartbeats every {@link #heartbeatMs()}
   */
  public record Reconciler(long intervalMs, long ownerDeadAfterMs) {

    public static final long DEFAULT_OWNER_DEAD_AFTER_MS = 5_000;

    public Reconciler {
      if (ownerDeadAfterMs < 1_000) {
        throw new IllegalArgumentException("reconciler.ownerDeadAfterMs must be at least 1000 (is "
            + ownerDeadAfterMs + ")");
      }
    }

    public Reconciler(long intervalMs) {
      this(intervalMs, DEFAULT_OWNER_DEAD_AFTER_MS);
    }

    /** A fifth of the dead-after time: four beats may be missed (a pause, a slow database) before others take over. */
    public long heartbeatMs() {
      return Math.max(200, ownerDeadAfterMs / 5);
    }
  }

  /**
   * The fleet loop (docs/OPERATIONS.md, "Fleet operations").
   *
   * @param intervalMs         how often each process looks for due rotations, drift checks and job work
   * @param batchSize          sites claimed per look
   * @param maxAttempts        failed attempts of a scheduled rotation before the site is marked out_of_sync
   * @param backoffBaseMs      first retry delay of a failed scheduled rotation; doubled per attempt
   * @param backoffMaxMs       longest retry delay
   * @param maxInFlightPerEdge device operations of background work (jobs, scheduler, drift) per edge and process
   */
  public record Scheduler(long intervalMs, int batchSize, int maxAttempts, long backoffBaseMs, long backoffMaxMs,
                          int maxInFlightPerEdge) {

    public static final Scheduler DEFAULTS = new Scheduler(5_000, 200, 5, 60_000, 3_600_000, 8);

    public Scheduler {
      if (intervalMs < 1 || batchSize < 1 || maxAttempts < 1 || backoffBaseMs < 1 || backoffMaxMs < backoffBaseMs
          || maxInFlightPerEdge < 1) {
        throw new IllegalArgumentException("scheduler: intervalMs, batchSize, maxAttempts, backoffBaseMs and"
            + " maxInFlightPerEdge must be >= 1, backoffMaxMs >= backoffBaseMs");
      }
    }
  }

  /** @param checkPeriodSeconds default period of a site's drift check when no policy sets one; 0 turns it off */
  public record Drift(long checkPeriodSeconds) {

    public static final Drift DEFAULTS = new Drift(21_600);

    public Drift {
      if (checkPeriodSeconds != 0 && checkPeriodSeconds < 60) {
        throw new IllegalArgumentException("drift.checkPeriodSeconds must be 0 (off) or at least 60");
      }
    }
  }

  /**
   * Windows in days, fractions allowed (a test or a soak uses seconds' worth); docs/OPERATIONS.md, "Retention and
   * housekeeping".
   *
   * @param versionDays            SUPERSEDED and FAILED versions older than this are purged, except the newest
   *                               {@code keepVersions} of each site (any state)
   * @param keepVersions           versions of each site never purged, newest by creation
   * @param auditDays              audit events are purged by whole months once the whole month is older than this
   * @param deletedSiteDays        a deleted site is purged this long after its deletion
   * @param jobDays                a completed or cancelled bulk job is purged, with its sites, this long after it
   *                               finished
   * @param housekeepingIntervalMs period of the housekeeper, which also runs once shortly after start-up
   * @param batchSize              rows removed per transaction
   * @param batchPauseMs           pause between two batches, so that no lock is held for long
   */
  public record Retention(double versionDays, int keepVersions, double auditDays, double deletedSiteDays,
                          double jobDays, long housekeepingIntervalMs, int batchSize, long batchPauseMs) {

    public static final double DEFAULT_JOB_DAYS = 30;
    public static final Retention DEFAULTS = new Retention(30, 3, 400, 30, DEFAULT_JOB_DAYS, 3_600_000, 1000, 100);
    private static final double SECONDS_PER_DAY = 86_400;

    public Retention {
      if (versionDays < 0 || keepVersions < 0 || auditDays < 0 || deletedSiteDays < 0 || jobDays < 0
          || housekeepingIntervalMs < 1 || batchSize < 1 || batchPauseMs < 0) {
        throw new IllegalArgumentException("retention: windows, keepVersions and batchPauseMs must be >= 0,"
            + " housekeepingIntervalMs and batchSize >= 1");
      }
    }

    /** With the default {@code jobDays}. */
    public Retention(double versionDays, int keepVersions, double auditDays, double deletedSiteDays,
                     long housekeepingIntervalMs, int batchSize, long batchPauseMs) {
      this(versionDays, keepVersions, auditDays, deletedSiteDays, DEFAULT_JOB_DAYS, housekeepingIntervalMs, batchSize,
          batchPauseMs);
    }

    public double versionSeconds() {
      return versionDays * SECONDS_PER_DAY;
    }

    public double auditSeconds() {
      return auditDays * SECONDS_PER_DAY;
    }

    public double deletedSiteSeconds() {
      return deletedSiteDays * SECONDS_PER_DAY;
    }

    public double jobSeconds() {
      return jobDays * SECONDS_PER_DAY;
    }
  }

  /**
   * @param deniedNetworks  CIDRs, addresses or {@link controlplane.core.network.NetworkGroup} names that no router
   *                        address may be in
   * @param allowedNetworks when not empty, a router address must be in one of these
   * @param ratePerMinute   enrolments per organisation and minute, per process; 0 for no limit
   */
  public record Enrolment(List<String> deniedNetworks, List<String> allowedNetworks, int ratePerMinute) {
    public Enrolment {
      deniedNetworks = List.copyOf(deniedNetworks);
      allowedNetworks = List.copyOf(allowedNetworks == null ? List.of() : allowedNetworks);
      NetworkRule.validate("enrolment.deniedNetworks", deniedNetworks);
      NetworkRule.validate("enrolment.allowedNetworks", allowedNetworks);
      if (ratePerMinute < 0) {
        throw new IllegalArgumentException("enrolment.ratePerMinute must be 0 (no limit) or more");
      }
    }

    /** The defaults of a deployment with an external database ({@code embeddedDatabase} false) or not. */
    public static Enrolment defaults(boolean embeddedDatabase) {
      return new Enrolment(embeddedDatabase ? NetworkRule.EMBEDDED_DENIED : NetworkRule.PRODUCTION_DENIED, List.of(),
          60);
    }
  }

  /**
   * Binds {@code database}, {@code crypto}, {@code rotation}, {@code reconciler}, {@code retention},
   * {@code enrolment}, {@code scheduler} and {@code drift} of the whole configuration; the database is embedded when {@code database.url} is not set.
   */
  public static CoreConfig fromJson(JsonObject root) {
    String url = section(root, "database").getString("url");
    return fromJson(root, url == null || url.isBlank());
  }

  /**
   * The same, told whether the database is the embedded one (the composition root fills {@code database.url} with
   * the embedded server's before core starts). Without {@code enrolment.deniedNetworks}, an embedded deployment
   * denies {@link NetworkRule#EMBEDDED_DENIED}, any other {@link NetworkRule#PRODUCTION_DENIED}.
   */
  public static CoreConfig fromJson(JsonObject root, boolean embeddedDatabase) {
    JsonObject db = section(root, "database");
    JsonObject crypto = section(root, "crypto");
    JsonObject reconciler = section(root, "reconciler");
    JsonObject retention = section(root, "retention");
    Retention r = Retention.DEFAULTS;
    JsonObject enrolment = section(root, "enrolment");
    JsonObject scheduler = section(root, "scheduler");
    Scheduler sd = Scheduler.DEFAULTS;
    JsonObject drift = section(root, "drift");
    Enrolment defaults = Enrolment.defaults(embeddedDatabase);
    List<String> denied = strings(enrolment, "deniedNetworks");
    List<String> allowed = strings(enrolment, "allowedNetworks");
    Map<String, String> keys = new LinkedHashMap<>();
    JsonObject keyJson = crypto.getJsonObject("keys", new JsonObject());
    for (String id : keyJson.fieldNames()) {
      keys.put(id, String.valueOf(keyJson.getValue(id)));
    }
    return new CoreConfig(
        new Database(db.getString("url"), intValue(db, "poolSize", 16)),
        new Crypto(keys, crypto.getString("activeKey")),
        Rotation.fromJson(root),
        new Reconciler(longValue(reconciler, "intervalMs", 10_000),
            longValue(reconciler, "ownerDeadAfterMs", Reconciler.DEFAULT_OWNER_DEAD_AFTER_MS)),
        new Retention(doubleValue(retention, "versionDays", r.versionDays()),
            intValue(retention, "keepVersions", r.keepVersions()), doubleValue(retention, "auditDays", r.auditDays()),
            doubleValue(retention, "deletedSiteDays", r.deletedSiteDays()),
            doubleValue(retention, "jobDays", r.jobDays()),
            longValue(retention, "housekeepingIntervalMs", r.housekeepingIntervalMs()),
            intValue(retention, "batchSize", r.batchSize()), longValue(retention, "batchPauseMs", r.batchPauseMs())),
        new Enrolment(denied == null ? defaults.deniedNetworks() : denied, allowed,
            intValue(enrolment, "ratePerMinute", defaults.ratePerMinute())),
        new Scheduler(longValue(scheduler, "intervalMs", sd.intervalMs()), intValue(scheduler, "batchSize", sd.batchSize()),
            intValue(scheduler, "maxAttempts", sd.maxAttempts()), longValue(scheduler, "backoffBaseMs", sd.backoffBaseMs()),
            longValue(scheduler, "backoffMaxMs", sd.backoffMaxMs()),
            intValue(scheduler, "maxInFlightPerEdge", sd.maxInFlightPerEdge())),
        new Drift(longValue(drift, "checkPeriodSeconds", Drift.DEFAULTS.checkPeriodSeconds())));
  }

  private static JsonObject section(JsonObject root, String name) {
    JsonObject s = root == null ? null : root.getJsonObject(name);
    return s == null ? new JsonObject() : s;
  }

  // Values from environment variables arrive as strings.
  private static int intValue(JsonObject o, String key, int def) {
    Object v = o.getValue(key);
    return v == null ? def : v instanceof Number n ? n.intValue() : Integer.parseInt(v.toString().trim());
  }

  /** A list of strings; from an environment variable, a JSON array or a comma-separated list. Null when unset. */
  private static List<String> strings(JsonObject o, String key) {
    Object v = o.getValue(key);
    if (v == null) {
      return null;
    }
    JsonArray array;
    if (v instanceof JsonArray a) {
      array = a;
    } else if (v.toString().trim().startsWith("[")) {
      array = new JsonArray(v.toString().trim());
    } else {
      array = new JsonArray();
      for (String part : v.toString().split(",")) {
        if (!part.isBlank()) {
          array.add(part.trim());
        }
      }
    }
    List<String> out = new ArrayList<>(array.size());
    array.forEach(item -> out.add(String.valueOf(item)));
    return out;
  }

  private static long longValue(JsonObject o, String key, long def) {
    Object v = o.getValue(key);
    return v == null ? def : v instanceof Number n ? n.longValue() : Long.parseLong(v.toString().trim());
  }

  private static double doubleValue(JsonObject o, String key, double def) {
    Object v = o.getValue(key);
    return v == null ? def : v instanceof Number n ? n.doubleValue() : Double.parseDouble(v.toString().trim());
  }
}
