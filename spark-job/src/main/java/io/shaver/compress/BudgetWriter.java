package io.shaver.compress;

import io.shaver.output.AtomicDirectory;
import io.shaver.output.ParquetTables;
import io.shaver.output.Provenance;
import java.util.AbstractList;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Objects;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes the outputs of one budget to {@code budgets/budget=<label>/}, published atomically:
 * <ul>
 *   <li>{@code kept/}: global_id, field, token, dimension, value of every kept parameter, with
 *       the trained float32 value;</li>
 *   <li>{@code codebook/}: field, dimension, value of the placeholder codebook;</li>
 *   <li>{@code pruned_rows/}: global_id, field, token of every row whose d parameters are all
 *       pruned;</li>
 *   <li>{@code table.arrow}: the on-device artifact ({@link ArtifactSchema}).</li>
 * </ul>
 * Every file carries the stage provenance plus {@code shaver.compress.*} keys: budget label,
 * kind, requested value, format, kept, pruned and pruned-row counts, n, d, m, ranking,
 * placeholder, phi source, payload and dense bytes; the Parquet files add the artifact's size.
 *
 * <p>Rows reach the Parquet writer one at a time from the CSR arrays, so no per-row objects are
 * held for the whole table.
 */
public final class BudgetWriter {

  public static final String KEPT = "kept";
  public static final String CODEBOOK = "codebook";
  public static final String PRUNED_ROWS = "pruned_rows";
  public static final String ARTIFACT = "table.arrow";

  public static final StructType KEPT_SCHEMA = new StructType()
      .add("global_id", DataTypes.LongType, false)
      .add("field", DataTypes.StringType, false)
      .add("token", DataTypes.StringType, true)
      .add("dimension", DataTypes.IntegerType, false)
      .add("value", DataTypes.FloatType, false);

  public static final StructType CODEBOOK_SCHEMA = new StructType()
      .add("field", DataTypes.StringType, false)
      .add("dimension", DataTypes.IntegerType, false)
      .add("value", DataTypes.FloatType, false);

  public static final StructType PRUNED_ROWS_SCHEMA = new StructType()
      .add("global_id", DataTypes.LongType, false)
      .add("field", DataTypes.StringType, false)
      .add("token", DataTypes.StringType, true);

  private static final Logger LOG = LoggerFactory.getLogger(BudgetWriter.class);

  private final Provenance provenance;
  private final RankingKey ranking;
  private final String phiSource;
  private final Configuration hadoopConf;

  /**
   * @param provenance the stage provenance (version, stage, config, seed)
   * @param ranking the key the masks were ranked by
   * @param phiSource where phi came from, for example the shapley/ output path
   */
  public BudgetWriter(Provenance provenance, RankingKey ranking, String phiSource,
      Configuration hadoopConf) {
    this.provenance = Objects.requireNonNull(provenance, "provenance");
    this.ranking = Objects.requireNonNull(ranking, "ranking");
    this.phiSource = Objects.requireNonNull(phiSource, "phiSource");
    this.hadoopConf = Objects.requireNonNull(hadoopConf, "hadoopConf");
  }

