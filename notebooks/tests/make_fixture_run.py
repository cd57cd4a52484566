"""Write a small synthetic run directory in the job's documented output layout.

The notebooks are developed and tested against it until CI switches to a run produced by the
job itself. Values are synthetic but internally consistent: the codebook is the train+val
frequency-weighted mean of the embedding rows, budgets prune the smallest |phi| first with
nested masks, and the Arrow artifact encodes exactly the Parquet kept entries. The metrics are
made up and only shaped like the evaluate stage's.

Usage: python make_fixture_run.py OUTPUT_DIR [--seed N]
"""

import argparse
import json
import struct
import sys
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.parquet as pq
from pyarrow import ipc

FIELDS = [("I1", "integer", 10), ("C1", "categorical", 40), ("C2", "categorical", 25),
          ("C3", "categorical", 12)]
DIMENSION = 8
SPLIT_ROWS = {"train": 400, "val": 100, "test": 100}
SPARSITY_BUDGETS = ("0.5", "0.8", "0.95")
BYTE_BUDGETS = (("1KB", 1000, "fp16"), ("1KB", 1000, "int8"))
VALUE_BYTES = {"float32": 4, "fp16": 2, "int8": 1}
METHOD_SLOPES = {"shaver-codebook": 0.02, "shaver-zero": 0.05, "magnitude": 0.08, "random": 0.15}
UNPRUNED_AUC = 0.80
UNPRUNED_LOGLOSS = 0.45
VERSION = "fixture"


def provenance(stage, seed, extra=None):
    metadata = {"shaver.version": VERSION, "shaver.stage": stage, "shaver.seed": str(seed),
                "shaver.config": "fixture: true\n"}
    metadata.update(extra or {})
    return metadata


def write_parquet(directory, table, metadata, parts=1):
    """Write ``table`` as part-NNNNN.parquet files plus _SUCCESS, like the job's writer."""
    directory.mkdir(parents=True, exist_ok=True)
    bounds = np.linspace(0, table.num_rows, parts + 1).astype(int)
    for index in range(parts):
        part = table.slice(bounds[index], bounds[index + 1] - bounds[index])
        # The job writes with parquet-java, which stores no Arrow schema in the footer. So
        # this writer leaves it out too and adds the provenance as plain key-value metadata.
        path = directory / f"part-{index:05d}.parquet"
        with pq.ParquetWriter(path, table.schema, compression="snappy",
                              store_schema=False) as writer:
            writer.write_table(part)
            writer.add_key_value_metadata(metadata)
    (directory / "_SUCCESS").write_bytes(b"")


def write_safetensors(path, tensors, metadata):
    header = {"__metadata__": metadata}
    offset = 0
    for name, array in tensors.items():
        header[name] = {"dtype": "F32", "shape": list(array.shape),
                        "data_offsets": [offset, offset + array.nbytes]}
        offset += array.nbytes
    encoded = json.dumps(header).encode()
    encoded += b" " * (-len(encoded) % 8)
    with open(path, "wb") as out:
        out.write(struct.pack("<Q", len(encoded)))
        out.write(encoded)
        for array in tensors.values():
            out.write(np.ascontiguousarray(array, dtype="<f4").tobytes())


