package controlplane.core.bench;

import controlplane.core.crypto.KeyRing;
import controlplane.core.crypto.PasswordGenerator;
import controlplane.core.crypto.Sealed;
import controlplane.core.crypto.Sealer;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Sealing (AES-256-GCM with the site/version/key binding) and opening a 32-character password, and generating one,
 * as a rotation does: one seal and one generate per rotation, up to three opens (current, previous, plus reads).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class SealingBenchmark {

  private Sealer sealer;
  private PasswordGenerator generator;
  private String password;
  private UUID siteId;
  private UUID versionId;
  private Sealed sealed;

  @Setup
  public void setUp() {
    byte[] key = new byte[32];
    new SecureRandom().nextBytes(key);
    sealer = new Sealer(KeyRing.of(Map.of("bench-1", Base64.getEncoder().encodeToString(key)), "bench-1"));
    generator = new PasswordGenerator(32);
    password = generator.generate();
    siteId = UUID.randomUUID();
    versionId = UUID.randomUUID();
    sealed = sealer.seal(password, siteId, versionId);
  }

  @Benchmark
  public Sealed seal() {
    return sealer.seal(password, siteId, versionId);
  }

  @Benchmark
  public String open() {
    return sealer.open(sealed, siteId, versionId);
  }

  @Benchmark
  public String generate() {
    return generator.generate();
  }
}
