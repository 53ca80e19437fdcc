package controlplane.device.client.impl;

import controlplane.device.client.Reply;
import controlplane.device.client.Trap;
import controlplane.device.protocol.Sentence;
import io.vertx.core.Promise;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** A command written to the router and waiting for its {@code !done}; collects the reply meanwhile. */
final class PendingCommand {

  final String tag;
  /** The command for logs: its {@code toString()} redacts secrets. */
  final Sentence description;
  final Promise<Reply> promise = Promise.promise();
  final List<Map<String, String>> rows = new ArrayList<>();
  final List<Trap> traps = new ArrayList<>();
  boolean empty;
  /** Bytes of the words received for this command so far. */
  long bytes;
  long timerId = -1;

  PendingCommand(String tag, Sentence description) {
    this.tag = tag;
    this.description = description;
  }

  Reply reply(Map<String, String> done) {
    return new Reply(rows, done, traps, empty);
  }
}