class FixtureRun:
    """Synthetic data, model, Shapley values and budgets of one run."""

    def __init__(self, seed):
        self.seed = seed
        self.random = np.random.default_rng(seed)
        self.sizes = np.array([size for _, _, size in FIELDS])
        self.offsets = np.concatenate([[0], np.cumsum(self.sizes)[:-1]])
        self.rows = int(self.sizes.sum())
        self.field_of_row = np.repeat(np.arange(len(FIELDS)), self.sizes)
        self.tokens = self._tokens()
        self.splits = {name: self._samples(count) for name, count in SPLIT_ROWS.items()}
        self.counts = self._train_val_counts()
        self.embedding = self.random.normal(0, 0.1, (self.rows, DIMENSION)).astype(np.float32)
        # A trained value of exactly 0.0 must survive pruning as a kept 0.0.
        self.embedding[int(self.offsets[1]) + 1, 2] = 0.0
        self.codebook = self._codebook()
        self.phi, self.stderr = self._shapley()

    def _tokens(self):
        tokens = []
        for name, kind, size in FIELDS:
            tokens.append(None)  # local id 0 is the field's out-of-vocabulary row
            for local in range(1, size):
                tokens.append(f"{local * 10}-{local * 10 + 9}" if kind == "integer"
                              else f"{name.lower()}_{local:03d}")
        return tokens

    def _samples(self, count):
        columns = []
        for size in self.sizes:
            # Zipf-like popularity after a rare OOV row, so rare ids exist and the last two never
            # occur.
            weights = np.concatenate([[0.02], 1.0 / np.arange(1, size) ** 1.3])
            weights[-2:] = 0.0
            columns.append(self.random.choice(size, count, p=weights / weights.sum()))
        local = np.stack(columns, axis=1)
        labels = self.random.integers(0, 2, count)
        return labels.astype(np.int32), (local + self.offsets).astype(np.int32)

    def _train_val_counts(self):
        ids = np.concatenate([self.splits["train"][1], self.splits["val"][1]]).ravel()
        return np.bincount(ids, minlength=self.rows).astype(np.int64)

    def _codebook(self):
        codebook = np.zeros((len(FIELDS), DIMENSION), dtype=np.float32)
        for f in range(len(FIELDS)):
            rows = slice(self.offsets[f], self.offsets[f] + self.sizes[f])
            weights = self.counts[rows].astype(np.float64)
            codebook[f] = (weights[:, None] * self.embedding[rows]).sum(0) / weights.sum()
        return codebook

    def _shapley(self):
        field_weight = np.array([1.0, 3.0, 0.6, 0.2])[self.field_of_row][:, None]
        occurrences = self.counts[:, None].astype(np.float64)
        distance = (self.embedding - self.codebook[self.field_of_row]) ** 2
        noise_scale = 2e-4 / np.sqrt(np.maximum(occurrences, 1))
        phi = field_weight * distance * occurrences / occurrences.sum() * 50
        phi = phi + self.random.normal(0, 1, phi.shape) * noise_scale
        stderr = np.broadcast_to(noise_scale, phi.shape).copy()
        phi[self.counts == 0] = 0.0
        stderr[self.counts == 0] = 0.0
        return phi, stderr

    def kept_mask(self, kept):
        """Keep the ``kept`` largest |phi|; ties broken by flat index, as the job ranks."""
        flat = np.abs(self.phi).ravel()
        order = np.lexsort((np.arange(flat.size), flat))
        mask = np.zeros(flat.size, dtype=bool)
        mask[order[flat.size - kept:]] = True
        return mask.reshape(self.phi.shape)


def budgets(run):
    """Return (label, value type, kept count) for every budget of the fixture sweep."""
    parameters = run.rows * DIMENSION
    result = [(f"sparsity={ratio}", "float32", parameters - int(parameters * float(ratio)))
              for ratio in SPARSITY_BUDGETS]
    fixed = 4 * (run.rows + 1) + 4 * len(FIELDS) * DIMENSION + 4 * (len(FIELDS) + 1)
    for text, amount, value_type in BYTE_BUDGETS:
        extra = 8 if value_type == "int8" else 0
        kept = (amount - fixed - extra) // (VALUE_BYTES[value_type] + 1)
        result.append((f"bytes={text}-{value_type}", value_type, min(parameters, kept)))
    return result


def payload_bytes(run, value_type, kept):
    fixed = 4 * (run.rows + 1) + 4 * len(FIELDS) * DIMENSION + 4 * (len(FIELDS) + 1)
    return fixed + (8 if value_type == "int8" else 0) + kept * (VALUE_BYTES[value_type] + 1)


def write_prepared(run, out):
    metadata = provenance("prepare", run.seed)
    names = [name for name, _, _ in FIELDS]
    write_parquet(out / "prepared/fields", pa.table({
        "field": pa.array(names, pa.string()),
        "size": pa.array(run.sizes, pa.int32()),
        "offset": pa.array(run.offsets, pa.int64()),
        "kind": pa.array([kind for _, kind, _ in FIELDS], pa.string()),
    }), metadata)
    local_ids = np.concatenate([np.arange(size) for size in run.sizes])
    write_parquet(out / "prepared/vocabulary", pa.table({
        "field": pa.array([names[f] for f in run.field_of_row], pa.string()),
        "token": pa.array(run.tokens, pa.string()),
        "local_id": pa.array(local_ids, pa.int32()),
        "global_id": pa.array(np.arange(run.rows), pa.int64()),
        "count": pa.array(run.counts, pa.int64()),
    }), metadata)
    row_key = 0
    for name, (labels, ids) in run.splits.items():
        write_parquet(out / "prepared" / name, pa.table({
            "label": pa.array(labels, pa.int32()),
            "ids": pa.array(list(ids), pa.list_(pa.int32())),
            "row_key": pa.array(np.arange(row_key, row_key + len(labels)), pa.int64()),
        }), metadata)
        row_key += len(labels)


