package io.shaver.compress;

/**
 * Layout of {@code table.arrow}, the on-device artifact of one budget: an Arrow IPC file with
 * one record batch of one row, each column holding one list (Arrow lists let arrays of different
 * lengths share a batch).
 *
 * <table>
 *   <caption>Columns</caption>
 *   <tr><th>column</th><th>type</th><th>length</th><th>contents</th></tr>
 *   <tr><td>{@value #VALUES}</td><td>list&lt;float32 | float16 | int8&gt;</td><td>kept</td>
 *       <td>kept values, row by row, columns ascending; int8 stores codes</td></tr>
 *   <tr><td>{@value #COLUMNS}</td><td>list&lt;uint8&gt; (d ≤ 256) or list&lt;int16&gt;</td>
 *       <td>kept</td><td>dimension j of each kept value</td></tr>
 *   <tr><td>{@value #ROW_POINTERS}</td><td>list&lt;int32&gt;</td><td>n + 1</td>
 *       <td>row r's kept values are [row_pointers[r], row_pointers[r + 1])</td></tr>
 *   <tr><td>{@value #CODEBOOK}</td><td>list&lt;float32&gt;</td><td>m·d</td>
 *       <td>placeholder C[f, j] at f·d + j; zeros for the zero placeholder</td></tr>
 *   <tr><td>{@value #FIELD_OFFSETS}</td><td>list&lt;int32&gt;</td><td>m + 1</td>
 *       <td>field f owns global rows [field_offsets[f], field_offsets[f + 1])</td></tr>
 *   <tr><td>{@value #FIELD_NAMES}</td><td>list&lt;utf8&gt;</td><td>m</td>
 *       <td>field names</td></tr>
 *   <tr><td>{@value #SCALE}, {@value #ZERO_POINT}</td><td>float32, int32</td><td>1</td>
 *       <td>int8 only: value = (code − zero_point)·scale</td></tr>
 * </table>
 *
 * <p>A global row r is served as codebook row field(r), overwritten at each kept column by its
 * kept value; a kept 0.0 stays 0.0. The schema's key-value metadata contains the stage provenance
 * ({@code shaver.*}) and the {@code shaver.artifact.*} keys below.
 */
public final class ArtifactSchema {

  /** Layout version; readers reject other versions. */
  public static final String VERSION = "1";

  public static final String VALUES = "values";
  public static final String COLUMNS = "columns";
  public static final String ROW_POINTERS = "row_pointers";
  public static final String CODEBOOK = "codebook";
  public static final String FIELD_OFFSETS = "field_offsets";
  public static final String FIELD_NAMES = "field_names";
  public static final String SCALE = "scale";
  public static final String ZERO_POINT = "zero_point";

  /** Name of the list element field. */
  static final String ITEM = "item";

  public static final String KEY_VERSION = "shaver.artifact.version";
  /** {@code float32}, {@code fp16} or {@code int8}. */
  public static final String KEY_VALUE_TYPE = "shaver.artifact.value_type";
  public static final String KEY_ROWS = "shaver.artifact.rows";
  public static final String KEY_DIMENSION = "shaver.artifact.dimension";
  public static final String KEY_FIELDS = "shaver.artifact.fields";
  public static final String KEY_KEPT = "shaver.artifact.kept";
  /** {@code zero} or {@code codebook}. */
  public static final String KEY_PLACEHOLDER = "shaver.artifact.placeholder";

  private ArtifactSchema() {
  }
}
