package controlplane.device.bench;

import controlplane.device.protocol.ParserLimits;
import controlplane.device.protocol.Sentence;
import controlplane.device.protocol.SentenceEncoder;
import controlplane.device.protocol.SentenceParser;
import io.vertx.core.buffer.Buffer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

/**
 * The RouterOS API codec: encoding and incremental decoding of a realistic reply stream (a {@code /user/print}
 * of {@link #ROWS} users, each {@code !re} with a dozen attributes, then {@code !done}). One operation is the whole
 * stream; {@link JmhMain} turns operations per second into MB/s with {@link #streamBytes()}.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class CodecBenchmark {

  static final int ROWS = 50;

  private List<Sentence> sentences;

  /** The encoded stream cut into the chunks the decoder is fed. */
  @State(Scope.Thread)
  public static class DecodeInput {
    /** Decoder input arrives in chunks of this size (a TCP segment), or whole when 0. */
    @Param({"1460", "0"})
    public int chunkBytes;

    Buffer[] chunks;

    @Setup
    public void setUp() {
      Buffer encoded = Buffer.buffer();
      for (Sentence s : replyStream()) {
        encoded.appendBuffer(SentenceEncoder.encode(s));
      }
      int size = chunkBytes <= 0 ? encoded.length() : chunkBytes;
      int n = (encoded.length() + size - 1) / size;
      chunks = new Buffer[n];
      for (int i = 0; i < n; i++) {
        chunks[i] = encoded.getBuffer(i * size, Math.min(encoded.length(), (i + 1) * size));
      }
    }
  }

  /** The reply stream the benchmarks encode and decode. */
  static List<Sentence> replyStream() {
    List<Sentence> out = new ArrayList<>(ROWS + 1);
    for (int i = 0; i < ROWS; i++) {
      out.add(Sentence.of("!re", "=.id=*" + Integer.toHexString(i + 1), "=name=user-" + i, "=group=full",
          "=address=100.64." + (i % 256) + ".0/24", "=last-logged-in=2025-10-28 05:00:0" + (i % 10),
          "=inactivity-timeout=10m", "=inactivity-policy=none", "=disabled=false", "=expired=false",
          "=comment=bench user " + i + " \u00e9\u00e8", ".tag=" + i));
    }
    out.add(Sentence.of("!done", ".tag=" + ROWS));
    return out;
  }

  /** Bytes of the encoded stream (one operation). */
  public static int streamBytes() {
    Buffer all = Buffer.buffer();
    for (Sentence s : replyStream()) {
      all.appendBuffer(SentenceEncoder.encode(s));
    }
    return all.length();
  }

  @Setup
  public void setUp() {
    sentences = replyStream();
  }

  @Benchmark
  public void encode(Blackhole bh) {
    for (Sentence s : sentences) {
      bh.consume(SentenceEncoder.encode(s));
    }
  }

  @Benchmark
  public void decode(DecodeInput in, Blackhole bh) {
    SentenceParser parser = new SentenceParser(ParserLimits.DEFAULT, bh::consume);
    for (Buffer chunk : in.chunks) {
      parser.handle(chunk);
    }
  }
}
