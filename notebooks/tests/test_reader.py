"""run_reader on hand-built files: safetensors parsing, artifact decoding, table checks."""

import io
import json
import struct

import numpy as np
import pyarrow as pa
import pyarrow.parquet as pq
from pyarrow import ipc
import pytest

import shaver_outputs as so
from run_reader import OutputError, RunOutputs, read_safetensors_tensor


def safetensors_bytes(tensors):
    """Encode {name: (dtype, shape, raw bytes)} as a safetensors file."""
    header = {"__metadata__": {"format": "pt"}}
    data = b""
    for name, (dtype, shape, raw) in tensors.items():
        header[name] = {"dtype": dtype, "shape": shape,
                        "data_offsets": [len(data), len(data) + len(raw)]}
        data += raw
    encoded = json.dumps(header).encode()
    encoded += b" " * (-len(encoded) % 8)
    return struct.pack("<Q", len(encoded)) + encoded + data


def write_table(directory, table, finished=True, metadata=None):
    directory.mkdir(parents=True)
    with pq.ParquetWriter(directory / "part-00000.parquet", table.schema,
                          store_schema=False) as writer:
        writer.write_table(table)
        writer.add_key_value_metadata(metadata or {"shaver.stage": "prepare"})
    if finished:
        (directory / "_SUCCESS").write_bytes(b"")


def fields_table(offset_type=None):
    offset_type = offset_type or pa.int64()
    return pa.table({"field": ["a", "b"], "size": pa.array([3, 2], pa.int32()),
                     "offset": pa.array([0, 3], offset_type)})


def test_safetensors_reads_f32_after_other_tensor():
    weight = np.arange(12, dtype="<f4").reshape(4, 3) / 7
    blob = safetensors_bytes({"bias": ("F32", [2], np.ones(2, "<f4").tobytes()),
                              "embedding.weight": ("F32", [4, 3], weight.tobytes())})

    result = read_safetensors_tensor(io.BytesIO(blob), "embedding.weight")
    assert result.dtype == np.float32
    assert np.array_equal(result, weight)


def test_safetensors_widens_f16_exactly():
    weight = np.array([[0.5, -1.25], [65504.0, 2.0 ** -24]], dtype="<f2")
    blob = safetensors_bytes({"embedding.weight": ("F16", [2, 2], weight.tobytes())})

    result = read_safetensors_tensor(io.BytesIO(blob), "embedding.weight")
    assert np.array_equal(result, weight.astype(np.float32))


def test_safetensors_widens_bf16_exactly():
    exact = np.array([1.0, -2.5, 0.15625, -0.0], dtype=np.float32)
    upper_halves = (exact.view(np.uint32) >> 16).astype("<u2")
    blob = safetensors_bytes({"embedding.weight": ("BF16", [2, 2], upper_halves.tobytes())})

    result = read_safetensors_tensor(io.BytesIO(blob), "embedding.weight")
    assert np.array_equal(result.ravel().view(np.uint32), exact.view(np.uint32))


def test_safetensors_rejects_integer_dtype():
    blob = safetensors_bytes({"embedding.weight": ("I64", [1, 1], b"\0" * 8)})

    with pytest.raises(OutputError, match="dtype I64, expected one of F32, F16, BF16"):
        read_safetensors_tensor(io.BytesIO(blob), "embedding.weight")


def test_safetensors_reports_missing_tensor():
    blob = safetensors_bytes({"bias": ("F32", [1], b"\0" * 4)})

    with pytest.raises(OutputError, match="tensor 'embedding.weight' not found; tensors: bias"):
        read_safetensors_tensor(io.BytesIO(blob), "embedding.weight")


def test_safetensors_rejects_size_mismatch():
    blob = safetensors_bytes({"embedding.weight": ("F32", [2, 2], b"\0" * 12)})

    with pytest.raises(OutputError, match="spans 12 bytes"):
        read_safetensors_tensor(io.BytesIO(blob), "embedding.weight")


def test_table_casts_int_offset_to_long(tmp_path):
    write_table(tmp_path / "prepared/fields", fields_table(pa.int32()))

    fields = RunOutputs(tmp_path).table("prepared/fields")
    assert str(fields["offset"].dtype) == "int64"
    assert list(fields["offset"]) == [0, 3]


def test_table_reads_file_uri(tmp_path):
    write_table(tmp_path / "prepared/fields", fields_table())

    fields = RunOutputs(tmp_path.as_uri()).table("prepared/fields")
    assert list(fields["field"]) == ["a", "b"]


