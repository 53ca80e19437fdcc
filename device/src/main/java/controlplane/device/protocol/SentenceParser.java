package controlplane.device.protocol;

import io.vertx.core.Handler;
import io.vertx.core.buffer.Buffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Incremental decoder: feed it bytes as they arrive, split anywhere, and it emits each complete non-empty
 * sentence. Accepts non-minimal length encodings. On a framing error or an exceeded limit it reports a
 * {@link ProtocolException} once and ignores all further input; the connection should then be closed.
 * Not thread-safe: use it from one context.
 */
public final class SentenceParser implements Handler<Buffer> {

  private enum State { LENGTH, WORD, FAILED }

  private final ParserLimits limits;
  private final Handler<Sentence> sentenceHandler;
  private Handler<ProtocolException> errorHandler = e -> { };

  private State state = State.LENGTH;
  /** Bytes received but not yet consumed; never more than one word plus one prefix. */
  private Buffer pending = Buffer.buffer();
  private int wordLength;
  private final List<String> words = new ArrayList<>();
  private long sentenceBytes;

  public SentenceParser(ParserLimits limits, Handler<Sentence> sentenceHandler) {
    this.limits = limits;
    this.sentenceHandler = sentenceHandler;
  }

  public SentenceParser errorHandler(Handler<ProtocolException> handler) {
    this.errorHandler = handler;
    return this;
  }

  public boolean failed() {
    return state == State.FAILED;
  }

  /**
   * Bytes this parser currently holds for an incomplete sentence: the unconsumed input plus the bytes of the
   * words already decoded. Never more than {@code maxSentenceBytes + 4} (an incomplete length prefix), whatever
   * the input.
   */
  public long bufferedBytes() {
    // In WORD state the current word is already counted in sentenceBytes and partly held in pending.
    long decoded = state == State.WORD ? sentenceBytes - wordLength : sentenceBytes;
    return pending.length() + decoded;
  }

  @Override
  public void handle(Buffer chunk) {
    if (state == State.FAILED) {
      return;
    }
    pending.appendBuffer(chunk);
    int pos = 0;
    int available = pending.length();
    while (state != State.FAILED) {
      if (state == State.LENGTH) {
        if (pos >= available) {
          break;
        }
        int first = pending.getUnsignedByte(pos);
        int prefixBytes = prefixBytes(first);
        if (prefixBytes < 0) {
          fail(new ProtocolException(ProtocolException.Kind.CONTROL_BYTE,
              String.format("reserved control byte 0x%02X", first)));
          break;
        }
        if (available - pos < prefixBytes) {
          break; // incomplete prefix: wait for more input
        }
        long length = readLength(pending, pos, prefixBytes);
        pos += prefixBytes;
        if (length == 0) {
          endSentence();
          continue;
        }
        if (!admit(length)) {
          break;
        }
        wordLength = (int) length;
        state = State.WORD;
      } else {
        if (available - pos < wordLength) {
          break; // incomplete word
        }
        words.add(pending.getString(pos, pos + wordLength, StandardCharsets.UTF_8.name()));
        pos += wordLength;
        state = State.LENGTH;
      }
    }
    if (state == State.FAILED) {
      pending = Buffer.buffer();
    } else if (pos > 0) {
      pending = pos == available ? Buffer.buffer() : pending.getBuffer(pos, available);
    }
  }

  /** Checks a word of {@code length} bytes against the limits before any of it is buffered. */
  private boolean admit(long length) {
    if (length > limits.maxWordBytes()) {
      fail(new ProtocolException(ProtocolException.Kind.WORD_TOO_LONG,
          "word of " + length + " bytes exceeds the limit of " + limits.maxWordBytes()));
      return false;
    }
    if (sentenceBytes + length > limits.maxSentenceBytes()) {
      fail(new ProtocolException(ProtocolException.Kind.SENTENCE_TOO_LONG,
          "sentence exceeds the limit of " + limits.maxSentenceBytes() + " bytes"));
      return false;
    }
    if (words.size() + 1 > limits.maxWordsPerSentence()) {
      fail(new ProtocolException(ProtocolException.Kind.TOO_MANY_WORDS,
          "sentence exceeds the limit of " + limits.maxWordsPerSentence() + " words"));
      return false;
    }
    sentenceBytes += length;
    return true;
  }

  private void endSentence() {
    if (words.isEmpty()) {
      return; // an empty sentence is ignored
    }
    Sentence s = Sentence.of(words);
    words.clear();
    sentenceBytes = 0;
    sentenceHandler.handle(s);
  }

  private void fail(ProtocolException e) {
    state = State.FAILED;
    words.clear();
    sentenceBytes = 0;
    errorHandler.handle(e);
  }

  /** Number of bytes in the prefix that starts with {@code first}, or -1 for a control byte. */
  static int prefixBytes(int first) {
    if (first < ProtocolConstants.TWO_BYTE_MARK) {
      return 1;
    } else if (first < ProtocolConstants.THREE_BYTE_MARK) {
      return 2;
    } else if (first < ProtocolConstants.FOUR_BYTE_MARK) {
      return 3;
    } else if (first < ProtocolConstants.FIVE_BYTE_MARK) {
      return 4;
    } else if (first < ProtocolConstants.FIRST_CONTROL_BYTE) {
      return 5;
    }
    return -1;
  }

  static long readLength(Buffer b, int pos, int prefixBytes) {
    switch (prefixBytes) {
      case 1:
        return b.getUnsignedByte(pos);
      case 2:
        return b.getUnsignedShort(pos) & 0x3FFF;
      case 3:
        return ((long) b.getUnsignedByte(pos) << 16 | b.getUnsignedShort(pos + 1)) & 0x1FFFFF;
      case 4:
        return b.getUnsignedInt(pos) & 0xFFFFFFF;
      default:
        return b.getUnsignedInt(pos + 1);
    }
  }
}
