package io.shaver.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.shaver.config.EstimateSettings;
import io.shaver.output.Provenance;
import io.shaver.shapley.Convergence;
import io.shaver.shapley.EstimatorSettings;
import io.shaver.shapley.ShapleyAccumulator;
import io.shaver.testing.SharedSpark;
import java.io.ByteArrayOutputStream;
import java.io.ObjectOutputStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.apache.spark.api.java.JavaPairRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import scala.Tuple2;

/**
 * Block aggregation and checkpoints at the parameter count of KDD Cup 2012 (6 million rows x
 * 16 dimensions = 96 million parameters) with few touched parameters. A model with a table of
 * that size (384 MB of floats, and an n * d row output) is too large for a unit test. So random
 * per-task statistics stand in for the walks, and the aggregation, convergence and checkpoint
 * code under test is the production code.
 */
class BlockAggregationTest {

  private static final long PARAMETERS = 6_000_000L * 16;
  private static final long BLOCK_SIZE = EstimateSettings.DEFAULT_BLOCK_SIZE;
  private static final int TASKS = 4;
  private static final long SAMPLES = 5_000;

  @Test
  void largeTableAggregatesTouchedParametersOnly(@TempDir Path run) throws Exception {
    SparkSession spark = SharedSpark.get();
    JavaSparkContext context = JavaSparkContext.fromSparkContext(spark.sparkContext());
    int blocks = ParameterBlock.blockCount(PARAMETERS, BLOCK_SIZE);
    ShapleyAccumulator reference = ShapleyAccumulator.create(PARAMETERS,
        EstimatorSettings.DEFAULT_DENSE_PARAMETER_LIMIT);
    List<Tuple2<Integer, PassRecord>> records = new ArrayList<>();
    Random random = new Random(3);
    long[] pool = new long[6_000];
    for (int i = 0; i < pool.length; i++) {
      pool[i] = (long) (random.nextDouble() * PARAMETERS);
    }
    for (int task = 0; task < TASKS; task++) {
      ShapleyAccumulator statistics = ShapleyAccumulator.create(PARAMETERS,
          EstimatorSettings.DEFAULT_DENSE_PARAMETER_LIMIT);
      for (int i = 0; i < 3_000; i++) {
        statistics.add(pool[random.nextInt(pool.length)], random.nextGaussian() * 1e-3);
      }
      reference.merge(statistics);
      records.addAll(ParameterBlock.split(statistics, BLOCK_SIZE));
    }
    reference.addSamples(SAMPLES);

    JavaPairRDD<Integer, PassRecord> totals = EstimationPass.aggregate(
        context.parallelizePairs(records, 3), blocks, 8).cache();
    List<List<Tuple2<Integer, PassRecord>>> partitions = totals.glom().collect();

    int previous = -1;
    long touched = 0;
    for (List<Tuple2<Integer, PassRecord>> partition : partitions) {
      for (Tuple2<Integer, PassRecord> record : partition) {
        assertTrue(record._1() > previous, "blocks ascend across partitions: " + record._1());
        previous = record._1();
        ParameterBlock block = (ParameterBlock) record._2();
        assertFalse(block.isDense(), "a sparsely touched block stays hashed: " + block);
        touched += block.touchedParameters();
        block.forEach(BLOCK_SIZE, (parameter, sum, sumOfSquares, occurrences) -> {
          assertEquals(reference.sum(parameter), sum, 1e-12 * Math.abs(sum), "sum " + parameter);
          assertEquals(reference.sumOfSquares(parameter), sumOfSquares,
              1e-12 * sumOfSquares, "sum of squares " + parameter);
          assertEquals(reference.occurrences(parameter), occurrences, "occurrences " + parameter);
        });
      }
    }
    assertEquals(reference.touchedParameters(), touched, "touched parameters");
    assertConvergence(Convergence.of(reference),
        EstimationPass.convergence(totals, SAMPLES, blocks));

    Checkpoints checkpoints = new Checkpoints(spark, new org.apache.hadoop.fs.Path(run.toString()));
    CheckpointInfo info = new CheckpointInfo(1, SAMPLES, 7 * SAMPLES, SAMPLES, "test");
    checkpoints.write(info, totals, BLOCK_SIZE, Provenance.of("estimate", "", 1));
    assertEquals(info, checkpoints.latest().orElseThrow(), "checkpoint metadata");
    JavaPairRDD<Integer, PassRecord> reread = EstimationPass.aggregate(
        checkpoints.readBlocks(1, PARAMETERS, BLOCK_SIZE), blocks, 5);
    assertConvergence(Convergence.of(reference),
        EstimationPass.convergence(reread, SAMPLES, blocks));
    Map<Integer, PassRecord> byBlock = reread.collectAsMap();
    long rereadTouched = 0;
    for (PassRecord record : byBlock.values()) {
      ParameterBlock block = (ParameterBlock) record;
      rereadTouched += block.touchedParameters();
      block.forEach(BLOCK_SIZE, (parameter, sum, sumOfSquares, occurrences) ->
          assertEquals(reference.sum(parameter), sum, 1e-12 * Math.abs(sum), "sum " + parameter));
    }
    assertEquals(reference.touchedParameters(), rereadTouched, "touched after the round trip");
    totals.unpersist();
  }

