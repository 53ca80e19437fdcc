package controlplane.device.client;

/**
 * Text a router supplies (trap and {@code !fatal} messages, words quoted in a protocol error), made safe for a log,
 * an error body and the audit: every control or format character (CR, LF, TAB, ESC, DEL, C1 controls, bidi
 * overrides, line and paragraph separators, a lone surrogate) becomes {@code ?}, and at most {@value #MAX_CHARS}
 * characters (code points) are kept, the last of them an ellipsis ({@code …}) when the text was cut.
 */
public final class RouterText {

  public static final int MAX_CHARS = 200;
  static final int ELLIPSIS = '\u2026';
  private static final int REPLACEMENT = '?';

  private RouterText() {
  }

  /** The printable, bounded form of {@code text}; empty for null. */
  public static String printable(String text) {
    if (text == null) {
      return "";
    }
    boolean cut = text.codePointCount(0, text.length()) > MAX_CHARS;
    int keep = cut ? MAX_CHARS - 1 : MAX_CHARS;
    StringBuilder out = new StringBuilder(Math.min(text.length(), MAX_CHARS + 1));
    for (int i = 0, kept = 0; i < text.length() && kept < keep; kept++) {
      int cp = text.codePointAt(i);
      i += Character.charCount(cp);
      out.appendCodePoint(safe(cp) ? cp : REPLACEMENT);
    }
    if (cut) {
      out.appendCodePoint(ELLIPSIS);
    }
    return out.toString();
  }

  private static boolean safe(int codePoint) {
    return switch (Character.getType(codePoint)) {
      case Character.CONTROL, Character.FORMAT, Character.LINE_SEPARATOR, Character.PARAGRAPH_SEPARATOR,
           Character.SURROGATE -> false;
      default -> true;
    };
  }
}
