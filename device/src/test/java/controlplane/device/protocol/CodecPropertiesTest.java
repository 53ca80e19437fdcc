package controlplane.device.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.buffer.Buffer;
import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;

class CodecPropertiesTest {

  @Property(tries = 300)
  void randomSentencesRoundTripUnderRandomSplits(@ForAll("sentences") List<List<String>> input,
      @ForAll @Size(max = 40) List<@IntRange(min = 1, max = 700) Integer> cuts) {
    Buffer stream = Buffer.buffer();
    for (List<String> words : input) {
      stream.appendBuffer(SentenceEncoder.encode(words));
    }
    List<Sentence> out = new ArrayList<>();
    List<ProtocolException> errors = new ArrayList<>();
    SentenceParser parser = new SentenceParser(ParserLimits.DEFAULT, out::add).errorHandler(errors::add);
    feedSplit(parser, stream, cuts);

    assertThat(errors).isEmpty();
    assertThat(out).extracting(Sentence::words).containsExactlyElementsOf(input);
    assertThat(parser.bufferedBytes()).isZero();
  }

  @Property(tries = 500)
  void garbageNeverThrowsNorOverBuffers(@ForAll @Size(max = 3000) byte[] garbage,
      @ForAll @Size(max = 40) List<@IntRange(min = 1, max = 300) Integer> cuts,
      @ForAll @IntRange(min = 1, max = 200) int maxWord,
      @ForAll @IntRange(min = 1, max = 600) int maxSentence,
      @ForAll @IntRange(min = 1, max = 20) int maxWords) {
    ParserLimits limits = new ParserLimits(maxWord, maxSentence, maxWords);
    List<Sentence> out = new ArrayList<>();
    List<ProtocolException> errors = new ArrayList<>();
    SentenceParser parser = new SentenceParser(limits, out::add).errorHandler(errors::add);
    Buffer stream = Buffer.buffer(garbage);
    int pos = 0;
    int i = 0;
    while (pos < stream.length()) {
      int end = Math.min(stream.length(), pos + (cuts.isEmpty() ? stream.length() : cuts.get(i++ % cuts.size())));
      parser.handle(stream.getBuffer(pos, end));
      pos = end;
      assertThat(parser.bufferedBytes()).isLessThanOrEqualTo(maxSentence + 4L);
    }
    assertThat(errors).hasSizeLessThanOrEqualTo(1);
    for (Sentence s : out) {
      assertThat(s.words()).hasSizeLessThanOrEqualTo(maxWords);
      assertThat(s.words()).allSatisfy(w -> assertThat(w).isNotEmpty());
    }
  }

  @Provide
  Arbitrary<List<List<String>>> sentences() {
    // Any character but unpaired surrogates, which no UTF-8 peer can send.
    Arbitrary<String> shortWord = Arbitraries.strings().withCharRange('\u0000', '\uD7FF')
        .withCharRange('\uE000', '\uFFFF').ofMinLength(1).ofMaxLength(40);
    Arbitrary<String> longWord = Arbitraries.strings().withCharRange('a', 'z').ofMinLength(120).ofMaxLength(20_000);
    Arbitrary<String> word = Arbitraries.frequencyOf(Tuple.of(20, shortWord), Tuple.of(1, longWord));
    Arbitrary<List<String>> sentence = word.list().ofMinSize(1).ofMaxSize(12);
    return sentence.list().ofMinSize(1).ofMaxSize(6);
  }

  private static void feedSplit(SentenceParser parser, Buffer stream, List<Integer> cuts) {
    int pos = 0;
    int i = 0;
    while (pos < stream.length()) {
      int step = cuts.isEmpty() ? stream.length() : cuts.get(i++ % cuts.size());
      int end = Math.min(stream.length(), pos + step);
      parser.handle(stream.getBuffer(pos, end));
      pos = end;
    }
  }
}
