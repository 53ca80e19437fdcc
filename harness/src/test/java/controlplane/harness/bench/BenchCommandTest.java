package controlplane.harness.bench;

import static controlplane.harness.CommandLineRun.parsed;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class BenchCommandTest {

  @Test
  void withoutOptionsTheRunMeasuresTheIssuesFigures() {
    BenchOptions o = parsed(new BenchCommand()).options();

    assertThat(o).isEqualTo(BenchOptions.defaults());
    assertThat(o.out()).isEqualTo(Path.of("target", "bench"));
    assertThat(o.sites()).isEqualTo(1000);
    assertThat(o.fleet()).isEqualTo(10_000);
    assertThat(o.concurrency()).containsExactly(64, 256);
    assertThat(o.jfr()).isTrue();
    assertThat(o.serviceJvmOptions()).isEmpty();
  }

  @Test
  void theDocumentedCommandLineChangesWhatItNamesOnly() {
    BenchOptions o = parsed(new BenchCommand(), "--fleet", "2000", "--jfr", "false", "--rotations", "5000").options();

    assertThat(o).usingRecursiveComparison().ignoringFields("fleet", "jfr", "rotations")
        .isEqualTo(BenchOptions.defaults());
    assertThat(o.fleet()).isEqualTo(2000);
    assertThat(o.jfr()).isFalse();
    assertThat(o.rotations()).isEqualTo(5000);
  }

  @Test
  void theScriptComparisonIsWarmedUpUnlessToldOtherwise() {
    BenchOptions o = parsed(new BenchCommand(), "--script-rounds", "1", "--script-warmup", "0").options();

    assertThat(BenchOptions.defaults().scriptWarmup()).isEqualTo(40_000);
    assertThat(o.scriptRounds()).isEqualTo(1);
    assertThat(o.scriptWarmup()).isZero();
  }

  @Test
  void aSmallFleetTakesTheSitesDownWithItAndManySitesTakeTheFleetUp() {
    BenchOptions small = parsed(new BenchCommand(), "--fleet", "50").options();
    BenchOptions many = parsed(new BenchCommand(), "--sites", "20000").options();

    assertThat(small.sites()).isEqualTo(50);
    assertThat(small.fleet()).isEqualTo(50);
    assertThat(many.sites()).isEqualTo(20_000);
    assertThat(many.fleet()).isEqualTo(20_000);
  }

  @Test
  void listsAreSplitAndBothOptionFormsAreRead() {
    BenchOptions o = parsed(new BenchCommand(), "--concurrency", "8, 16", "--service-jvm-options",
        " -Xmx256m  -XX:+UseSerialGC", "--out=/tmp/bench-x").options();

    assertThat(o.concurrency()).containsExactly(8, 16);
    assertThat(o.serviceJvmOptions()).containsExactly("-Xmx256m", "-XX:+UseSerialGC");
    assertThat(o.out()).isEqualTo(Path.of("/tmp/bench-x"));
  }
}
