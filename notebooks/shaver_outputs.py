"""Contract between a run's outputs and the notebooks: every file, column and type they read.

The notebooks, their tests and ``schema.json`` (read by the Java contract test) all take
column names from here, so a renamed column is changed in one place. Each column maps to the
Arrow types a reader accepts, the documented type first; readers cast to that first type.

Run ``python notebooks/shaver_outputs.py --write`` to regenerate ``schema.json`` after an
edit; ``notebooks/tests/test_schema.py`` fails while the two differ.
"""

import json
import sys
from pathlib import Path

SCHEMA_JSON = Path(__file__).with_name("schema.json")

# Placeholder for a budget's label in paths, for example "sparsity=0.9" or "bytes=1MB-int8".
BUDGET_LABEL = "{label}"
BUDGETS_DIR = "budgets"
BUDGET_DIR_PREFIX = "budget="

# Marker file that a stage writes into an output directory once the directory is complete.
SUCCESS_MARKER = "_SUCCESS"
# Footer metadata key of every Parquet file the job writes: the stage that wrote it.
STAGE_KEY = "shaver.stage"
VERSION_KEY = "shaver.version"

STRING = "string"
INT32 = "int32"
INT64 = "int64"
FLOAT32 = "float"
FLOAT64 = "double"

PARQUET_TABLES = {
    "prepared/fields": {
        "field": (STRING,),
        "size": (INT32,),
        "offset": (INT64, INT32),
    },
    "codebook": {
        "field": (STRING,),
        "dimension": (INT32,),
        "value": (FLOAT32,),
    },
    "shapley": {
        "global_id": (INT64,),
        "field": (STRING,),
        "token": (STRING,),
        "dimension": (INT32,),
        "phi": (FLOAT64,),
        "stderr": (FLOAT64,),
        "occurrences": (INT64,),
    },
    "budgets/budget={label}/kept": {
        "global_id": (INT64,),
        "field": (STRING,),
        "dimension": (INT32,),
        "value": (FLOAT32,),
    },
    "budgets/budget={label}/codebook": {
        "field": (STRING,),
        "dimension": (INT32,),
        "value": (FLOAT32,),
    },
    "budgets/budget={label}/pruned_rows": {
        "global_id": (INT64,),
        "field": (STRING,),
        "token": (STRING,),
    },
    "metrics": {
        "method": (STRING,),
        "budget": (STRING,),
        "sparsity": (FLOAT64,),
        "kept": (INT64,),
        "bytes": (INT64,),
        "auc": (FLOAT64,),
        "logloss": (FLOAT64,),
        "kl": (FLOAT64,),
        "delta_auc": (FLOAT64,),
    },
}

# Tables that may have no rows: pruned_rows/ is empty when every row keeps at least one entry.
MAY_BE_EMPTY = frozenset({"budgets/budget={label}/pruned_rows"})

# The on-device artifact of one budget: an Arrow IPC file with one record batch of one row,
# each column holding one list.
ARTIFACT = "budgets/budget={label}/table.arrow"
ARTIFACT_COLUMNS = {
    "values": ("list<float>", "list<halffloat>", "list<int8>"),
    "columns": ("list<uint8>", "list<int16>"),
    "row_pointers": ("list<int32>",),
    "codebook": ("list<float>",),
    "field_offsets": ("list<int32>",),
    "field_names": ("list<string>",),
}
# Present only when the kept values are int8 codes: value = (code - zero_point) * scale.
ARTIFACT_INT8_COLUMNS = {
    "scale": ("float",),
    "zero_point": ("int32",),
}
ARTIFACT_VERSION_KEY = "shaver.artifact.version"
ARTIFACT_VERSION = "1"
ARTIFACT_VALUE_TYPE_KEY = "shaver.artifact.value_type"
ARTIFACT_VALUE_TYPES = ("float32", "fp16", "int8")
ARTIFACT_PLACEHOLDER_KEY = "shaver.artifact.placeholder"
ARTIFACT_PLACEHOLDERS = ("codebook", "zero")

MODEL_WEIGHTS = "model/model.safetensors"
EMBEDDING_TENSOR = "embedding.weight"
EMBEDDING_DTYPES = ("F32", "F16", "BF16")

