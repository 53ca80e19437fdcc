package controlplane.harness.bench;

import static controlplane.harness.CommandLineRun.parsed;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class SoakCommandTest {

  @Test
  void withoutOptionsTheSoakIsAThousandSitesAt64InFlightForFiveMinutes() {
    SoakOptions o = parsed(new SoakCommand()).options();

    assertThat(o).isEqualTo(SoakOptions.defaults());
    assertThat(o.out()).isEqualTo(Path.of("target", "soak"));
    assertThat(o.sites()).isEqualTo(1000);
    assertThat(o.concurrency()).isEqualTo(64);
    assertThat(o.minutes()).isEqualTo(5.0);
    assertThat(o.sampleSeconds()).isEqualTo(10);
  }

  @Test
  void theDocumentedCommandLineChangesWhatItNamesOnly() {
    SoakOptions o = parsed(new SoakCommand(), "--minutes", "0.5", "--sites", "500", "--concurrency", "32",
        "--service-jvm-options", "-Xmx256m").options();

    assertThat(o).usingRecursiveComparison().ignoringFields("minutes", "sites", "concurrency", "serviceJvmOptions")
        .isEqualTo(SoakOptions.defaults());
    assertThat(o.minutes()).isEqualTo(0.5);
    assertThat(o.sites()).isEqualTo(500);
    assertThat(o.concurrency()).isEqualTo(32);
    assertThat(o.serviceJvmOptions()).containsExactly("-Xmx256m");
  }
}
