package controlplane.device.protocol;

/** Bytes and words of the RouterOS API protocol. */
public final class ProtocolConstants {

  /** First bytes of each length class (most significant bits of the prefix). */
  public static final int TWO_BYTE_MARK = 0x80;
  public static final int THREE_BYTE_MARK = 0xC0;
  public static final int FOUR_BYTE_MARK = 0xE0;
  public static final int FIVE_BYTE_MARK = 0xF0;
  /** A first byte at or above this is a reserved control byte: a protocol error. */
  public static final int FIRST_CONTROL_BYTE = 0xF8;

  /** Largest length each class can carry. */
  public static final long MAX_ONE_BYTE = 0x7F;
  public static final long MAX_TWO_BYTE = 0x3FFF;
  public static final long MAX_THREE_BYTE = 0x1FFFFF;
  public static final long MAX_FOUR_BYTE = 0xFFFFFFF;

  public static final String REPLY_RE = "!re";
  public static final String REPLY_DONE = "!done";
  public static final String REPLY_TRAP = "!trap";
  public static final String REPLY_FATAL = "!fatal";
  public static final String REPLY_EMPTY = "!empty";

  public static final String TAG = ".tag";
  public static final String ID = ".id";
  public static final String PROPLIST = ".proplist";

  private ProtocolConstants() {
  }
}
