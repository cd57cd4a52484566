package io.shaver.data;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.io.LongWritable;
import org.apache.hadoop.io.Text;
import org.apache.hadoop.mapreduce.lib.input.FileSplit;
import org.apache.spark.api.java.JavaNewHadoopRDD;
import org.apache.spark.api.java.JavaSparkContext;
import scala.Tuple2;

/**
 * Turns row keys into human-readable places, "FILE line N" for text input and "FILE row N" for
 * Parquet. Used only for the few rows that error messages show.
 *
 * <p>A text row key contains the line's byte offset, not its line number, so the line number is
 * found by counting the lines before that offset in a small Spark job over the affected files.
 * Each task stops at the last wanted offset of its split.
 */
final class RowLocator {

  private RowLocator() {
  }

  /** Returns a place per row key, in the order given. */
  static List<String> describe(JavaSparkContext context, InputFiles files, boolean text,
      List<Long> rowKeys) {
    List<String> places = new ArrayList<>();
    if (!text) {
      for (long key : rowKeys) {
        places.add(files.path(RowKeys.fileIndex(key)) + " row "
            + (RowKeys.position(key) + 1));
      }
      return places;
    }
    Map<Long, Long> lines = lineNumbers(context, files, rowKeys);
    for (long key : rowKeys) {
      places.add(files.path(RowKeys.fileIndex(key)) + " line " + lines.get(key));
    }
    return places;
  }

  private static Map<Long, Long> lineNumbers(JavaSparkContext context, InputFiles files,
      List<Long> rowKeys) {
    Map<String, long[]> targets = new HashMap<>();
    Map<String, Integer> indexes = new HashMap<>();
    List<Path> affected = new ArrayList<>();
    for (long key : rowKeys) {
      Path file = files.path(RowKeys.fileIndex(key));
      String name = file.toString();
      long[] offsets = targets.getOrDefault(name, new long[0]);
      long[] grown = Arrays.copyOf(offsets, offsets.length + 1);
      grown[offsets.length] = RowKeys.position(key);
      targets.put(name, grown);
      if (!indexes.containsKey(name)) {
        indexes.put(name, RowKeys.fileIndex(key));
        affected.add(file);
      }
    }
    JavaNewHadoopRDD<LongWritable, Text> lines = TextInput.openLines(context, affected);
    List<Tuple2<Long, Long>> counts = lines.<Tuple2<Long, Long>>mapPartitionsWithInputSplit(
        (split, records) -> {
          String name = ((FileSplit) split).getPath().toString();
          long[] wanted = targets.get(name);
          long last = Arrays.stream(wanted).max().orElse(-1);
          long[] before = new long[wanted.length];
          while (records.hasNext()) {
            long offset = records.next()._1().get();
            if (offset >= last) {
              break;
            }
            for (int i = 0; i < wanted.length; i++) {
              if (offset < wanted[i]) {
                before[i]++;
              }
            }
          }
          List<Tuple2<Long, Long>> out = new ArrayList<>();
          int fileIndex = indexes.get(name);
          for (int i = 0; i < wanted.length; i++) {
            out.add(new Tuple2<>(RowKeys.of(fileIndex, wanted[i]), before[i]));
          }
          return out.iterator();
        }, false).collect();
    Map<Long, Long> numbers = new HashMap<>();
    for (Tuple2<Long, Long> count : counts) {
      numbers.merge(count._1(), count._2(), Long::sum);
    }
    numbers.replaceAll((key, before) -> before + 1);
    return numbers;
  }
}
