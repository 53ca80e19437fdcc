package controlplane.device.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.buffer.Buffer;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class SentenceParserTest {

  private final List<Sentence> sentences = new ArrayList<>();
  private final List<ProtocolException> errors = new ArrayList<>();

  private SentenceParser parser(ParserLimits limits) {
    return new SentenceParser(limits, sentences::add).errorHandler(errors::add);
  }

  @Test
  @DisplayName("every length vector of ROUTEROS-API.md decodes to its length")
  void lengthVectors() {
    for (CodecVectors.Vector v : CodecVectors.LENGTHS) {
      Buffer prefix = v.prefix();
      int bytes = SentenceParser.prefixBytes(prefix.getUnsignedByte(0));
      assertThat(bytes).as("prefix bytes of %s", v.hex()).isEqualTo(prefix.length());
      assertThat(SentenceParser.readLength(prefix, 0, bytes)).as("length of %s", v.hex()).isEqualTo(v.length());
    }
  }

  @Test
  @DisplayName("words of every length class up to 0x200000 decode whole, from the documented prefixes")
  void wordsOfEveryClass() {
    SentenceParser p = parser(new ParserLimits(0x300000, 0x1000000, 16));
    List<Integer> lengths = new ArrayList<>();
    for (CodecVectors.Vector v : CodecVectors.LENGTHS) {
      if (v.length() > 0 && v.length() <= 0x200000) {
        Buffer in = v.prefix().appendBytes(filled((int) v.length())).appendByte((byte) 0);
        p.handle(in);
        lengths.add((int) v.length());
      }
    }
    assertThat(errors).isEmpty();
    assertThat(sentences).extracting(s -> s.head().length()).containsExactlyElementsOf(lengths);
  }

  @Test
  @DisplayName("the documented /login bytes decode to /login =name=admin =password=")
  void loginVector() {
    parser(ParserLimits.DEFAULT).handle(CodecVectors.hex(CodecVectors.LOGIN_HEX));
    assertThat(errors).isEmpty();
    assertThat(sentences).containsExactly(Sentence.of("/login", "=name=admin", "=password="));
    assertThat(sentences.get(0).attribute("password")).isEmpty();
  }

  @Test
  @DisplayName("non-minimal length encodings are accepted in every class")
  void nonMinimal() {
    SentenceParser p = parser(ParserLimits.DEFAULT);
    p.handle(CodecVectors.hex("8003 !re".replace("!re", "217265")));
    p.handle(CodecVectors.hex("c00003 217265"));
    p.handle(CodecVectors.hex("e0000003 217265"));
    p.handle(CodecVectors.hex("f000000003 217265 00"));
    assertThat(errors).isEmpty();
    assertThat(sentences).containsExactly(Sentence.of("!re", "!re", "!re", "!re"));
  }

  @Test
  @DisplayName("a word of 0x20000 bytes sent in four-byte form, as one Java client does, is accepted")
  void fourByteFormOfMediumWord() {
    parser(new ParserLimits(0x30000, 0x40000, 4))
        .handle(CodecVectors.hex("e0020000").appendBytes(filled(0x20000)).appendByte((byte) 0));
    assertThat(errors).isEmpty();
    assertThat(sentences).hasSize(1);
    assertThat(sentences.get(0).head()).hasSize(0x20000);
  }

  @ParameterizedTest(name = "control byte 0x{0}")
  @ValueSource(strings = {"f8", "f9", "fa", "fb", "fc", "fd", "fe", "ff"})
  @DisplayName("a first byte >= 0xF8 is a protocol error, and later input is ignored")
  void controlBytes(String hex) {
    SentenceParser p = parser(ParserLimits.DEFAULT);
    p.handle(CodecVectors.hex("03217265 " + hex + " 00"));
    p.handle(CodecVectors.hex("05216461 6e6500"));
    assertThat(errors).singleElement().extracting(ProtocolException::kind)
        .isEqualTo(ProtocolException.Kind.CONTROL_BYTE);
    assertThat(p.failed()).isTrue();
    assertThat(sentences).isEmpty();
    assertThat(p.bufferedBytes()).isZero();
  }

  @Test
  @DisplayName("a control byte inside a word is data, not an error")
  void controlByteAsData() {
    parser(ParserLimits.DEFAULT).handle(CodecVectors.hex("02 f8ff 00"));
    assertThat(errors).isEmpty();
    assertThat(sentences).hasSize(1);
  }

  @Test
  @DisplayName("input fed one byte at a time yields the same sentences as input fed whole")
  void byteAtATime() {
    Buffer whole = SentenceEncoder.encode(List.of("!re", ".tag=7", "=name=" + "x".repeat(200), "=comment=ünï"))
        .appendBuffer(SentenceEncoder.encode(List.of("!done", ".tag=7")))
        .appendBuffer(CodecVectors.hex(CodecVectors.LOGIN_HEX));
    SentenceParser p = parser(ParserLimits.DEFAULT);
    for (int i = 0; i < whole.length(); i++) {
      p.handle(whole.getBuffer(i, i + 1));
    }
    assertThat(errors).isEmpty();
    assertThat(sentences).containsExactly(
        Sentence.of("!re", ".tag=7", "=name=" + "x".repeat(200), "=comment=ünï"),
        Sentence.of("!done", ".tag=7"),
        Sentence.of("/login", "=name=admin", "=password="));
  }

  @Test
  @DisplayName("nothing is emitted before the terminating zero-length word, and empty sentences are ignored")
  void terminatorAndEmptySentences() {
    SentenceParser p = parser(ParserLimits.DEFAULT);
    p.handle(CodecVectors.hex("00 00 05 21646f6e65"));
    assertThat(sentences).isEmpty();
    p.handle(CodecVectors.hex("00 00"));
    assertThat(sentences).containsExactly(Sentence.of("!done"));
  }

  @Test
  @DisplayName("a 1 GiB length prefix is rejected as soon as the prefix is read, holding nothing")
  void oneGibPrefix() {
    SentenceParser p = parser(ParserLimits.DEFAULT);
    p.handle(CodecVectors.hex("f040000000"));
    assertThat(errors).singleElement().extracting(ProtocolException::kind)
        .isEqualTo(ProtocolException.Kind.WORD_TOO_LONG);
    assertThat(p.bufferedBytes()).isZero();
  }

  @Test
  @DisplayName("a 4 GiB length prefix and a 256 MiB four-byte prefix are rejected at once")
  void hugePrefixes() {
    SentenceParser p = parser(ParserLimits.DEFAULT);
    p.handle(CodecVectors.hex("f0ffffffff"));
    SentenceParser q = parser(ParserLimits.DEFAULT);
    q.handle(CodecVectors.hex("efffffff"));
    assertThat(errors).extracting(ProtocolException::kind)
        .containsExactly(ProtocolException.Kind.WORD_TOO_LONG, ProtocolException.Kind.WORD_TOO_LONG);
    assertThat(p.bufferedBytes()).isZero();
    assertThat(q.bufferedBytes()).isZero();
  }

  @Test
  @DisplayName("a sentence whose words together exceed maxSentenceBytes is rejected")
  void sentenceLimit() {
    SentenceParser p = parser(new ParserLimits(100, 150, 100));
    for (int i = 0; i < 3; i++) {
      p.handle(SentenceEncoder.appendWord(Buffer.buffer(), "y".repeat(60)));
    }
    assertThat(errors).singleElement().extracting(ProtocolException::kind)
        .isEqualTo(ProtocolException.Kind.SENTENCE_TOO_LONG);
    assertThat(sentences).isEmpty();
  }

  @Test
  @DisplayName("a sentence with more than maxWordsPerSentence words is rejected")
  void wordCountLimit() {
    SentenceParser p = parser(new ParserLimits(100, 10_000, 3));
    p.handle(SentenceEncoder.encode(List.of("a", "b", "c")));
    p.handle(SentenceEncoder.encode(List.of("a", "b", "c", "d")));
    assertThat(sentences).hasSize(1);
    assertThat(errors).singleElement().extracting(ProtocolException::kind)
        .isEqualTo(ProtocolException.Kind.TOO_MANY_WORDS);
  }

  @Test
  @DisplayName("a word exactly at maxWordBytes is accepted, one byte more is not")
  void wordLimitBoundary() {
    SentenceParser p = parser(new ParserLimits(10, 100, 10));
    p.handle(SentenceEncoder.encode(List.of("z".repeat(10))));
    p.handle(SentenceEncoder.encode(List.of("z".repeat(11))));
    assertThat(sentences).hasSize(1);
    assertThat(errors).singleElement().extracting(ProtocolException::kind)
        .isEqualTo(ProtocolException.Kind.WORD_TOO_LONG);
  }

  private static byte[] filled(int n) {
    byte[] b = new byte[n];
    java.util.Arrays.fill(b, (byte) 'a');
    return b;
  }
}
