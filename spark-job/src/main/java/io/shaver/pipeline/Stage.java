package io.shaver.pipeline;

import java.util.List;

/**
 * One pipeline stage: prepare, train, estimate, compress, evaluate or report.
 *
 * <p>A stage declares what its result depends on, so that {@code run} can skip it when its
 * outputs are complete and were made from the same inputs: the config sections it reads, and
 * the stages whose outputs it reads.
 */
public interface Stage {

  /** Returns the stage name as used on the command line, e.g. {@code estimate}. */
  String name();

  /** Returns the top-level config keys whose values change this stage's result. */
  List<String> configSections();

  /** Returns the names of the stages whose outputs this stage reads. */
  List<String> upstream();

  /** Returns this stage's outputs, relative to the run's output directory. */
  List<String> outputs();

  /** Runs the stage; outputs must be published atomically. */
  void run(StageContext context) throws Exception;
}
