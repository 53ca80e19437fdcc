package controlplane.config;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Free ports for the tests' and the harness programs' child processes and cluster members (the service itself
 * never looks for one). A port found free is only bound later, by someone else, so it is drawn below the kernel's
 * ephemeral range: the kernel never hands such a port to an outgoing connection or to
 * a {@code bind(0)} in between (CI saw a Hazelcast port, drawn with {@code bind(0)}, taken before the member bound it).
 * No number is handed out twice in a test JVM; the draw is random so that parallel JVMs rarely meet.
 */
public final class FreePorts {

  private static final Set<Integer> HANDED_OUT = ConcurrentHashMap.newKeySet();
  private static final int LOWEST = 10_000;
  private static final int BELOW = ephemeralLow();

  private FreePorts() {
  }

  /** A port nothing is bound to on any address now, below the ephemeral range, never the same twice in this JVM. */
  public static int next() throws IOException {
    for (int tries = 0; tries < 10_000; tries++) {
      int port = ThreadLocalRandom.current().nextInt(LOWEST, BELOW);
      if (HANDED_OUT.add(port)) {
        if (bindable(port)) {
          return port;
        }
      }
    }
    throw new IOException("no free port in " + LOWEST + ".." + (BELOW - 1));
  }

  private static boolean bindable(int port) {
    try (ServerSocket s = new ServerSocket()) {
      s.setReuseAddress(false);
      s.bind(new InetSocketAddress(port));
      return true;
    } catch (IOException taken) {
      return false;
    }
  }

  /** The first port of {@code net.ipv4.ip_local_port_range} (32768 where it cannot be read). */
  private static int ephemeralLow() {
    try {
      String range = Files.readString(Path.of("/proc/sys/net/ipv4/ip_local_port_range")).trim();
      int low = Integer.parseInt(range.split("\\s+")[0]);
      return low > LOWEST + 1_000 ? low : 32_768;
    } catch (IOException | RuntimeException unreadable) {
      return 32_768;
    }
  }
}
