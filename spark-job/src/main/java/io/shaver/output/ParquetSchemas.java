package io.shaver.output;

import org.apache.parquet.schema.LogicalTypeAnnotation;
import org.apache.parquet.schema.MessageType;
import org.apache.parquet.schema.PrimitiveType.PrimitiveTypeName;
import org.apache.parquet.schema.Type;
import org.apache.parquet.schema.Type.Repetition;
import org.apache.parquet.schema.Types;
import org.apache.spark.sql.types.ArrayType;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/**
 * Maps the Spark column types that the job's outputs use to Parquet types.
 *
 * <p>Supported: int, long, float, double, boolean, string, and arrays of int, long, float or
 * double (standard three-level LIST). Nullable columns become optional, others required.
 */
final class ParquetSchemas {

  private ParquetSchemas() {
  }

  static MessageType toParquet(StructType schema) {
    Types.MessageTypeBuilder message = Types.buildMessage();
    for (StructField field : schema.fields()) {
      message.addField(toParquet(field));
    }
    return message.named("spark_schema");
  }

  private static Type toParquet(StructField field) {
    Repetition repetition = field.nullable() ? Repetition.OPTIONAL : Repetition.REQUIRED;
    DataType type = field.dataType();
    if (type instanceof ArrayType array) {
      Type element = primitive(array.elementType(), Repetition.REQUIRED, "element", field.name());
      return Types.list(repetition).element(element).named(field.name());
    }
    return primitive(type, repetition, field.name(), field.name());
  }

  private static Type primitive(DataType type, Repetition repetition, String name, String column) {
    if (type.equals(DataTypes.IntegerType)) {
      return Types.primitive(PrimitiveTypeName.INT32, repetition).named(name);
    }
    if (type.equals(DataTypes.LongType)) {
      return Types.primitive(PrimitiveTypeName.INT64, repetition).named(name);
    }
    if (type.equals(DataTypes.FloatType)) {
      return Types.primitive(PrimitiveTypeName.FLOAT, repetition).named(name);
    }
    if (type.equals(DataTypes.DoubleType)) {
      return Types.primitive(PrimitiveTypeName.DOUBLE, repetition).named(name);
    }
    if (type.equals(DataTypes.BooleanType)) {
      return Types.primitive(PrimitiveTypeName.BOOLEAN, repetition).named(name);
    }
    if (type.equals(DataTypes.StringType)) {
      return Types.primitive(PrimitiveTypeName.BINARY, repetition)
          .as(LogicalTypeAnnotation.stringType()).named(name);
    }
    throw new IllegalArgumentException("Column '" + column + "' has type " + type.simpleString()
        + ", which the provenance Parquet writer does not support; use int, long, float,"
        + " double, boolean, string or an array of numbers");
  }
}
