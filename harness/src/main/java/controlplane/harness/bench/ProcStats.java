package controlplane.harness.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/** CPU time and memory of processes from {@code /proc} (Linux); CPU in milliseconds, memory in KiB. */
final class ProcStats {

  /** Clock ticks per second of {@code /proc/<pid>/stat} (USER_HZ; 100 on every Linux this runs on). */
  private static final long TICKS_PER_SECOND = 100;

  private ProcStats() {
  }

  /** utime + stime of {@code pid} (all its threads), in ms; -1 when it is gone. */
  static long cpuMillis(long pid) {
    long[] t = ticks(pid);
    return t == null ? -1 : (t[0] + t[1]) * 1000 / TICKS_PER_SECOND;
  }

  /**
   * CPU of a PostgreSQL server: the postmaster's own time and that of its children that ended (cutime, cstime),
   * plus every live child's (the backends of open connections, the background workers).
   */
  static long postgresCpuMillis(long postmasterPid) {
    long[] t = ticks(postmasterPid);
    if (t == null) {
      return -1;
    }
    long sum = t[0] + t[1] + t[2] + t[3];
    Optional<ProcessHandle> pm = ProcessHandle.of(postmasterPid);
    if (pm.isPresent()) {
      for (ProcessHandle child : pm.get().children().toList()) {
        long[] c = ticks(child.pid());
        if (c != null) {
          sum += c[0] + c[1];
        }
      }
    }
    return sum * 1000 / TICKS_PER_SECOND;
  }

  /** utime, stime, cutime, cstime in ticks; null when the process is gone. */
  private static long[] ticks(long pid) {
    return ticks(Path.of("/proc", Long.toString(pid), "stat"));
  }

  /** As {@link #ticks(long)}, of a {@code stat} file: a process's, or one thread's under {@code task/}. */
  private static long[] ticks(Path statFile) {
    try {
      String stat = Files.readString(statFile, StandardCharsets.US_ASCII);
      // The command (field 2) may contain spaces: count fields after its closing parenthesis.
      String[] f = stat.substring(stat.lastIndexOf(')') + 2).trim().split(" ");
      // After ')': f[0] is field 3 (state); utime is field 14 -> f[11].
      return new long[] {Long.parseLong(f[11]), Long.parseLong(f[12]), Long.parseLong(f[13]), Long.parseLong(f[14])};
    } catch (IOException | RuntimeException e) {
      return null;
    }
  }

  /** A {@code kB} line of {@code /proc/<pid>/status}, e.g. {@code VmRSS} or {@code VmHWM}; -1 when unknown. */
  static long statusKib(long pid, String field) {
    try {
      List<String> lines = Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"),
          StandardCharsets.US_ASCII);
      for (String line : lines) {
        if (line.startsWith(field + ":")) {
          return Long.parseLong(line.substring(field.length() + 1).replace("kB", "").trim());
        }
      }
    } catch (IOException | RuntimeException e) {
      return -1;
    }
    return -1;
  }

  /** The three load averages of the machine, as {@code /proc/loadavg} shows them. */
  static String loadAverage() {
    try {
      String[] f = Files.readString(Path.of("/proc/loadavg"), StandardCharsets.US_ASCII).trim().split(" ");
      return f[0] + " " + f[1] + " " + f[2];
    } catch (IOException e) {
      return "?";
    }
  }

  /**
   * CPU of the JIT compiler threads of the JVM {@code pid} (HotSpot's C1 and C2 compiler threads, named "C1
   * CompilerThread..." and "C2 CompilerThread..."), in ms: how much of its CPU still goes into compiling. Compiler
   * threads that ended since are not counted (HotSpot starts and stops some as the queue grows and shrinks).
   */
  static long jitCompilerCpuMillis(long pid) {
    long ticks = 0;
    try (var tasks = Files.list(Path.of("/proc", Long.toString(pid), "task"))) {
      for (Path task : tasks.toList()) {
        try {
          String comm = Files.readString(task.resolve("comm"), StandardCharsets.US_ASCII);
          long[] t = comm.startsWith("C1 CompilerThre") || comm.startsWith("C2 CompilerThre")
              ? ticks(task.resolve("stat")) : null;
          if (t != null) {
            ticks += t[0] + t[1];
          }
        } catch (IOException e) {
          // the thread ended meanwhile
        }
      }
    } catch (IOException | RuntimeException e) {
      return -1;
    }
    return ticks * 1000 / TICKS_PER_SECOND;
  }

  /** CPU of this JVM (the load generator and the floors), in ms. */
  static long selfCpuMillis() {
    return cpuMillis(ProcessHandle.current().pid());
  }

  /** Open file descriptors of {@code pid}: the entries of {@code /proc/<pid>/fd}; -1 when unreadable. */
  static long openFds(long pid) {
    try (var entries = Files.list(Path.of("/proc", Long.toString(pid), "fd"))) {
      return entries.count();
    } catch (IOException | RuntimeException e) {
      return -1;
    }
  }

  /** Threads of {@code pid} ({@code Threads:} of {@code /proc/<pid>/status}); -1 when unknown. */
  static long threads(long pid) {
    return statusKib(pid, "Threads"); // the same "Name: number" line, without a unit
  }
}
