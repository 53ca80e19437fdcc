package controlplane.harness.chaos;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.UUID;

/**
 * What a {@link ChaosRun} observed. Never holds a password. {@link #ok()} is the verdict: no site locked out, no
 * password lost, no PENDING version left, no acknowledged password discarded, and the out_of_sync sites exactly the
 * ones made unrecoverable on purpose.
 *
 * @param routers                 routers (= sites) in the run
 * @param load                    how long rotations were driven
 * @param seed                    seed of the run's random choices
 * @param outcomes                every HTTP rotation outcome, by "status code" or "transport: ..."
 * @param requested               rotation requests sent
 * @param applied                 200 answers
 * @param failedCleanly           definite failures by error code (the router kept its password, or nothing started)
 * @param unknown                 answers that left the outcome open: 504 device_outcome_unknown, and requests cut by
 *                                a kill (no answer at all)
 * @param unknownSettled          of those, on sites with no PENDING version at the end
 * @param serviceDown             requests refused because the service was down (never reached it)
 * @param unclean                 answers outside the documented contract (500, unparseable bodies), by kind
 * @param faultsInjected          faults put on routers, by kind
 * @param kills                   one line per SIGKILL: what it left and how long the leftovers took to settle
 * @param databaseRestarts        database stops and restarts done
 * @param unrecoverable           sites made unrecoverable on purpose
 * @param outOfSync               sites the service marks out_of_sync at the end
 * @param lockedOut               sites (not made unrecoverable) whose stored current password does not log in
 * @param lost                    sites (not made unrecoverable) whose router password is in none of the stored versions
 * @param pendingLeft             PENDING versions left after the settle wait
 * @param acknowledgedDiscarded   passwords answered with 200 that are not stored or are stored as FAILED
 * @param apiStatusMismatch       sites whose GET /control-plane/{id} status differs from the database's
 * @param secretsInLogs           service log files containing one of the run's passwords
 * @param settleAfterLastRestart  from the last restart being ready to no PENDING left by that crash
 * @param settleAfterLoad         from the end of the load (faults cleared) to no PENDING version at all
 * @param versionStates           credential versions by state at the end
 * @param audit                   audit events by action/outcome at the end
 * @param problems                one line per problem site (id and classification), at most 50
 * @param hostileSweep            the hostile-input sweep's table, or null when it did not run
 * @param hostileSweepOk          whether every hostile case got a clean 4xx and the service kept serving; null when
 *                                it did not run
 */
