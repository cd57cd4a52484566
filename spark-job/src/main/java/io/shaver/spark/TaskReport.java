package io.shaver.spark;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * The summaries of a pass's walk tasks, gathered through the same shuffle as the parameter
 * blocks under key {@link #KEY}. Only one successful attempt of each map task reaches the
 * reducer, so a retried task is counted once.
 */
final class TaskReport implements PassRecord {

  private static final long serialVersionUID = 1L;

  /** Shuffle key of the report; block keys are >= 0. */
  static final int KEY = -1;

  private final ArrayList<TaskSummary> tasks;

  private TaskReport(ArrayList<TaskSummary> tasks) {
    this.tasks = tasks;
  }

  static TaskReport of(TaskSummary task) {
    ArrayList<TaskSummary> tasks = new ArrayList<>();
    tasks.add(task);
    return new TaskReport(tasks);
  }

  @Override
  public PassRecord absorb(PassRecord other) {
    if (!(other instanceof TaskReport report)) {
      throw new IllegalArgumentException("cannot combine a task report with " + other);
    }
    tasks.addAll(report.tasks);
    return this;
  }

  /** Returns the task summaries in partition order. */
  List<TaskSummary> tasks() {
    List<TaskSummary> sorted = new ArrayList<>(tasks);
    sorted.sort(Comparator.comparingInt(TaskSummary::partition));
    return sorted;
  }

  long samples() {
    return tasks.stream().mapToLong(TaskSummary::samples).sum();
  }

  long evaluations() {
    return tasks.stream().mapToLong(TaskSummary::evaluations).sum();
  }

  /**
   * Checks that every walk partition {@code 0 .. partitions - 1} reported exactly once.
   *
   * @throws IllegalStateException naming a missing or repeated partition
   */
  void requireComplete(int partitions) {
    int[] seen = new int[partitions];
    for (TaskSummary task : tasks) {
      if (task.partition() < 0 || task.partition() >= partitions) {
        throw new IllegalStateException("walk task reported partition " + task.partition()
            + ", expected one in [0, " + partitions + ")");
      }
      seen[task.partition()]++;
    }
    for (int p = 0; p < partitions; p++) {
      if (seen[p] != 1) {
        throw new IllegalStateException("walk partition " + p + " reported " + seen[p]
            + " times, expected exactly once");
      }
    }
  }

  @Override
  public String toString() {
    return "TaskReport{" + tasks.size() + " tasks, " + samples() + " samples}";
  }
}
