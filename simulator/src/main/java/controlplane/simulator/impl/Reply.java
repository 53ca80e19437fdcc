package controlplane.simulator.impl;

import controlplane.device.protocol.ProtocolConstants;
import controlplane.device.protocol.SentenceEncoder;
import io.vertx.core.buffer.Buffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The reply sentences to one command, encoded as they are added. The command's {@code .tag}, when it had one, goes
 * right after each reply word, as real routers place it; an untagged command gets untagged replies.
 */
final class Reply {

  private final String tag;
  private final Buffer bytes = Buffer.buffer(64);
  private boolean closeAfter;

  Reply(String tag) {
    this.tag = tag;
  }

  String tag() {
    return tag;
  }

  Buffer bytes() {
    return bytes;
  }

  /** Whether the connection is closed once this reply is written ({@code !fatal}). */
  boolean closeAfter() {
    return closeAfter;
  }

  /** Closes the connection once this reply is written. */
  Reply closeAfterWrite() {
    closeAfter = true;
    return this;
  }

  Reply re(Map<String, String> row) {
    return sentence(ProtocolConstants.REPLY_RE, row);
  }

  Reply done() {
    return sentence(ProtocolConstants.REPLY_DONE, Map.of());
  }

  Reply done(Map<String, String> attributes) {
    return sentence(ProtocolConstants.REPLY_DONE, attributes);
  }

  Reply empty() {
    return sentence(ProtocolConstants.REPLY_EMPTY, Map.of());
  }

  /** A {@code !trap}; {@code category} null when real routers send none. */
  Reply trap(Integer category, String message) {
    List<String> words = new ArrayList<>(4);
    words.add(ProtocolConstants.REPLY_TRAP);
    if (tag != null) {
      words.add(".tag=" + tag);
    }
    if (category != null) {
      words.add("=category=" + category);
    }
    words.add("=message=" + message);
    bytes.appendBuffer(SentenceEncoder.encode(words));
    return this;
  }

  /** A trap then {@code !done}: how a command fails. */
  Reply fail(Integer category, String message) {
    return trap(category, message).done();
  }

  /** {@code !fatal} and its bare reason word; the connection is closed after it. Never tagged. */
  Reply fatal(String reason) {
    bytes.appendBuffer(SentenceEncoder.encode(List.of(ProtocolConstants.REPLY_FATAL, reason)));
    closeAfter = true;
    return this;
  }

  private Reply sentence(String word, Map<String, String> attributes) {
    List<String> words = new ArrayList<>(2 + attributes.size());
    words.add(word);
    if (tag != null) {
      words.add(".tag=" + tag);
    }
    attributes.forEach((k, v) -> words.add("=" + k + "=" + v));
    bytes.appendBuffer(SentenceEncoder.encode(words));
    return this;
  }
}
