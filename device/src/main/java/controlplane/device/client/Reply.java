package controlplane.device.client;

import java.util.List;
import java.util.Map;

/**
 * The complete answer to one command.
 *
 * @param rows the attributes of each {@code !re}, in order
 * @param done the attributes of the {@code !done} (e.g. {@code ret})
 * @param traps every {@code !trap} received before the {@code !done}
 * @param empty whether the router sent {@code !empty} (RouterOS 7.18+: a print that matched nothing)
 */
public record Reply(List<Map<String, String>> rows, Map<String, String> done, List<Trap> traps, boolean empty) {

  public Reply {
    rows = List.copyOf(rows);
    done = Map.copyOf(done);
    traps = List.copyOf(traps);
  }

  /** True when the router sent no trap. */
  public boolean ok() {
    return traps.isEmpty();
  }
}