  /** Writes {@code table} as the outputs of {@code budget} under {@code budgetsDirectory}. */
  public BudgetResult write(PrunedTable table, Budget budget, StorageFormat format,
      Path budgetsDirectory) {
    long started = System.nanoTime();
    EmbeddingTable source = table.table();
    TableShape shape = source.shape();
    int[] prunedRows = table.prunedRows();
    long payload = new StorageCost(shape, format).payloadBytes(table.keptCount());
    Provenance budgetProvenance = provenance
        .with("compress.budget", budget.label())
        .with("compress.budget_kind", budget.kind().configName())
        .with("compress.requested", budget.requestedValue())
        .with("compress.format", format.configName())
        .with("compress.kept", table.keptCount())
        .with("compress.pruned", table.prunedCount())
        .with("compress.pruned_rows", prunedRows.length)
        .with("compress.rows", shape.rows())
        .with("compress.dimension", shape.dimension())
        .with("compress.fields", shape.fields())
        .with("compress.ranking", ranking.configName())
        .with("compress.placeholder", source.placeholderKind().configName())
        .with("compress.phi_source", phiSource)
        .with("compress.payload_bytes", payload)
        .with("compress.dense_bytes", shape.denseBytes());

    Path target = new Path(budgetsDirectory, budget.directoryName());
    long artifactBytes;
    try (AtomicDirectory directory = AtomicDirectory.begin(target, hadoopConf)) {
      Path staging = directory.staging();
      artifactBytes = ArtifactWriter.write(table, format, budgetProvenance,
          new Path(staging, ARTIFACT), hadoopConf);
      Provenance parquetProvenance = budgetProvenance.with("compress.artifact_bytes",
          artifactBytes);
      ParquetTables.writeLocal(keptRows(table), KEPT_SCHEMA, new Path(staging, KEPT),
          parquetProvenance, hadoopConf);
      ParquetTables.writeLocal(codebookRows(source), CODEBOOK_SCHEMA, new Path(staging, CODEBOOK),
          parquetProvenance, hadoopConf);
      ParquetTables.writeLocal(prunedRowRows(source, prunedRows), PRUNED_ROWS_SCHEMA,
          new Path(staging, PRUNED_ROWS), parquetProvenance, hadoopConf);
      directory.commit();
    }
    BudgetResult result = new BudgetResult(budget, format, table.keptCount(),
        table.prunedCount(), prunedRows.length, payload, artifactBytes, shape.denseBytes());
    LOG.info("Wrote budget {}: kept {} of {} parameters, {} rows fully pruned, artifact {} bytes"
            + " ({} payload, dense float32 {}) in {} ms", budget.label(), result.kept(),
        shape.parameters(), result.prunedRows(), artifactBytes, payload, result.denseBytes(),
        (System.nanoTime() - started) / 1_000_000);
    return result;
  }

  /** Returns the kept entries as rows built on iteration; random access searches for the row. */
  static List<Row> keptRows(PrunedTable table) {
    EmbeddingTable source = table.table();
    return new AbstractList<>() {
      @Override
      public Row get(int entry) {
        return keptRow(source, table, table.rowOf(entry), entry);
      }

      @Override
      public int size() {
        return table.keptCount();
      }

      @Override
      public Iterator<Row> iterator() {
        return new Iterator<>() {
          private int entry;
          private int row;

          @Override
          public boolean hasNext() {
            return entry < table.keptCount();
          }

          @Override
          public Row next() {
            if (!hasNext()) {
              throw new NoSuchElementException();
            }
            while (table.keptEnd(row) <= entry) {
              row++;
            }
            return keptRow(source, table, row, entry++);
          }
        };
      }
    };
  }

  private static Row keptRow(EmbeddingTable source, PrunedTable table, int row, int entry) {
    String field = source.layout().name(source.layout().fieldOf(row));
    return RowFactory.create((long) row, field, source.token(row), table.column(entry),
        table.keptValue(entry));
  }

  static List<Row> codebookRows(EmbeddingTable source) {
    int dimension = source.shape().dimension();
    return new AbstractList<>() {
      @Override
      public Row get(int index) {
        int field = index / dimension;
        int dim = index % dimension;
        return RowFactory.create(source.layout().name(field), dim,
            source.codebookValue(field, dim));
      }

      @Override
      public int size() {
        return source.shape().fields() * dimension;
      }
    };
  }

  static List<Row> prunedRowRows(EmbeddingTable source, int[] prunedRows) {
    return new AbstractList<>() {
      @Override
      public Row get(int index) {
        int row = prunedRows[index];
        String field = source.layout().name(source.layout().fieldOf(row));
        return RowFactory.create((long) row, field, source.token(row));
      }

      @Override
      public int size() {
        return prunedRows.length;
      }
    };
  }
}
