package controlplane.device.protocol;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One API sentence: a command or reply word followed by attribute, API-attribute and query words.
 * Immutable; words are kept exactly as received.
 */
public final class Sentence {

  private final List<String> words;

  private Sentence(List<String> words) {
    this.words = words;
  }

  public static Sentence of(List<String> words) {
    if (words.isEmpty()) {
      throw new IllegalArgumentException("a sentence has at least one word");
    }
    return new Sentence(List.copyOf(words));
  }

  public static Sentence of(String... words) {
    return of(List.of(words));
  }

  public List<String> words() {
    return words;
  }

  /** The first word: a command such as {@code /user/print} or a reply such as {@code !done}. */
  public String head() {
    return words.get(0);
  }

  /**
   * Value of attribute {@code name}, or null: the word {@code =name=value}, or for a name starting with a dot also
   * the API-attribute form {@code .name=value} (so {@code attribute(".id")} finds {@code =.id=*1} and
   * {@code attribute(".tag")} finds {@code .tag=3}). The value is everything after the first {@code =} that
   * follows the name.
   */
  public String attribute(String name) {
    String attributePrefix = "=" + name + "=";
    String apiPrefix = name.startsWith(".") ? name + "=" : null;
    for (int i = 1; i < words.size(); i++) {
      String w = words.get(i);
      if (w.startsWith(attributePrefix)) {
        return w.substring(attributePrefix.length());
      }
      if (apiPrefix != null && w.startsWith(apiPrefix)) {
        return w.substring(apiPrefix.length());
      }
    }
    return null;
  }

  /** The {@code .tag} API attribute, or null when the sentence carries none. */
  public String tag() {
    return attribute(ProtocolConstants.TAG);
  }

  /** Every {@code =name=value} attribute in order (API attributes such as {@code .tag} excluded). */
  public Map<String, String> attributes() {
    Map<String, String> out = new LinkedHashMap<>();
    for (int i = 1; i < words.size(); i++) {
      String w = words.get(i);
      if (w.length() > 1 && w.charAt(0) == '=') {
        int eq = w.indexOf('=', 1);
        if (eq < 0) {
          out.put(w.substring(1), "");
        } else {
          out.put(w.substring(1, eq), w.substring(eq + 1));
        }
      }
    }
    return Collections.unmodifiableMap(out);
  }

  /** Query words ({@code ?...}) in order: their order is significant. */
  public List<String> queries() {
    List<String> out = new ArrayList<>();
    for (int i = 1; i < words.size(); i++) {
      if (words.get(i).startsWith("?")) {
        out.add(words.get(i));
      }
    }
    return out;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Sentence s && s.words.equals(words);
  }

  @Override
  public int hashCode() {
    return words.hashCode();
  }

  /** Redacts attribute values that may be secrets, so a sentence can be logged. */
  @Override
  public String toString() {
    StringBuilder sb = new StringBuilder();
    for (String w : words) {
      if (sb.length() > 0) {
        sb.append(' ');
      }
      if (w.startsWith("=password=") || w.startsWith("=new-password=") || w.startsWith("=old-password=")
          || w.startsWith("=confirm-new-password=") || w.startsWith("=response=")) {
        sb.append(w, 0, w.indexOf('=', 1) + 1).append("***");
      } else {
        sb.append(w);
      }
    }
    return sb.toString();
  }
}