  @Test
  void serializedBlockSizePerTouchedParameter() throws Exception {
    ParameterBlock block = ParameterBlock.empty(7, (int) BLOCK_SIZE, false);
    for (int local = 0; local < 1_000; local++) {
      block.add(local * 13, 0.5 * local, 0.25 * local * local, 1 + local % 3);
    }

    int bytes = serializedSize(block);

    assertTrue(bytes >= 28 * 1_000, "serialized size " + bytes + " bytes for 1000 parameters");
    assertTrue(bytes < 28 * 1_000 + 400, "serialized size " + bytes + " bytes for 1000 parameters");
  }

  @Test
  void blockTurnsDenseWhenMostlyTouched() {
    ParameterBlock left = ParameterBlock.empty(2, 10, false);
    ParameterBlock right = ParameterBlock.empty(2, 10, false);
    for (int local = 0; local < 3; local++) {
      left.add(local, 1.0 + local, 2.0, 1);
      right.add(local + 3, -1.0, 1.0, 2);
    }

    left.absorb(right);

    assertTrue(left.isDense(), "6 of 10 parameters touched turns the block dense");
    assertEquals(6, left.touchedParameters(), "touched parameters");
    double[] sums = new double[10];
    long[] occurrences = new long[10];
    left.forEach(10, (parameter, sum, sumOfSquares, count) -> {
      sums[(int) parameter - 20] = sum;
      occurrences[(int) parameter - 20] = count;
    });
    assertEquals(3.0, sums[2], "sum of a parameter from the left block");
    assertEquals(-1.0, sums[5], "sum of a parameter from the right block");
    assertEquals(2, occurrences[5], "occurrences from the right block");
  }

  @Test
  void absorbRejectsOtherBlock() {
    ParameterBlock block = ParameterBlock.empty(1, 10, false);

    assertThrows(IllegalArgumentException.class,
        () -> block.absorb(ParameterBlock.empty(2, 10, false)));
  }

  private static void assertConvergence(Convergence expected, Convergence actual) {
    assertEquals(expected.maxStandardError(), actual.maxStandardError(),
        1e-12 * expected.maxStandardError(), "max standard error");
    assertEquals(expected.maxPhi(), actual.maxPhi(), 1e-12 * Math.abs(expected.maxPhi()),
        "max phi");
    assertEquals(expected.minPhi(), actual.minPhi(), 1e-12 * Math.abs(expected.minPhi()),
        "min phi");
    assertTrue(actual.maxPhi() > 0, "max phi above 0: " + actual);
    assertTrue(actual.minPhi() < 0, "min phi below 0: " + actual);
  }

  private static int serializedSize(Object value) throws Exception {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
      out.writeObject(value);
    }
    return bytes.size();
  }
}