# The job stage that writes each top-level output directory, for error messages.
WRITING_STAGES = {"prepared": "prepare", "model": "train", "codebook": "estimate",
                  "shapley": "estimate", "budgets": "compress", "metrics": "evaluate"}

# Spark SQL names (DataType.simpleString) of the Arrow types used in Parquet tables.
SPARK_TYPE_NAMES = {
    STRING: "string",
    INT32: "int",
    INT64: "bigint",
    FLOAT32: "float",
    FLOAT64: "double",
}


def arrow_type_name(arrow_type):
    """Return the contract's name of a pyarrow type: list field names and string widths ignored."""
    import pyarrow as pa

    if pa.types.is_string(arrow_type) or pa.types.is_large_string(arrow_type) \
            or pa.types.is_string_view(arrow_type):
        return STRING
    if pa.types.is_list(arrow_type) or pa.types.is_large_list(arrow_type) \
            or pa.types.is_list_view(arrow_type):
        return "list<" + arrow_type_name(arrow_type.value_type) + ">"
    return str(arrow_type)


def schema_problems(where, schema, expected):
    """List the columns of ``expected`` that are missing from ``schema`` or have another type."""
    problems = []
    for column, accepted in expected.items():
        index = schema.get_field_index(column)
        if index < 0:
            problems.append(f"{where}: column '{column}' is missing"
                            f" (columns present: {', '.join(schema.names)})")
            continue
        found = arrow_type_name(schema.field(index).type)
        if found not in accepted:
            problems.append(f"{where}: column '{column}' has type {found},"
                            f" expected {' or '.join(accepted)}")
    return problems


def budget_path(template, label):
    """Substitute a budget label into a path template of this contract."""
    return template.replace(BUDGET_LABEL, label)


def writing_stage(relative):
    """Return the job stage that writes the output at ``relative``, or "the job"."""
    stage = WRITING_STAGES.get(relative.split("/", 1)[0])
    return f"the {stage} stage" if stage else "the job"


def contract():
    """Return the contract as plain data, in the shape written to ``schema.json``."""
    parquet = {}
    for table, columns in PARQUET_TABLES.items():
        parquet[table] = {
            "may_be_empty": table in MAY_BE_EMPTY,
            "columns": {
                column: {"arrow": list(types), "spark": [SPARK_TYPE_NAMES[t] for t in types]}
                for column, types in columns.items()
            },
        }
    return {
        "description": "Every output file, column and type that the notebooks under notebooks/"
                       " read. Generated from notebooks/shaver_outputs.py; do not edit by hand."
                       " The first type of each column is the documented one.",
        "budget_label_placeholder": BUDGET_LABEL,
        "success_marker": SUCCESS_MARKER,
        "parquet": {
            "footer_metadata_keys": [STAGE_KEY, VERSION_KEY],
            "tables": parquet,
        },
        "arrow_ipc": {
            ARTIFACT: {
                "columns": {c: list(t) for c, t in ARTIFACT_COLUMNS.items()},
                "int8_columns": {c: list(t) for c, t in ARTIFACT_INT8_COLUMNS.items()},
                "metadata": {
                    ARTIFACT_VERSION_KEY: [ARTIFACT_VERSION],
                    ARTIFACT_VALUE_TYPE_KEY: list(ARTIFACT_VALUE_TYPES),
                    ARTIFACT_PLACEHOLDER_KEY: list(ARTIFACT_PLACEHOLDERS),
                },
            },
        },
        "safetensors": {
            MODEL_WEIGHTS: {EMBEDDING_TENSOR: {"dtypes": list(EMBEDDING_DTYPES), "rank": 2}},
        },
    }


def contract_json():
    """Return ``schema.json``'s exact text."""
    return json.dumps(contract(), indent=2) + "\n"


def main(argv):
    if argv == ["--write"]:
        SCHEMA_JSON.write_text(contract_json(), encoding="utf-8")
        print(f"Wrote {SCHEMA_JSON}")
        return 0
    if argv == ["--check"]:
        if SCHEMA_JSON.read_text(encoding="utf-8") != contract_json():
            print(f"{SCHEMA_JSON} is out of date; run: python {__file__} --write")
            return 1
        return 0
    print(f"usage: python {__file__} --write | --check")
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
