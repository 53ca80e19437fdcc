package controlplane.device.protocol;

/** The peer broke the RouterOS API framing or exceeded a {@link ParserLimits} bound. */
public final class ProtocolException extends RuntimeException {

  /** What went wrong, for callers that classify errors. */
  public enum Kind { CONTROL_BYTE, WORD_TOO_LONG, SENTENCE_TOO_LONG, TOO_MANY_WORDS }

  private final Kind kind;

  public ProtocolException(Kind kind, String message) {
    super(message, null, false, false);
    this.kind = kind;
  }

  public Kind kind() {
    return kind;
  }
}
