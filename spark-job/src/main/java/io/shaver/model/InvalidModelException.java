package io.shaver.model;

import java.util.List;

/**
 * Model weights that do not match their configuration, with every problem found.
 *
 * <p>The message lists each problem on its own line, naming the tensor, what was found and
 * what was expected, and ends with what to check.
 */
public final class InvalidModelException extends IllegalArgumentException {

  private static final long serialVersionUID = 1L;

  private final transient List<String> problems;

  InvalidModelException(String context, List<String> problems, String fix) {
    super(format(context, problems, fix));
    this.problems = List.copyOf(problems);
  }

  /** Returns the problems, one sentence each, in the order they were found. */
  public List<String> problems() {
    return problems;
  }

  private static String format(String context, List<String> problems, String fix) {
    StringBuilder message = new StringBuilder(context).append(": ").append(problems.size())
        .append(problems.size() == 1 ? " problem" : " problems");
    for (String problem : problems) {
      message.append("\n  - ").append(problem);
    }
    if (fix != null && !fix.isEmpty()) {
      message.append("\n").append(fix);
    }
    return message.toString();
  }
}
