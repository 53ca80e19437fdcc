package controlplane.simulator;

import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * A user group and its policies, as in RouterOS {@code /user/group}.
 *
 * @param name group name
 * @param policies granted policies such as {@code api}, {@code read}, {@code write}, {@code policy}, {@code password}
 */
public record GroupSpec(String name, Set<String> policies) {

  /** Every policy RouterOS knows, in its print order. */
  public static final List<String> ALL_POLICIES = List.of("local", "telnet", "ssh", "ftp", "reboot", "read",
      "write", "policy", "test", "winbox", "password", "web", "sniff", "sensitive", "api", "romon", "rest-api");

  public static final GroupSpec FULL = new GroupSpec("full", Set.copyOf(ALL_POLICIES));
  public static final GroupSpec WRITE = of("write", "local,telnet,ssh,ftp,reboot,read,write,test,winbox,password,"
      + "web,sniff,sensitive,api,romon,rest-api");
  public static final GroupSpec READ = of("read", "local,telnet,ssh,reboot,read,test,winbox,password,web,sniff,"
      + "sensitive,api,romon,rest-api");
  /** The built-in groups every router has. */
  public static final List<GroupSpec> BUILT_IN = List.of(READ, WRITE, FULL);

  public GroupSpec {
    Objects.requireNonNull(name, "name");
    policies = Set.copyOf(policies);
  }

  /** A group from the RouterOS spelling of its policy list, e.g. {@code "api,read,password"}. */
  public static GroupSpec of(String name, String policyList) {
    Set<String> set = Arrays.stream(policyList.split(","))
        .map(s -> s.trim().toLowerCase(Locale.ROOT))
        .filter(s -> !s.isEmpty() && !s.startsWith("!"))
        .collect(Collectors.toCollection(LinkedHashSet::new));
    for (String p : set) {
      if (!ALL_POLICIES.contains(p)) {
        throw new IllegalArgumentException("unknown policy " + p + " in group " + name);
      }
    }
    return new GroupSpec(name, set);
  }

  public boolean has(String policy) {
    return policies.contains(policy);
  }

  /** The policy list as RouterOS prints it: granted ones, then the others negated ({@code !write}). */
  public String policyText() {
    StringBuilder sb = new StringBuilder();
    for (String p : ALL_POLICIES) {
      if (policies.contains(p)) {
        sb.append(sb.length() == 0 ? "" : ",").append(p);
      }
    }
    for (String p : ALL_POLICIES) {
      if (!policies.contains(p)) {
        sb.append(sb.length() == 0 ? "" : ",").append('!').append(p);
      }
    }
    return sb.toString();
  }
}