def test_table_without_success_marker_is_rejected(tmp_path):
    write_table(tmp_path / "prepared/fields", fields_table(), finished=False)

    with pytest.raises(OutputError, match="prepared/fields/ has no _SUCCESS marker"):
        RunOutputs(tmp_path).table("prepared/fields")


def test_empty_table_is_rejected(tmp_path):
    write_table(tmp_path / "prepared/fields", fields_table().slice(0, 0))

    with pytest.raises(OutputError, match="prepared/fields has no rows"):
        RunOutputs(tmp_path).table("prepared/fields")


def test_empty_pruned_rows_are_accepted(tmp_path):
    empty = pa.table({"global_id": pa.array([], pa.int64()), "field": pa.array([], pa.string()),
                      "token": pa.array([], pa.string())})
    write_table(tmp_path / "budgets/budget=kept=5/pruned_rows", empty)

    rows = RunOutputs(tmp_path).table("budgets/budget={label}/pruned_rows", "kept=5")
    assert len(rows) == 0


def test_provenance_requires_stage_key(tmp_path):
    write_table(tmp_path / "prepared/fields", fields_table(), metadata={"other": "x"})

    with pytest.raises(OutputError, match="no 'shaver.stage' key"):
        RunOutputs(tmp_path).provenance("prepared/fields")


def test_budget_labels_skip_unfinished(tmp_path):
    for name, finished in [("budget=sparsity=0.9", True), ("budget=sparsity=0.5", True),
                           ("budget=kept=10", False), (".budget=kept=20.staging", True)]:
        (tmp_path / "budgets" / name).mkdir(parents=True)
        if finished:
            (tmp_path / "budgets" / name / "_SUCCESS").write_bytes(b"")

    assert RunOutputs(tmp_path).budget_labels() == ["sparsity=0.5", "sparsity=0.9"]


def write_artifact(path, values, value_type, extra=None, version="1"):
    arrays = {"values": pa.array([values]),
              "columns": pa.array([np.arange(len(values), dtype=np.uint8)]),
              "row_pointers": pa.array([np.array([0, len(values)], np.int32)]),
              "codebook": pa.array([np.zeros(len(values), np.float32)]),
              "field_offsets": pa.array([np.array([0, 1], np.int32)]),
              "field_names": pa.array([["a"]])}
    arrays.update(extra or {})
    metadata = {so.ARTIFACT_VERSION_KEY: version, so.ARTIFACT_VALUE_TYPE_KEY: value_type,
                so.ARTIFACT_PLACEHOLDER_KEY: "zero"}
    table = pa.table(arrays).replace_schema_metadata(metadata)
    path.parent.mkdir(parents=True)
    with ipc.new_file(str(path), table.schema) as writer:
        writer.write_table(table)


def test_artifact_dequantizes_int8(tmp_path):
    codes = np.array([-128, 0, 5, 127], dtype=np.int8)
    write_artifact(tmp_path / "budgets/budget=b/table.arrow", codes, "int8",
                   {"scale": pa.array([0.5], pa.float32()),
                    "zero_point": pa.array([-3], pa.int32())})

    columns, _ = RunOutputs(tmp_path).artifact("b")
    assert columns["values"].dtype == np.float32
    assert columns["values"].tolist() == [-62.5, 1.5, 4.0, 65.0]


def test_artifact_widens_fp16(tmp_path):
    values = np.array([0.5, -0.333251953125], dtype=np.float16)
    write_artifact(tmp_path / "budgets/budget=b/table.arrow", values, "fp16")

    columns, _ = RunOutputs(tmp_path).artifact("b")
    assert columns["values"].tolist() == [0.5, -0.333251953125]


def test_artifact_int8_without_scale_is_rejected(tmp_path):
    write_artifact(tmp_path / "budgets/budget=b/table.arrow", np.zeros(2, np.int8), "int8")

    with pytest.raises(OutputError, match="column 'scale' is missing"):
        RunOutputs(tmp_path).artifact("b")


def test_artifact_other_version_is_rejected(tmp_path):
    write_artifact(tmp_path / "budgets/budget=b/table.arrow", np.zeros(2, np.float32),
                   "float32", version="2")

    with pytest.raises(OutputError, match="shaver.artifact.version is '2'"):
        RunOutputs(tmp_path).artifact("b")
