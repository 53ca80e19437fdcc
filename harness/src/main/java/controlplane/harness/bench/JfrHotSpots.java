package controlplane.harness.bench;

import java.io.IOException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedFrame;
import jdk.jfr.consumer.RecordedMethod;
import jdk.jfr.consumer.RecordingFile;

/**
 * The hot spots of a JFR recording (JDK 17 has no {@code jfr view hot-methods}): {@code jdk.ExecutionSample}
 * counted by top frame, by the first frame of the project ({@code controlplane.*}), and by the package of the top
 * frame. Native samples ({@code jdk.NativeMethodSample}: threads parked in epoll etc.) are left out.
 */
final class JfrHotSpots {

  private JfrHotSpots() {
  }

  static String report(Path recording, int top) throws IOException {
    Map<String, Integer> byTop = new HashMap<>();
    Map<String, Integer> byOwn = new HashMap<>();
    Map<String, Integer> byPackage = new HashMap<>();
    Map<String, Integer> byThread = new HashMap<>();
    int samples = 0;
    try (RecordingFile file = new RecordingFile(recording)) {
      while (file.hasMoreEvents()) {
        RecordedEvent e = file.readEvent();
        if (!e.getEventType().getName().equals("jdk.ExecutionSample") || e.getStackTrace() == null) {
          continue;
        }
        List<RecordedFrame> frames = e.getStackTrace().getFrames();
        if (frames.isEmpty()) {
          continue;
        }
        samples++;
        RecordedMethod m = frames.get(0).getMethod();
        String topName = name(m);
        byTop.merge(topName, 1, Integer::sum);
        String type = m.getType().getName();
        int dot = type.lastIndexOf('.');
        String pkg = dot < 0 ? type : type.substring(0, dot);
        byPackage.merge(pkg, 1, Integer::sum);
        for (RecordedFrame f : frames) {
          if (f.getMethod() != null && f.getMethod().getType().getName().startsWith("controlplane.")) {
            byOwn.merge(name(f.getMethod()), 1, Integer::sum);
            break;
          }
        }
        var thread = e.getThread("sampledThread");
        String tn = thread == null || thread.getJavaName() == null ? "?"
            : thread.getJavaName().replaceAll("\\d+$", "N");
        byThread.merge(tn, 1, Integer::sum);
      }
    }
    StringBuilder sb = new StringBuilder();
    sb.append("jdk.ExecutionSample: ").append(samples).append(" samples\n");
    table(sb, "top frame", byTop, samples, top);
    table(sb, "first controlplane.* frame on the stack", byOwn, samples, top);
    table(sb, "package of the top frame", byPackage, samples, top);
    table(sb, "thread", byThread, samples, top);
    return sb.toString();
  }

  private static String name(RecordedMethod m) {
    return m.getType().getName() + "." + m.getName();
  }

  private static void table(StringBuilder sb, String title, Map<String, Integer> counts, int total, int top) {
    sb.append("\n").append(title).append(":\n");
    counts.entrySet().stream().sorted(Map.Entry.<String, Integer>comparingByValue().reversed()).limit(top)
        .forEach(en -> sb.append(String.format("  %5.1f%%  %6d  %s%n", 100.0 * en.getValue() / Math.max(1, total),
            en.getValue(), en.getKey())));
  }
}
