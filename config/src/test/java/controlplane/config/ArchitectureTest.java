package controlplane.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** Rules of the modules' production code, read from the source trees {@code *}{@code /src/main/java}. */
class ArchitectureTest {

  private static final Path ROOT = Path.of("").toAbsolutePath().getParent();
  private static final Pattern HALT = Pattern.compile("Runtime\\s*\\.\\s*getRuntime\\s*\\(\\s*\\)\\s*\\.\\s*halt\\b");
  private static final Pattern FAILPOINT_TYPE =
      Pattern.compile("\\b(?:class|interface|enum|record)\\s+(\\w*Failpoint\\w*)", Pattern.CASE_INSENSITIVE);
  private static final Pattern CORE_REFERENCE = Pattern.compile("\\bcontrolplane\\.core\\.(?!bus\\.)[\\w.]*");

  @Test
  @DisplayName("the scan sees every module's main tree")
  void everyModuleIsScanned() {
    assertThat(mainTrees()).extracting(tree -> ROOT.relativize(tree).getName(0).toString())
        .contains("core", "device", "simulator", "http", "config", "harness");
  }

  @Test
  @DisplayName("no production code halts the JVM (Runtime.getRuntime().halt skips the shutdown that settles work)")
  void noHalt() {
    assertThat(matches(mainTrees(), HALT)).isEmpty();
  }

  @Test
  @DisplayName("no failpoint ships: no class named *Failpoint* in any main tree")
  void noFailpoint() {
    List<String> found = new ArrayList<>(matches(mainTrees(), FAILPOINT_TYPE));
    for (Path tree : mainTrees()) {
      javaFiles(tree).filter(f -> f.getFileName().toString().toLowerCase().contains("failpoint"))
          .forEach(f -> found.add(ROOT.relativize(f).toString()));
    }
    assertThat(found).isEmpty();
  }

  @Test
  @DisplayName("device and http know of core only its event-bus contract, controlplane.core.bus")
  void deviceAndHttpUseOnlyTheBusOfCore() {
    List<Path> trees = Stream.of("device", "http").map(m -> ROOT.resolve(m).resolve("src/main/java")).toList();
    assertThat(trees).allMatch(Files::isDirectory);
    assertThat(matches(trees, CORE_REFERENCE)).isEmpty();
  }

  private static List<Path> mainTrees() {
    try (Stream<Path> modules = Files.list(ROOT)) {
      return modules.map(m -> m.resolve("src/main/java")).filter(Files::isDirectory).sorted().toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static Stream<Path> javaFiles(Path tree) {
    try (Stream<Path> files = Files.walk(tree)) {
      return files.filter(f -> f.toString().endsWith(".java")).toList().stream();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Every match of {@code pattern} in the trees' Java files, as {@code file:line: match}. */
  private static List<String> matches(List<Path> trees, Pattern pattern) {
    List<String> found = new ArrayList<>();
    for (Path tree : trees) {
      javaFiles(tree).forEach(file -> {
        try {
          List<String> lines = Files.readAllLines(file);
          for (int i = 0; i < lines.size(); i++) {
            Matcher m = pattern.matcher(lines.get(i));
            while (m.find()) {
              found.add(ROOT.relativize(file) + ":" + (i + 1) + ": " + m.group());
            }
          }
        } catch (IOException e) {
          throw new UncheckedIOException(e);
        }
      });
    }
    return found;
  }
}
