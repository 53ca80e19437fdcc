package controlplane.device;

import controlplane.device.client.ClientOptions;
import controlplane.device.protocol.ParserLimits;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;

/**
 * The {@code device} section of the configuration (docs/CONFIGURATION.md).
 *
 * @param edges edge server names whose device-push address this process consumes; {@code "*"} = every edge
 * @param connectTimeoutMs RouterOS API connect timeout (TCP plus TLS handshake)
 * @param commandTimeoutMs RouterOS API per-command timeout
 * @param trustAll api-ssl: accept any certificate, pinned or not (lab only)
 * @param trustPem api-ssl: path of a PEM file of CA certificates a router's certificate must chain to (and name the
 *     host name the router was enrolled by, or its address), besides being the pinned one; null: the pin alone
 * @param maxReplyBytes bytes one reply of a router may carry before the command fails and the connection closes
 * @param instances device-push verticles this process deploys, each with its own event loop and router connections;
 *     0: one per event loop (twice the cores, Vert.x's default event-loop count)
 */
public record DeviceConfig(List<String> edges, int connectTimeoutMs, int commandTimeoutMs, boolean trustAll,
                           String trustPem, int maxReplyBytes, int instances) {

  /** The most {@link #instances()} accepted. */
  public static final int MAX_INSTANCES = 256;

  /** The edge name that means "every edge" (the all-in-one process). */
  public static final String ALL_EDGES = "*";

  public DeviceConfig {
    edges = List.copyOf(edges);
    if (maxReplyBytes <= 0) {
      throw new IllegalArgumentException("device.maxReplyBytes must be positive");
    }
    if (instances < 0 || instances > MAX_INSTANCES) {
      throw new IllegalArgumentException("device.instances must be between 0 (one per event loop) and "
          + MAX_INSTANCES);
    }
  }

  /** Settings with one device-push verticle per event loop. */
  public DeviceConfig(List<String> edges, int connectTimeoutMs, int commandTimeoutMs, boolean trustAll,
                      String trustPem, int maxReplyBytes) {
    this(edges, connectTimeoutMs, commandTimeoutMs, trustAll, trustPem, maxReplyBytes, 0);
  }

  /** Settings with the default {@code maxReplyBytes}. */
  public DeviceConfig(List<String> edges, int connectTimeoutMs, int commandTimeoutMs, boolean trustAll,
                      String trustPem) {
    this(edges, connectTimeoutMs, commandTimeoutMs, trustAll, trustPem, ClientOptions.DEFAULT_MAX_REPLY_BYTES);
  }

  /**
   * The defaults of docs/CONFIGURATION.md: every edge, 5 s connect, 10 s per command, API-SSL trusted by pins,
   * replies of at most 1 MiB.
   */
  public static DeviceConfig defaults() {
    return new DeviceConfig(List.of(ALL_EDGES), 5000, 10000, false, null);
  }

  /**
   * Binds {@code root.device}; missing keys take their defaults. Values that arrive as strings (from environment
   * variables) are accepted: {@code edges} as a comma-separated list, numbers and booleans as text.
   *
   * @throws IllegalArgumentException when a value has the wrong type
   */
  public static DeviceConfig fromJson(JsonObject root) {
    JsonObject device = root == null ? null : root.getJsonObject("device");
    DeviceConfig d = defaults();
    if (device == null) {
      return d;
    }
    return new DeviceConfig(
        edges(device.getValue("edges"), d.edges()),
        intValue(device.getValue("connectTimeoutMs"), d.connectTimeoutMs(), "connectTimeoutMs"),
        intValue(device.getValue("commandTimeoutMs"), d.commandTimeoutMs(), "commandTimeoutMs"),
        boolValue(device.getValue("trustAll"), d.trustAll(), "trustAll"),
        device.getValue("trustPem") == null ? null : device.getValue("trustPem").toString(),
        intValue(device.getValue("maxReplyBytes"), d.maxReplyBytes(), "maxReplyBytes"),
        intValue(device.getValue("instances"), d.instances(), "instances"));
  }

  /**
   * The device-push verticles to deploy: {@link #instances()}, or when 0 one per event loop of a Vert.x with default
   * options (twice the processors the JVM sees). A rotation's router work runs on its verticle's event loop: at 64
   * rotations in flight, one verticle was the rotation's longest wait (docs/PERFORMANCE.md, "Router work on every
   * event loop").
   */
  public int verticles() {
    return instances > 0 ? instances : io.vertx.core.VertxOptions.DEFAULT_EVENT_LOOP_POOL_SIZE;
  }

  /** Whether this process consumes {@code cp.device.push.*}. */
  public boolean servesAllEdges() {
    return edges.contains(ALL_EDGES);
  }

  /** Client options for these settings, with {@code trustPemText} the content of the {@link #trustPem()} file. */
  public ClientOptions clientOptions(String trustPemText) {
    return new ClientOptions(connectTimeoutMs, commandTimeoutMs, ParserLimits.DEFAULT, trustAll, trustPemText,
        ClientOptions.defaults().maxPendingCommands(), ClientOptions.DEFAULT_MAX_REPLY_ROWS, maxReplyBytes);
  }

  private static List<String> edges(Object value, List<String> fallback) {
    if (value == null) {
      return fallback;
    }
    List<String> out = new ArrayList<>();
    if (value instanceof JsonArray array) {
      for (Object o : array) {
        if (o != null && !o.toString().isBlank()) {
          out.add(o.toString().trim());
        }
      }
    } else {
      for (String s : value.toString().split(",")) {
        if (!s.isBlank()) {
          out.add(s.trim());
        }
      }
    }
    return out;
  }

  private static int intValue(Object value, int fallback, String key) {
    if (value == null) {
      return fallback;
    }
    if (value instanceof Number n) {
      return n.intValue();
    }
    try {
      return Integer.parseInt(value.toString().trim());
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("device." + key + " must be an integer");
    }
  }

  private static boolean boolValue(Object value, boolean fallback, String key) {
    if (value == null) {
      return fallback;
    }
    if (value instanceof Boolean b) {
      return b;
    }
    String s = value.toString().trim();
    if (s.equalsIgnoreCase("true") || s.equalsIgnoreCase("false")) {
      return Boolean.parseBoolean(s);
    }
    throw new IllegalArgumentException("device." + key + " must be true or false");
  }
}