def write_model(run, out):
    (out / "model").mkdir(parents=True, exist_ok=True)
    inputs = len(FIELDS) * DIMENSION
    tensors = {
        # Stored before the embedding so that readers must honour the data offsets.
        "mlp.0.weight": run.random.normal(0, 0.1, (16, inputs)).astype(np.float32),
        "mlp.0.bias": np.zeros(16, dtype=np.float32),
        "embedding.weight": run.embedding,
    }
    write_safetensors(out / "model/model.safetensors", tensors,
                      {"shaver.version": VERSION, "shaver.stage": "train"})
    config = {"kind": "deepfm", "field_names": [name for name, _, _ in FIELDS],
              "field_sizes": run.sizes.tolist(), "embedding_dim": DIMENSION,
              "hidden_sizes": [16]}
    (out / "model/model.json").write_text(json.dumps(config, indent=2) + "\n")


def write_estimate(run, out):
    metadata = provenance("estimate", run.seed)
    names = [name for name, _, _ in FIELDS]
    write_parquet(out / "codebook", codebook_table(run.codebook), metadata)
    rows = np.repeat(np.arange(run.rows), DIMENSION)
    write_parquet(out / "shapley", pa.table({
        "global_id": pa.array(rows, pa.int64()),
        "field": pa.array([names[run.field_of_row[r]] for r in rows], pa.string()),
        "token": pa.array([run.tokens[r] for r in rows], pa.string()),
        "dimension": pa.array(np.tile(np.arange(DIMENSION), run.rows), pa.int32()),
        "phi": pa.array(run.phi.ravel(), pa.float64()),
        "stderr": pa.array(run.stderr.ravel(), pa.float64()),
        "occurrences": pa.array(np.repeat(run.counts, DIMENSION), pa.int64()),
    }), metadata, parts=2)


def codebook_table(codebook):
    names = [name for name, _, _ in FIELDS]
    return pa.table({
        "field": pa.array(np.repeat(names, DIMENSION), pa.string()),
        "dimension": pa.array(np.tile(np.arange(DIMENSION), len(FIELDS)), pa.int32()),
        "value": pa.array(codebook.ravel(), pa.float32()),
    })


def write_budget(run, out, label, value_type, kept):
    directory = out / "budgets" / f"budget={label}"
    mask = run.kept_mask(kept)
    rows, columns = np.nonzero(mask)  # row-major, so columns ascend within each row
    values = run.embedding[rows, columns]
    names = [name for name, _, _ in FIELDS]
    metadata = provenance("compress", run.seed, {"shaver.compress.budget": label})

    write_parquet(directory / "kept", pa.table({
        "global_id": pa.array(rows, pa.int64()),
        "field": pa.array([names[run.field_of_row[r]] for r in rows], pa.string()),
        "token": pa.array([run.tokens[r] for r in rows], pa.string()),
        "dimension": pa.array(columns, pa.int32()),
        "value": pa.array(values, pa.float32()),
    }), metadata)
    write_parquet(directory / "codebook", codebook_table(run.codebook), metadata)
    pruned = np.flatnonzero(~mask.any(axis=1))
    write_parquet(directory / "pruned_rows", pa.table({
        "global_id": pa.array(pruned, pa.int64()),
        "field": pa.array([names[run.field_of_row[r]] for r in pruned], pa.string()),
        "token": pa.array([run.tokens[r] for r in pruned], pa.string()),
    }), metadata)

    row_pointers = np.concatenate([[0], np.cumsum(mask.sum(axis=1))]).astype(np.int32)
    write_artifact(directory / "table.arrow", run, value_type, values, columns, row_pointers,
                   metadata, kept)
    (directory / "_SUCCESS").write_bytes(b"")


def write_artifact(path, run, value_type, values, columns, row_pointers, metadata, kept):
    arrays = {}
    if value_type == "float32":
        arrays["values"] = pa.array([values], pa.list_(pa.float32()))
    elif value_type == "fp16":
        arrays["values"] = pa.array([values.astype(np.float16)], pa.list_(pa.float16()))
    else:
        scale, zero_point, codes = quantize_int8(values)
        arrays["values"] = pa.array([codes], pa.list_(pa.int8()))
    arrays["columns"] = pa.array([columns.astype(np.uint8)], pa.list_(pa.uint8()))
    arrays["row_pointers"] = pa.array([row_pointers], pa.list_(pa.int32()))
    arrays["codebook"] = pa.array([run.codebook.ravel()], pa.list_(pa.float32()))
    field_offsets = np.concatenate([run.offsets, [run.rows]]).astype(np.int32)
    arrays["field_offsets"] = pa.array([field_offsets], pa.list_(pa.int32()))
    arrays["field_names"] = pa.array([[name for name, _, _ in FIELDS]], pa.list_(pa.string()))
    if value_type == "int8":
        arrays["scale"] = pa.array([scale], pa.float32())
        arrays["zero_point"] = pa.array([zero_point], pa.int32())

    artifact_metadata = dict(metadata)
    artifact_metadata.update({
        "shaver.artifact.version": "1", "shaver.artifact.value_type": value_type,
        "shaver.artifact.rows": str(run.rows), "shaver.artifact.dimension": str(DIMENSION),
        "shaver.artifact.fields": str(len(FIELDS)), "shaver.artifact.kept": str(kept),
        "shaver.artifact.placeholder": "codebook"})
    table = pa.table(arrays).replace_schema_metadata(artifact_metadata)
    with ipc.new_file(str(path), table.schema) as writer:
        writer.write_table(table)


