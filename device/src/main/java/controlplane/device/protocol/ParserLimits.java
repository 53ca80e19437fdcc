package controlplane.device.protocol;

/**
 * Bounds on what a {@link SentenceParser} accepts, so that a hostile peer cannot make it allocate more than
 * {@code maxSentenceBytes} (plus one length prefix) however it frames its input.
 *
 * @param maxWordBytes largest single word, in bytes
 * @param maxSentenceBytes largest sentence, the sum of its words' bytes
 * @param maxWordsPerSentence most words in one sentence
 */
public record ParserLimits(int maxWordBytes, int maxSentenceBytes, int maxWordsPerSentence) {

  /** Generous for every reply a control plane reads (a full {@code /user/print} of a large router). */
  public static final ParserLimits DEFAULT = new ParserLimits(64 * 1024, 1024 * 1024, 4096);

  public ParserLimits {
    if (maxWordBytes <= 0 || maxSentenceBytes <= 0 || maxWordsPerSentence <= 0) {
      throw new IllegalArgumentException("limits must be positive");
    }
  }
}
