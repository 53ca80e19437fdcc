package controlplane.device.protocol;

import io.vertx.core.buffer.Buffer;
import java.util.HexFormat;
import java.util.List;

/** The length vectors of ROUTEROS-API.md, shared by the encoder and parser tests. */
final class CodecVectors {

  record Vector(long length, String hex) {
    Buffer prefix() {
      return Buffer.buffer(HexFormat.of().parseHex(hex));
    }
  }

  static final List<Vector> LENGTHS = List.of(
      new Vector(0, "00"),
      new Vector(1, "01"),
      new Vector(0x7F, "7f"),
      new Vector(0x80, "8080"),
      new Vector(0x3FFF, "bfff"),
      new Vector(0x4000, "c04000"),
      new Vector(0x1FFFFF, "dfffff"),
      new Vector(0x200000, "e0200000"),
      new Vector(0xFFFFFFF, "efffffff"),
      new Vector(0x10000000L, "f010000000"),
      new Vector(300, "812c"),
      new Vector(17000, "c04268"));

  static final String LOGIN_HEX = "062f6c6f67696e0b3d6e616d653d61646d696e0a3d70617373776f72643d00";

  static Buffer hex(String hex) {
    return Buffer.buffer(HexFormat.of().parseHex(hex.replace(" ", "")));
  }

  static String hex(Buffer b) {
    return HexFormat.of().formatHex(b.getBytes());
  }

  private CodecVectors() {
  }
}
