package controlplane.device.protocol;

import io.vertx.core.buffer.Buffer;
import java.nio.charset.StandardCharsets;
import java.util.List;

/** Encodes words and sentences; lengths count UTF-8 bytes and always use the shortest form. */
public final class SentenceEncoder {

  private SentenceEncoder() {
  }

  /** Appends the length prefix of {@code length} bytes to {@code out}. */
  public static Buffer appendLength(Buffer out, long length) {
    if (length < 0 || length > 0xFFFFFFFFL) {
      throw new IllegalArgumentException("length out of range: " + length);
    }
    if (length <= ProtocolConstants.MAX_ONE_BYTE) {
      out.appendByte((byte) length);
    } else if (length <= ProtocolConstants.MAX_TWO_BYTE) {
      out.appendShort((short) (length | 0x8000));
    } else if (length <= ProtocolConstants.MAX_THREE_BYTE) {
      long v = length | 0xC00000;
      out.appendByte((byte) (v >>> 16)).appendShort((short) v);
    } else if (length <= ProtocolConstants.MAX_FOUR_BYTE) {
      out.appendInt((int) (length | 0xE0000000L));
    } else {
      out.appendByte((byte) ProtocolConstants.FIVE_BYTE_MARK).appendInt((int) length);
    }
    return out;
  }

  public static Buffer appendWord(Buffer out, String word) {
    byte[] bytes = word.getBytes(StandardCharsets.UTF_8);
    appendLength(out, bytes.length);
    return out.appendBytes(bytes);
  }

  /** The words followed by the terminating zero-length word. */
  public static Buffer encode(List<String> words) {
    Buffer out = Buffer.buffer(64);
    for (String w : words) {
      appendWord(out, w);
    }
    return out.appendByte((byte) 0);
  }

  public static Buffer encode(Sentence sentence) {
    return encode(sentence.words());
  }
}