public record ChaosReport(int routers, Duration load, long seed, Map<String, Long> outcomes, long requested,
                          long applied, Map<String, Long> failedCleanly, long unknown, long unknownSettled,
                          long serviceDown, Map<String, Long> unclean, Map<String, Long> faultsInjected,
                          List<String> kills, int databaseRestarts, Set<UUID> unrecoverable, Set<UUID> outOfSync,
                          int lockedOut, int lost, long pendingLeft, int acknowledgedDiscarded, int apiStatusMismatch,
                          List<String> secretsInLogs, Duration settleAfterLastRestart, Duration settleAfterLoad,
                          Map<String, Long> versionStates, Map<String, Long> audit, List<String> problems,
                          String hostileSweep, Boolean hostileSweepOk, String bulkJobs, List<String> jobProblems) {

  /** This report with the hostile-input sweep's outcome. */
  public ChaosReport withHostileSweep(String table, boolean ok) {
    return new ChaosReport(routers, load, seed, outcomes, requested, applied, failedCleanly, unknown, unknownSettled,
        serviceDown, unclean, faultsInjected, kills, databaseRestarts, unrecoverable, outOfSync, lockedOut, lost,
        pendingLeft, acknowledgedDiscarded, apiStatusMismatch, secretsInLogs, settleAfterLastRestart, settleAfterLoad,
        versionStates, audit, problems, table, ok, bulkJobs, jobProblems);
  }

  /**
   * This report with the bulk jobs' outcome: {@code summary} in one line, {@code problems} each job that did not
   * complete or whose counts differ from its sites' ends (empty when they all hold).
   */
  public ChaosReport withBulkJobs(String summary, List<String> problems) {
    return new ChaosReport(routers, load, seed, outcomes, requested, applied, failedCleanly, unknown, unknownSettled,
        serviceDown, unclean, faultsInjected, kills, databaseRestarts, unrecoverable, outOfSync, lockedOut, lost,
        pendingLeft, acknowledgedDiscarded, apiStatusMismatch, secretsInLogs, settleAfterLastRestart, settleAfterLoad,
        versionStates, audit, this.problems, hostileSweep, hostileSweepOk, summary, List.copyOf(problems));
  }

  public Set<UUID> unexpectedOutOfSync() {
    Set<UUID> s = new TreeSet<>(outOfSync);
    s.removeAll(unrecoverable);
    return s;
  }

  public Set<UUID> unrecoverableNotReported() {
    Set<UUID> s = new TreeSet<>(unrecoverable);
    s.removeAll(outOfSync);
    return s;
  }

  /** Every broken invariant, in words; empty when the run holds. */
  public List<String> violations() {
    List<String> v = new ArrayList<>();
    if (lockedOut > 0) {
      v.add(lockedOut + " sites locked out");
    }
    if (lost > 0) {
      v.add(lost + " passwords lost");
    }
    if (pendingLeft != 0) {
      v.add(pendingLeft + " PENDING versions left after the settle wait");
    }
    if (acknowledgedDiscarded > 0) {
      v.add(acknowledgedDiscarded + " acknowledged passwords not kept");
    }
    if (!unexpectedOutOfSync().isEmpty()) {
      v.add(unexpectedOutOfSync().size() + " sites out_of_sync that were not made unrecoverable");
    }
    if (!unrecoverableNotReported().isEmpty()) {
      v.add(unrecoverableNotReported().size() + " unrecoverable sites not reported out_of_sync");
    }
    if (!secretsInLogs.isEmpty()) {
      v.add("passwords found in logs: " + secretsInLogs);
    }
    if (Boolean.FALSE.equals(hostileSweepOk)) {
      v.add("hostile-input sweep failed");
    }
    if (jobProblems != null && !jobProblems.isEmpty()) {
      v.add(jobProblems.size() + " bulk jobs not completed or miscounted");
    }
    return v;
  }

  public boolean ok() {
    return violations().isEmpty();
  }

  public String format() {
    StringBuilder b = new StringBuilder();
    b.append("=== chaos run: ").append(routers).append(" routers, ").append(load.toSeconds()).append(" s of load, ")
        .append(kills.size()).append(" kills, ").append(databaseRestarts).append(" database restarts, seed ")
        .append(seed).append(" ===\n");
    b.append(String.format("rotations requested          %d%n", requested));
    b.append(String.format("  applied (200)              %d%n", applied));
    long clean = failedCleanly.values().stream().mapToLong(Long::longValue).sum();
    b.append(String.format("  failed cleanly             %d  %s%n", clean, failedCleanly));
    b.append(String.format("  unknown, then settled      %d of %d%n", unknownSettled, unknown));
    b.append(String.format("  refused, service down      %d%n", serviceDown));
    b.append(String.format("  outside the contract       %d  %s%n",
        unclean.values().stream().mapToLong(Long::longValue).sum(), unclean));
    b.append(String.format("all outcomes                 %s%n", outcomes));
    b.append(String.format("faults injected              %s%n", faultsInjected));
    for (String k : kills) {
      b.append("kill                         ").append(k).append('\n');
    }
    b.append(String.format("sites locked out             %d   (must be 0)%n", lockedOut));
    b.append(String.format("passwords lost               %d   (must be 0)%n", lost));
    b.append(String.format("PENDING left                 %d   (must be 0)%n", pendingLeft));
    b.append(String.format("acknowledged, not kept       %d   (must be 0)%n", acknowledgedDiscarded));
    b.append(String.format("out_of_sync expected/found   %d / %d  (unexpected %d, unreported %d)%n",
        unrecoverable.size(), outOfSync.size(), unexpectedOutOfSync().size(), unrecoverableNotReported().size()));
    b.append(String.format("API status = DB status       %s%n", apiStatusMismatch == 0 ? "yes" : apiStatusMismatch + " differ"));
    b.append(String.format("passwords in service logs    %s%n", secretsInLogs.isEmpty() ? "none" : secretsInLogs));
    b.append(String.format("settle after last restart    %s%n", millis(settleAfterLastRestart)));
    b.append(String.format("settle after load end        %s%n", millis(settleAfterLoad)));
    b.append(String.format("credential versions          %s%n", versions()));
    b.append(String.format("audit events                 %s%n", audit));
    if (bulkJobs != null) {
      b.append(String.format("bulk jobs                    %s%n", bulkJobs));
      jobProblems.forEach(p -> b.append("  ").append(p).append('\n'));
    }
    if (!problems.isEmpty()) {
      b.append("problem sites:\n");
      problems.forEach(p -> b.append("  ").append(p).append('\n'));
    }
    if (hostileSweep != null) {
      b.append(hostileSweep);
    }
    b.append(verdict()).append('\n');
    return b.toString();
  }

  /**
   * The versions by state. FAILED ones are rotations the router definitely did not take: it refused or was
   * unreachable when asked, or the reconciler found it still on an older password (on none, for the sites made
   * unrecoverable). The injected faults make many of them; the label says so, so that a green run does not alarm.
   */
  String versions() {
    Map<String, Long> rest = new TreeMap<>(versionStates);
    List<String> parts = new ArrayList<>();
    for (String state : List.of("CURRENT", "PREVIOUS", "SUPERSEDED", "PENDING")) {
      Long n = rest.remove(state);
      if (n != null) {
        parts.add(state.toLowerCase(Locale.ROOT) + "=" + n);
      }
    }
    Long failed = rest.remove("FAILED");
    rest.forEach((state, n) -> parts.add(state.toLowerCase(Locale.ROOT) + "=" + n));
    parts.add("failed (expected under faults: rotations the router definitely did not take, e.g. it refused or was "
        + "unreachable)=" + (failed == null ? 0 : failed));
    return String.join(", ", parts);
  }

  /** One line: PASS with the counts that must be 0, or FAIL with every broken invariant. */
  public String verdict() {
    List<String> v = violations();
    return v.isEmpty()
        ? String.format("chaos verdict: PASS (%d locked out, %d lost, %d pending)", lockedOut, lost, pendingLeft)
        : "chaos verdict: FAIL: " + String.join("; ", v);
  }

  private static String millis(Duration d) {
    return d == null ? "n/a (not settled)" : String.format("%.1f s", d.toMillis() / 1000.0);
  }
}
