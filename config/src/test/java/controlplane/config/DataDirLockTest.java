package controlplane.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DataDirLockTest {

  /** Takes the lock in a child JVM and holds it until killed. */
  public static void main(String[] args) throws Exception {
    DataDirLock.acquire(Path.of(args[0]));
    System.out.println("locked");
    System.out.flush();
    Thread.sleep(60_000);
  }

  @Test
  @DisplayName("a second process cannot take a data directory another process holds, and is told its pid; "
      + "SIGKILL releases it")
  void exclusiveAcrossProcesses(@TempDir Path dir) throws Exception {
    Process holder = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-cp", System.getProperty("java.class.path"), DataDirLockTest.class.getName(), dir.toString())
        .redirectErrorStream(true).start();
    try {
      assertThat(new String(holder.getInputStream().readNBytes(6))).isEqualTo("locked");
      assertThatThrownBy(() -> DataDirLock.acquire(dir)).isInstanceOf(DataDirLock.InUseException.class)
          .hasMessage("the data directory " + dir + " is in use by another control-plane process (pid "
              + holder.pid() + "); stop it or use another dataDir");
    } finally {
      holder.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
    }
    try (DataDirLock lock = DataDirLock.acquire(dir)) {
      assertThat(List.of(dir.toFile().list())).contains(DataDirLock.FILE);
    }
  }
}
