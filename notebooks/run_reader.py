"""Read a run's documented outputs, checking them against the contract in ``shaver_outputs``.

Every reader raises ``OutputError`` with the path and the problem when a file is missing, a
stage did not finish (no ``_SUCCESS`` marker), a column is missing or has another type, or a
table that must have rows is empty. Paths may be local or URIs that
``pyarrow.fs.FileSystem.from_uri`` understands (``file://``, ``hdfs://``, ``s3://``).
"""

import json
import posixpath
import struct

import numpy as np
import pyarrow as pa
import pyarrow.dataset as ds
import pyarrow.fs as pafs
import pyarrow.parquet as pq
from pyarrow import ipc

import shaver_outputs as so

_ARROW_TYPES = {
    so.STRING: pa.string(),
    so.INT32: pa.int32(),
    so.INT64: pa.int64(),
    so.FLOAT32: pa.float32(),
    so.FLOAT64: pa.float64(),
}
_SAFETENSORS_DTYPES = {"F32": "<f4", "F16": "<f2", "BF16": "<u2"}


class OutputError(Exception):
    """A run's output is missing, incomplete or does not match the contract."""


class RunOutputs:
    """The outputs of one run under ``output_dir``."""

    def __init__(self, output_dir):
        output_dir = str(output_dir)
        if "://" in output_dir:
            self.filesystem, self.root = pafs.FileSystem.from_uri(output_dir)
        else:
            self.filesystem = pafs.LocalFileSystem()
            self.root = posixpath.abspath(output_dir)
        self.location = output_dir
        if self.filesystem.get_file_info(self.root).type != pafs.FileType.Directory:
            raise OutputError(f"run output directory not found: {output_dir}")

    def path(self, relative):
        return posixpath.join(self.root, relative)

    def table(self, template, label=None):
        """Read a Parquet table of the contract as a pandas DataFrame, columns cast to their
        documented types. ``label`` names the budget for ``budgets/budget={label}/...``."""
        relative = so.budget_path(template, label) if label is not None else template
        parts = self._part_files(relative)
        dataset = ds.dataset(parts, filesystem=self.filesystem, format="parquet")
        expected = so.PARQUET_TABLES[template]
        problems = so.schema_problems(relative, dataset.schema, expected)
        if problems:
            raise OutputError("; ".join(problems))

        table = dataset.to_table(columns=list(expected))
        target = pa.schema([(c, _ARROW_TYPES[types[0]]) for c, types in expected.items()])
        table = table.cast(target)
        if table.num_rows == 0 and template not in so.MAY_BE_EMPTY:
            raise OutputError(f"{relative} has no rows")
        return table.to_pandas()

    def provenance(self, template, label=None):
        """Return the ``shaver.*`` footer metadata of a table's first part file."""
        relative = so.budget_path(template, label) if label is not None else template
        first = self._part_files(relative)[0]
        with self.filesystem.open_input_file(first) as handle:
            raw = pq.ParquetFile(handle).metadata.metadata or {}
        metadata = {k.decode(): v.decode() for k, v in raw.items()}
        if so.STAGE_KEY not in metadata:
            raise OutputError(f"{first} has no '{so.STAGE_KEY}' key in its footer metadata")
        return {k: v for k, v in metadata.items() if k.startswith("shaver.")}

    def budget_labels(self):
        """List the labels of the finished budgets under ``budgets/``, in name order."""
        directory = self.path(so.BUDGETS_DIR)
        if self.filesystem.get_file_info(directory).type != pafs.FileType.Directory:
            raise OutputError(f"{so.BUDGETS_DIR}/ not found under {self.location};"
                              f" run {so.writing_stage(so.BUDGETS_DIR)} first")
        labels = []
        for info in self.filesystem.get_file_info(pafs.FileSelector(directory)):
            if info.type == pafs.FileType.Directory and info.base_name.startswith(
                    so.BUDGET_DIR_PREFIX) and self._finished(info.path):
                labels.append(info.base_name[len(so.BUDGET_DIR_PREFIX):])
        if not labels:
            raise OutputError(f"no finished budget directory under {directory}")
        return sorted(labels)

    def artifact(self, label):
        """Read one budget's ``table.arrow`` and return (columns as numpy arrays, metadata).

        Kept values come back as float32: fp16 values widened, int8 codes dequantized as
        (code - zero_point) * scale."""
        relative = so.budget_path(so.ARTIFACT, label)
        with self.filesystem.open_input_file(self.path(relative)) as handle:
            table = ipc.open_file(handle).read_all()
        metadata = {k.decode(): v.decode() for k, v in (table.schema.metadata or {}).items()}
        self._check_artifact(relative, table, metadata)

        columns = {name: table.column(name)[0].values.to_numpy(zero_copy_only=False)
                   for name in so.ARTIFACT_COLUMNS}
        value_type = metadata[so.ARTIFACT_VALUE_TYPE_KEY]
        if value_type == "int8":
            scale = np.float32(table.column("scale")[0].as_py())
            zero_point = np.int32(table.column("zero_point")[0].as_py())
            columns["scale"], columns["zero_point"] = scale, zero_point
            columns["values"] = (columns["values"].astype(np.int32) - zero_point).astype(
                np.float32) * scale
        else:
            columns["values"] = columns["values"].astype(np.float32)
        return columns, metadata

    def embedding_weight(self):
        """Read ``embedding.weight`` [n, d] from ``model/model.safetensors`` as float32."""
        location = self.path(so.MODEL_WEIGHTS)
        with self.filesystem.open_input_file(location) as handle:
            return read_safetensors_tensor(handle, so.EMBEDDING_TENSOR, location)

    def _part_files(self, relative):
        directory = self.path(relative)
        stage = so.writing_stage(relative)
        if self.filesystem.get_file_info(directory).type != pafs.FileType.Directory:
            raise OutputError(f"{relative}/ not found under {self.location}; run {stage} first")
        if not self._finished(directory):
            raise OutputError(f"{relative}/ has no {so.SUCCESS_MARKER} marker, so {stage} did"
                              " not finish writing it; rerun that stage")
        parts = sorted(
            info.path for info in self.filesystem.get_file_info(pafs.FileSelector(directory))
            if info.type == pafs.FileType.File and info.base_name.endswith(".parquet")
            and not info.base_name.startswith(("_", ".")))
        if not parts:
            raise OutputError(f"{relative}/ contains no .parquet file")
        return parts

    def _finished(self, directory):
        marker = posixpath.join(directory, so.SUCCESS_MARKER)
        return self.filesystem.get_file_info(marker).type == pafs.FileType.File

    @staticmethod
    def _check_artifact(relative, table, metadata):
        version = metadata.get(so.ARTIFACT_VERSION_KEY)
        if version != so.ARTIFACT_VERSION:
            raise OutputError(f"{relative}: {so.ARTIFACT_VERSION_KEY} is {version!r}, this"
                              f" reader supports {so.ARTIFACT_VERSION!r}")
        value_type = metadata.get(so.ARTIFACT_VALUE_TYPE_KEY)
        if value_type not in so.ARTIFACT_VALUE_TYPES:
            raise OutputError(f"{relative}: {so.ARTIFACT_VALUE_TYPE_KEY} is {value_type!r},"
                              f" expected one of {', '.join(so.ARTIFACT_VALUE_TYPES)}")
        expected = dict(so.ARTIFACT_COLUMNS)
        if value_type == "int8":
            expected.update(so.ARTIFACT_INT8_COLUMNS)
        problems = so.schema_problems(relative, table.schema, expected)
        if problems:
            raise OutputError("; ".join(problems))
        if table.num_rows != 1:
            raise OutputError(f"{relative} has {table.num_rows} rows, expected 1")


