"""The output contract: schema.json is current, type checks work, and the run under test obeys it."""

import pyarrow as pa
import pytest

import shaver_outputs as so
from run_reader import OutputError, RunOutputs


def test_schema_json_is_current():
    assert so.SCHEMA_JSON.read_text(encoding="utf-8") == so.contract_json(), (
        "notebooks/schema.json is out of date; run: python notebooks/shaver_outputs.py --write")


def test_contract_lists_spark_names():
    tables = so.contract()["parquet"]["tables"]

    assert tables["prepared/fields"]["columns"]["offset"] == {
        "arrow": ["int64", "int32"], "spark": ["bigint", "int"]}
    assert tables["budgets/budget={label}/pruned_rows"]["may_be_empty"] is True
    assert tables["shapley"]["may_be_empty"] is False


def test_type_names_ignore_list_field_and_string_width():
    assert so.arrow_type_name(pa.large_string()) == "string"
    assert so.arrow_type_name(pa.list_(pa.field("element", pa.int32()))) == "list<int32>"
    assert so.arrow_type_name(pa.large_list(pa.float16())) == "list<halffloat>"
    assert so.arrow_type_name(pa.float32()) == "float"


def test_schema_accepts_alternative_type():
    schema = pa.schema([("field", pa.string()), ("size", pa.int32()), ("offset", pa.int32())])

    assert so.schema_problems("fields", schema, so.PARQUET_TABLES["prepared/fields"]) == []


def test_schema_reports_wrong_type():
    schema = pa.schema([("field", pa.string()), ("size", pa.int32()), ("offset", pa.string())])

    problems = so.schema_problems("fields", schema, so.PARQUET_TABLES["prepared/fields"])
    assert problems == ["fields: column 'offset' has type string, expected int64 or int32"]


def test_schema_reports_missing_column():
    schema = pa.schema([("field", pa.string()), ("offset", pa.int64())])

    problems = so.schema_problems("fields", schema, so.PARQUET_TABLES["prepared/fields"])
    assert problems == ["fields: column 'size' is missing (columns present: field, offset)"]


def test_run_obeys_contract(run_dir):
    run = RunOutputs(run_dir)
    labels = run.budget_labels()

    for template in so.PARQUET_TABLES:
        for label in (labels if so.BUDGET_LABEL in template else [None]):
            table = run.table(template, label)
            assert list(table.columns) == list(so.PARQUET_TABLES[template])
            assert so.STAGE_KEY in run.provenance(template, label)
    for label in labels:
        columns, metadata = run.artifact(label)
        assert metadata[so.ARTIFACT_PLACEHOLDER_KEY] in so.ARTIFACT_PLACEHOLDERS
        assert len(columns["values"]) == int(metadata["shaver.artifact.kept"])
    assert run.embedding_weight().ndim == 2


def test_run_missing_is_reported(tmp_path):
    with pytest.raises(OutputError, match="run output directory not found"):
        RunOutputs(tmp_path / "absent")
