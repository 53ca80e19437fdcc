package controlplane.config;

import com.hazelcast.config.Config;
import com.hazelcast.config.JoinConfig;
import com.hazelcast.config.NetworkConfig;
import io.vertx.core.eventbus.EventBusOptions;
import io.vertx.core.http.ClientAuth;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.PemKeyCertOptions;
import io.vertx.core.net.PemTrustOptions;
import io.vertx.spi.cluster.hazelcast.ConfigUtil;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The {@code cluster} section: whether this process joins a Vert.x cluster (Hazelcast membership, TCP-IP join with
 * {@code members}, never multicast), where it listens for the other members ({@code host}:{@code port}) and for
 * their event-bus connections ({@code host}:{@code eventBusPort}), and the optional mutual TLS of the event bus.
 *
 * @param enabled      false: a standalone process (the event bus stays in the JVM)
 * @param name         the cluster's name: members of another name never merge with this one
 * @param host         the address this process binds and announces to the others (Hazelcast and event bus)
 * @param port         Hazelcast's member port
 * @param eventBusPort the event bus's TCP port; 0: {@code port + 1}
 * @param members      {@code host:port} of members to join through (this process may be among them)
 * @param tls          mutual TLS of the event-bus connections; off when its files are not set
 * @param failureDetectionSeconds seconds without a heartbeat after which a member counts as gone
 */
