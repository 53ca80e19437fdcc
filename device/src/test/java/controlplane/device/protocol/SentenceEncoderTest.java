package controlplane.device.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vertx.core.buffer.Buffer;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class SentenceEncoderTest {

  @Test
  @DisplayName("every length vector of ROUTEROS-API.md encodes to its documented bytes")
  void lengthVectors() {
    for (CodecVectors.Vector v : CodecVectors.LENGTHS) {
      Buffer out = SentenceEncoder.appendLength(Buffer.buffer(), v.length());
      assertThat(CodecVectors.hex(out)).as("length %d", v.length()).isEqualTo(v.hex());
    }
  }

  @Test
  @DisplayName("/login =name=admin =password= encodes to the documented bytes")
  void loginVector() {
    Buffer out = SentenceEncoder.encode(Sentence.of("/login", "=name=admin", "=password="));
    assertThat(CodecVectors.hex(out)).isEqualTo(CodecVectors.LOGIN_HEX);
  }

  @Test
  @DisplayName("lengths count UTF-8 bytes, not characters")
  void utf8Lengths() {
    Buffer out = SentenceEncoder.encode(List.of("=comment=żółw€"));
    // 9 ASCII bytes + 3 two-byte letters + 1 one-byte letter + 3 bytes for the euro sign = 19
    assertThat((int) out.getUnsignedByte(0)).isEqualTo(19);
    assertThat(out.length()).isEqualTo(1 + 19 + 1);
  }

  @Test
  @DisplayName("a length outside 0..2^32-1 is refused")
  void outOfRange() {
    assertThatThrownBy(() -> SentenceEncoder.appendLength(Buffer.buffer(), -1))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> SentenceEncoder.appendLength(Buffer.buffer(), 0x1_0000_0000L))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
