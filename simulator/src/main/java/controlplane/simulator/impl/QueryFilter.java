package controlplane.simulator.impl;

import java.math.BigDecimal;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

/**
 * The print query language: each query word pushes a boolean onto a stack, {@code ?#} operations combine the
 * stack, and a row matches when every value left on the stack is true. Query order matters.
 * <ul>
 *   <li>{@code ?name=x} and {@code ?=name=x}: property equals x (an absent property reads as empty)</li>
 *   <li>{@code ?name}: property present; {@code ?-name}: property absent</li>
 *   <li>{@code ?<name=x}, {@code ?>name=x}: less / greater than x (numerically when both are numbers)</li>
 *   <li>{@code ?#ops}: {@code !} negate top, {@code &} and, {@code |} or, {@code .} no-op, a digit N pushes a copy
 *   of the N-th value from the top</li>
 * </ul>
 */
final class QueryFilter implements Predicate<Map<String, String>> {

  private interface Step {
    void apply(Map<String, String> row, Deque<Boolean> stack);
  }

  private final List<Step> steps;

  private QueryFilter(List<Step> steps) {
    this.steps = steps;
  }

  /** @throws IllegalArgumentException for a word it cannot read */
  static QueryFilter compile(List<String> queries) {
    List<Step> steps = new ArrayList<>(queries.size());
    for (String q : queries) {
      steps.add(step(q.substring(1)));
    }
    return new QueryFilter(steps);
  }

  private static Step step(String q) {
    if (q.startsWith("#")) {
      String ops = q.substring(1);
      return (row, stack) -> operate(ops, stack);
    }
    if (q.startsWith("-")) {
      String name = q.substring(1);
      return (row, stack) -> stack.push(!row.containsKey(name));
    }
    if (q.startsWith("<") || q.startsWith(">") || q.startsWith("=")) {
      char op = q.charAt(0);
      String rest = q.substring(1);
      int eq = rest.indexOf('=');
      if (eq <= 0) {
        throw new IllegalArgumentException("bad query word ?" + q);
      }
      String name = rest.substring(0, eq);
      String value = rest.substring(eq + 1);
      return switch (op) {
        case '<' -> (row, stack) -> stack.push(compare(row.get(name), value) < 0);
        case '>' -> (row, stack) -> stack.push(compare(row.get(name), value) > 0);
        default -> (row, stack) -> stack.push(value.equals(row.getOrDefault(name, "")));
      };
    }
    int eq = q.indexOf('=');
    if (eq < 0) {
      return (row, stack) -> stack.push(row.containsKey(q));
    }
    if (eq == 0) {
      throw new IllegalArgumentException("bad query word ?" + q);
    }
    String name = q.substring(0, eq);
    String value = q.substring(eq + 1);
    return (row, stack) -> stack.push(value.equals(row.getOrDefault(name, "")));
  }

  private static void operate(String ops, Deque<Boolean> stack) {
    for (char c : ops.toCharArray()) {
      switch (c) {
        case '!' -> stack.push(!pop(stack));
        case '&' -> {
          boolean b = pop(stack);
          boolean a = pop(stack);
          stack.push(a && b);
        }
        case '|' -> {
          boolean b = pop(stack);
          boolean a = pop(stack);
          stack.push(a || b);
        }
        case '.' -> {
          // no-op
        }
        default -> {
          if (!Character.isDigit(c)) {
            throw new IllegalArgumentException("bad query operation " + c);
          }
          int index = c - '0';
          stack.push(index < stack.size() ? new ArrayList<>(stack).get(index) : Boolean.FALSE);
        }
      }
    }
  }

  private static boolean pop(Deque<Boolean> stack) {
    // An operation on an empty stack reads true, like an absent query.
    return stack.isEmpty() || stack.pop();
  }

  private static int compare(String actual, String expected) {
    String a = actual == null ? "" : actual;
    try {
      return new BigDecimal(a).compareTo(new BigDecimal(expected));
    } catch (NumberFormatException e) {
      return a.compareTo(expected);
    }
  }

  @Override
  public boolean test(Map<String, String> row) {
    Deque<Boolean> stack = new ArrayDeque<>();
    for (Step s : steps) {
      s.apply(row, stack);
    }
    for (boolean b : stack) {
      if (!b) {
        return false;
      }
    }
    return true;
  }
}