record ClusterConfig(boolean enabled, String name, String host, int port, int eventBusPort, List<String> members,
                     Tls tls, int failureDetectionSeconds) {

  /** PEM files of the event bus's mutual TLS: this process's certificate and key, and the CA the others must have. */
  record Tls(String certPem, String keyPem, String caPem) {
    boolean enabled() {
      return certPem != null || keyPem != null || caPem != null;
    }
  }

  ClusterConfig {
    members = List.copyOf(members);
    if (enabled) {
      if (port <= 0 || port > 65535) {
        throw new IllegalArgumentException("cluster.port must be a port number, not " + port);
      }
      if (members.isEmpty()) {
        throw new IllegalArgumentException("cluster.members is empty: name at least one host:port to join through");
      }
      for (String m : members) {
        int colon = m.lastIndexOf(':');
        if (colon <= 0 || !m.substring(colon + 1).matches("\\d{1,5}")) {
          throw new IllegalArgumentException("cluster.members: " + m + " is not host:port");
        }
      }
      if (tls.enabled() && (tls.certPem == null || tls.keyPem == null || tls.caPem == null)) {
        throw new IllegalArgumentException("cluster.tls needs all of certPem, keyPem and caPem (mutual TLS)");
      }
    }
  }

  /** Binds {@code root.cluster}; values that arrive as strings (environment variables) are accepted. */
  static ClusterConfig fromJson(JsonObject root) {
    JsonObject c = root.getJsonObject("cluster", new JsonObject());
    JsonObject tls = c.getJsonObject("tls", new JsonObject());
    return new ClusterConfig(bool(c.getValue("enabled"), "cluster.enabled"),
        text(c.getValue("name"), "control-plane"), text(c.getValue("host"), "127.0.0.1"),
        integer(c.getValue("port"), 5701, "cluster.port"), integer(c.getValue("eventBusPort"), 0,
            "cluster.eventBusPort"), list(c.getValue("members")),
        new Tls(text(tls.getValue("certPem"), null), text(tls.getValue("keyPem"), null),
            text(tls.getValue("caPem"), null)),
        integer(c.getValue("failureDetectionSeconds"), 10, "cluster.failureDetectionSeconds"));
  }

  int effectiveEventBusPort() {
    return eventBusPort > 0 ? eventBusPort : port + 1;
  }

  /**
   * Hazelcast's configuration: vertx-hazelcast's own maps (its default file), this cluster's name, the member port
   * on {@code host} only, TCP-IP join with {@code members}, multicast and auto-detection off, no phone-home.
   */
  Config hazelcast() {
    // Also read before the configuration below is: without it, Hazelcast's first lines go to java.util.logging.
    if (System.getProperty("hazelcast.logging.type") == null) {
      System.setProperty("hazelcast.logging.type", "slf4j");
    }
    Config hz = ConfigUtil.loadConfig();
    hz.setClusterName(name);
    hz.setProperty("hazelcast.logging.type", "slf4j");
    hz.setProperty("hazelcast.phone.home.enabled", "false");
    // Vert.x leaves the cluster in its own close(); Hazelcast's hook would race it.
    hz.setProperty("hazelcast.shutdownhook.enabled", "false");
    // A killed member's subscriptions go when it is declared gone; until then sends to it wait for their timeout.
    hz.setProperty("hazelcast.heartbeat.interval.seconds", "1");
    hz.setProperty("hazelcast.max.no.heartbeat.seconds", String.valueOf(failureDetectionSeconds));
    hz.setProperty("hazelcast.local.localAddress", host);
    // Members that formed clusters of their own (started together, or split by the network) merge within a minute,
    // not Hazelcast's five.
    hz.setProperty("hazelcast.merge.first.run.delay.seconds", "30");
    hz.setProperty("hazelcast.merge.next.run.delay.seconds", "30");
    NetworkConfig net = hz.getNetworkConfig();
    net.setPort(port).setPortAutoIncrement(false);
    net.getInterfaces().setEnabled(false);
    JoinConfig join = net.getJoin();
    join.getMulticastConfig().setEnabled(false);
    join.getAutoDetectionConfig().setEnabled(false);
    join.getTcpIpConfig().setEnabled(true).setMembers(new ArrayList<>(members));
    return hz;
  }

  /** The event bus's listener and, with {@code tls}, its mutual TLS (client certificates required). */
  EventBusOptions eventBus() {
    EventBusOptions options = new EventBusOptions().setHost(host).setPort(effectiveEventBusPort())
        .setClusterPublicHost(host).setClusterPublicPort(effectiveEventBusPort());
    if (tls.enabled()) {
      options.setSsl(true)
          .setKeyCertOptions(new PemKeyCertOptions().setCertPath(tls.certPem).setKeyPath(tls.keyPem))
          .setTrustOptions(new PemTrustOptions().addCertPath(tls.caPem))
          .setClientAuth(ClientAuth.REQUIRED);
    }
    return options;
  }

  /** For the start-up line: where this member listens and whom it joins; never a file's content. */
  String describe() {
    return "cluster " + name + " as " + host + ":" + port + " (event bus " + effectiveEventBusPort()
        + (tls.enabled() ? ", mutual TLS" : ", plain TCP") + "), joining " + String.join(",", members);
  }

  private static boolean bool(Object value, String key) {
    if (value == null) {
      return false;
    }
    if (value instanceof Boolean b) {
      return b;
    }
    return switch (value.toString().trim().toLowerCase(Locale.ROOT)) {
      case "true", "yes", "1" -> true;
      case "false", "no", "0", "", "null" -> false;
      default -> throw new IllegalArgumentException(key + " must be true or false, not " + value);
    };
  }

  private static int integer(Object value, int dflt, String key) {
    if (value == null) {
      return dflt;
    }
    if (value instanceof Number n) {
      return n.intValue();
    }
    String s = value.toString().trim();
    if (s.isEmpty() || s.equals("null")) {
      return dflt;
    }
    try {
      return Integer.parseInt(s);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(key + " must be a number, not " + value);
    }
  }

  private static String text(Object value, String dflt) {
    if (value == null) {
      return dflt;
    }
    String s = value.toString().trim();
    return s.isEmpty() || s.equals("null") ? dflt : s;
  }

  private static List<String> list(Object value) {
    List<String> out = new ArrayList<>();
    if (value instanceof JsonArray array) {
      array.forEach(v -> out.add(String.valueOf(v).trim()));
    } else if (value != null) {
      for (String s : value.toString().split(",")) {
        if (!s.isBlank()) {
          out.add(s.trim());
        }
      }
    }
    return out;
  }
}