def quantize_int8(values):
    """Asymmetric uniform 8-bit codes over [min(x, 0), max(x, 0)], zero point rounded."""
    low = min(float(values.min()), 0.0)
    high = max(float(values.max()), 0.0)
    scale = np.float32(np.nextafter(np.float32((high - low) / 255), np.float32(np.inf)))
    zero_point = round(-128 - low / float(scale))
    codes = np.clip(np.round(values / scale + zero_point), -128, 127).astype(np.int8)
    return scale, zero_point, codes


def write_metrics(run, out, sweep):
    parameters = run.rows * DIMENSION
    rows = [("unpruned", "none", 0.0, parameters, payload_bytes(run, "float32", parameters),
             UNPRUNED_AUC, UNPRUNED_LOGLOSS, 0.0)]
    for method, slope in METHOD_SLOPES.items():
        for label, value_type, kept in sweep:
            sparsity = 1 - kept / parameters
            loss = slope * sparsity ** 3 + float(run.random.uniform(0, 0.002))
            rows.append((method, label, sparsity, kept, payload_bytes(run, value_type, kept),
                         UNPRUNED_AUC - loss, UNPRUNED_LOGLOSS + loss / 2, loss / 10))
    for bits, value_type in ((8, "int8"), (16, "fp16")):
        loss = 0.004 / bits
        rows.append(("ptq", f"{bits}bit", 1 - bits / 32, parameters,
                     payload_bytes(run, value_type, parameters), UNPRUNED_AUC - loss,
                     UNPRUNED_LOGLOSS + loss / 2, loss / 10))
    columns = list(zip(*rows, strict=True))
    write_parquet(out / "metrics", pa.table({
        "method": pa.array(columns[0], pa.string()),
        "budget": pa.array(columns[1], pa.string()),
        "sparsity": pa.array(columns[2], pa.float64()),
        "kept": pa.array(columns[3], pa.int64()),
        "bytes": pa.array(columns[4], pa.int64()),
        "auc": pa.array(columns[5], pa.float64()),
        "logloss": pa.array(columns[6], pa.float64()),
        "kl": pa.array(columns[7], pa.float64()),
        "delta_auc": pa.array(np.array(columns[5]) - UNPRUNED_AUC, pa.float64()),
    }), provenance("evaluate", run.seed))


def write_fixture(out, seed=2023):
    """Write the whole fixture run under ``out`` and return its path."""
    out = Path(out)
    run = FixtureRun(seed)
    write_prepared(run, out)
    write_model(run, out)
    write_estimate(run, out)
    sweep = budgets(run)
    for label, value_type, kept in sweep:
        write_budget(run, out, label, value_type, kept)
    write_metrics(run, out, sweep)
    (out / "report").mkdir(parents=True, exist_ok=True)
    summary = {"shaver.version": VERSION, "budgets": [label for label, _, _ in sweep],
               "unpruned": {"auc": UNPRUNED_AUC, "logloss": UNPRUNED_LOGLOSS}}
    (out / "report/summary.json").write_text(json.dumps(summary, indent=2) + "\n")
    (out / "run.json").write_text(json.dumps({"fixture": True, "seed": seed}, indent=2) + "\n")
    (out / "_SUCCESS").write_bytes(b"")
    return out


def main(argv):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("output_dir", help="directory to create the run in")
    parser.add_argument("--seed", type=int, default=2023, help="random seed (default 2023)")
    arguments = parser.parse_args(argv)
    if Path(arguments.output_dir).exists() and any(Path(arguments.output_dir).iterdir()):
        parser.error(f"{arguments.output_dir} exists and is not empty; choose a new directory")
    print(f"Wrote a fixture run to {write_fixture(arguments.output_dir, arguments.seed)}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