def read_safetensors_tensor(handle, name, location="<stream>"):
    """Read tensor ``name`` from a safetensors file open for random access, as float32.

    The format is an 8-byte little-endian header length, a JSON header mapping each tensor to
    its dtype, shape and [begin, end) byte offsets into the data that follows the header, then
    the data. F32, F16 and BF16 tensors are supported; BF16 is widened by shifting its 16 bits
    into the high half of a float32, which is exact.
    """
    handle.seek(0)
    (header_length,) = struct.unpack("<Q", handle.read(8))
    header = json.loads(handle.read(header_length))
    if name not in header:
        tensors = sorted(k for k in header if k != "__metadata__")
        raise OutputError(f"{location}: tensor '{name}' not found; tensors: {', '.join(tensors)}")
    entry = header[name]
    dtype = entry["dtype"]
    if dtype not in _SAFETENSORS_DTYPES:
        raise OutputError(f"{location}: tensor '{name}' has dtype {dtype}, expected one of"
                          f" {', '.join(_SAFETENSORS_DTYPES)}")
    begin, end = entry["data_offsets"]
    shape = tuple(entry["shape"])
    item_size = np.dtype(_SAFETENSORS_DTYPES[dtype]).itemsize
    if end - begin != item_size * int(np.prod(shape, dtype=np.int64)):
        raise OutputError(f"{location}: tensor '{name}' spans {end - begin} bytes, but shape"
                          f" {list(shape)} of {dtype} needs {item_size * int(np.prod(shape))}")

    handle.seek(8 + header_length + begin)
    data = np.frombuffer(handle.read(end - begin), dtype=_SAFETENSORS_DTYPES[dtype])
    if dtype == "BF16":
        data = (data.astype(np.uint32) << 16).view(np.float32)
    return data.astype(np.float32).reshape(shape)
