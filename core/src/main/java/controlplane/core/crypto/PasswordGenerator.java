package controlplane.core.crypto;

import java.security.SecureRandom;

/**
 * New router passwords from a {@link SecureRandom}: letters, digits and {@code -_.@%+=}, characters every common
 * client and the RouterOS API carry without quoting. Each generated password holds at least one lower-case letter,
 * one upper-case letter, one digit and one symbol.
 */
public final class PasswordGenerator {

  public static final String LOWER = "abcdefghijklmnopqrstuvwxyz";
  public static final String UPPER = "ABCDEFGHIJKLMNOPQRSTUVWXYZ";
  public static final String DIGITS = "0123456789";
  public static final String SYMBOLS = "-_.@%+=";
  /** Every character a generated password may contain. */
  public static final String ALPHABET = LOWER + UPPER + DIGITS + SYMBOLS;
  /** The shortest length that still fits one character of each class. */
  public static final int MIN_LENGTH = 8;

  private final SecureRandom random;
  private final int length;

  /** @param length characters per password, at least {@link #MIN_LENGTH} */
  public PasswordGenerator(int length) {
    this(length, new SecureRandom());
  }

  PasswordGenerator(int length, SecureRandom random) {
    if (length < MIN_LENGTH || length > 256) {
      throw new IllegalArgumentException("rotation.passwordLength must be between " + MIN_LENGTH + " and 256");
    }
    this.length = length;
    this.random = random;
  }

  /** A fresh password. */
  public String generate() {
    RandomBytes r = new RandomBytes(random, 2 * length);
    char[] out = new char[length];
    out[0] = pick(LOWER, r);
    out[1] = pick(UPPER, r);
    out[2] = pick(DIGITS, r);
    out[3] = pick(SYMBOLS, r);
    for (int i = 4; i < length; i++) {
      out[i] = pick(ALPHABET, r);
    }
    // Fisher-Yates, so the guaranteed classes are not always at the front.
    for (int i = length - 1; i > 0; i--) {
      int j = r.below(i + 1);
      char t = out[i];
      out[i] = out[j];
      out[j] = t;
    }
    return new String(out);
  }

  private static char pick(String from, RandomBytes r) {
    return from.charAt(r.below(from.length()));
  }

  /**
   * The password's randomness, drawn from the {@link SecureRandom} a buffer at a time: one call per character cost a
   * lock and a digest each (the rotation path's profile).
   */
  static final class RandomBytes {

    private final SecureRandom random;
    private final byte[] buffer;
    private int next;

    RandomBytes(SecureRandom random, int size) {
      this.random = random;
      this.buffer = new byte[size];
      this.next = size;
    }

    /** Uniform in [0, bound), bound at most 256: a byte at or above the largest multiple of bound is drawn again. */
    int below(int bound) {
      int limit = 256 - 256 % bound;
      while (true) {
        if (next == buffer.length) {
          random.nextBytes(buffer);
          next = 0;
        }
        int b = buffer[next++] & 0xff;
        if (b < limit) {
          return b % bound;
        }
      }
    }
  }
}
