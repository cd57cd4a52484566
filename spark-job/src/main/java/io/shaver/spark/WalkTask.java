package io.shaver.spark;

import io.shaver.backend.DeviceBinding;
import io.shaver.backend.WalkBackend;
import io.shaver.backend.WalkBackends;
import io.shaver.model.CtrModel;
import io.shaver.shapley.EncodedSamples;
import io.shaver.shapley.PermutationSource;
import io.shaver.shapley.Placeholder;
import io.shaver.shapley.ShapleyAccumulator;
import io.shaver.shapley.TableLayout;
import io.shaver.shapley.WalkEngine;
import io.shaver.shapley.Walker;
import java.util.Iterator;
import java.util.List;
import org.apache.spark.SparkEnv;
import org.apache.spark.TaskContext;
import org.apache.spark.api.java.function.FlatMapFunction;
import org.apache.spark.broadcast.Broadcast;
import scala.Tuple2;

/**
 * One pass of permutation walks over one partition: walks every sample once with the walker
 * of the backend selected for the task's device and the model ({@link WalkEngine} on the CPU),
 * then emits the partition's statistics cut into parameter blocks plus one
 * {@link TaskSummary}. Results leave the task only as its output records, never through
 * accumulators, so a retried task replaces the failed attempt's output instead of adding to it.
 *
 * <p>Memory: the task accumulates into a dense array when the table has at most
 * {@link WalkPlan#denseParameterLimit()} parameters, otherwise into a hash table of about 80
 * bytes per parameter the partition touches, and cutting it into blocks roughly doubles that
 * at the end of the task. A partition of S samples with m fields touches at most S * m * d
 * parameters, and far fewer when ids repeat.
 */
final class WalkTask implements FlatMapFunction<Iterator<SampleBlock>, Tuple2<Integer, PassRecord>> {

  private static final long serialVersionUID = 1L;

  private final WalkPlan plan;
  private final Broadcast<ModelSource> model;
  private final int pass;

  /**
   * Creates the task function of pass {@code pass} (zero-based), which selects the
   * permutations.
   */
  WalkTask(WalkPlan plan, Broadcast<ModelSource> model, int pass) {
    this.plan = plan;
    this.model = model;
    this.pass = pass;
  }

  @Override
  public Iterator<Tuple2<Integer, PassRecord>> call(Iterator<SampleBlock> blocks) {
    long started = System.nanoTime();
    TaskContext context = TaskContext.get();
    DeviceBinding device = TaskDevices.bind(context);
    CtrModel walked = ExecutorModels.get(model);
    WalkBackend backend = WalkBackends.select(device, walked.config().kind());
    TableLayout layout = plan.layout();
    Placeholder placeholder = plan.placeholder(layout);
    ShapleyAccumulator statistics =
        ShapleyAccumulator.create(layout.parameters(), plan.denseParameterLimit());

    long samples = 0;
    long evaluations = 0;
    Walker engine = null;
    try {
      while (blocks.hasNext()) {
        EncodedSamples data = blocks.next().samples();
        if (engine == null) {
          engine = backend.open(walked, layout, placeholder,
              PermutationSource.seeded(plan.seed()), plan.antithetic(), plan.batchSize());
        }
        for (int from = 0; from < data.size(); from += plan.batchSize()) {
          int count = Math.min(plan.batchSize(), data.size() - from);
          evaluations += engine.walk(data, from, count, pass, statistics);
        }
        samples += data.size();
      }
    } finally {
      if (engine != null) {
        engine.close();
      }
    }

    List<Tuple2<Integer, PassRecord>> out = ParameterBlock.split(statistics, plan.blockSize());
    SparkEnv env = SparkEnv.get();
    TaskSummary summary = new TaskSummary(
        context == null ? 0 : context.partitionId(),
        context == null ? 0 : context.attemptNumber(),
        env == null ? "driver" : env.executorId(), device, backend.name(), samples,
        evaluations, statistics.touchedParameters(), (System.nanoTime() - started) / 1e9);
    out.add(new Tuple2<>(TaskReport.KEY, TaskReport.of(summary)));
    return out.iterator();
  }
}
