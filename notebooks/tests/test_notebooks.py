"""Execute every notebook headless against a run's outputs; any failing cell fails the test.

The run is $SHAVER_NOTEBOOK_OUTPUT or a synthetic fixture run. Executed notebooks and their
PNG figures go to $SHAVER_NOTEBOOK_RESULTS/<notebook>/ (default out/notebooks/<notebook>/).
The tests that alter outputs always use a fixture run of their own.
"""

import shutil

import nbformat
import numpy as np
import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from nbclient.exceptions import CellExecutionError

from conftest import NOTEBOOKS
from notebook_runner import execute_notebook

FIGURES = {
    "budget_sweep": ["budget_sweep.png", "delta_auc_vs_sparsity.png"],
    "shapley_values": ["phi_by_field.png", "top_features.png", "pruned_share_by_field.png"],
    "compressed_table": ["served_vs_trained.png", "kept_share_by_field_dimension.png"],
}
PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
PARAMETERS_LINE = 'OUTPUT_DIR = os.environ.get("SHAVER_OUTPUT", "runs/quickstart")'


def notebook_environment(run, figures):
    return {"SHAVER_OUTPUT": str(run), "SHAVER_FIGURES": str(figures), "SHAVER_BUDGET": "",
            "MPLBACKEND": "module://matplotlib_inline.backend_inline"}


def run_expecting_failure(name, run, tmp_path):
    with pytest.raises(CellExecutionError) as failure:
        execute_notebook(name, notebook_environment(run, tmp_path / "figures"),
                         tmp_path / f"{name}.ipynb")
    return str(failure.value)


def rewrite_parquet(directory, change):
    """Apply ``change`` to the single part file of a table, keeping its footer metadata."""
    (part,) = sorted(directory.glob("part-*.parquet"))
    metadata = pq.read_metadata(part).metadata
    table = change(pq.read_table(part))
    with pq.ParquetWriter(part, table.schema, store_schema=False) as writer:
        writer.write_table(table)
        writer.add_key_value_metadata(metadata)


@pytest.mark.parametrize("name", sorted(FIGURES))
def test_notebook_executes(name, run_dir, results_dir):
    output = results_dir / name
    shutil.rmtree(output, ignore_errors=True)
    failure = None
    try:
        executed = execute_notebook(name, notebook_environment(run_dir, output),
                                    output / f"{name}.ipynb")
    except CellExecutionError as error:
        failure = f"{error.ename}: {error.evalue}"
    if failure:
        pytest.fail(f"a cell of {name}.ipynb failed against {run_dir}: {failure}\n"
                    f"The executed notebook is in {output}", pytrace=False)

    errors = [o for cell in executed.cells if cell.cell_type == "code"
              for o in cell.outputs if o.output_type == "error"]
    assert errors == []
    for figure in FIGURES[name]:
        path = output / figure
        assert path.is_file(), f"{name} did not write {figure}"
        assert path.read_bytes()[:8] == PNG_SIGNATURE, f"{figure} is not a PNG file"
        assert path.stat().st_size > 10_000, f"{figure} is suspiciously small"


@pytest.mark.parametrize("name", sorted(FIGURES))
def test_committed_notebook_is_clean(name):
    notebook = nbformat.read(NOTEBOOKS / f"{name}.ipynb", as_version=4)
    nbformat.validate(notebook)
    first_code = next(cell for cell in notebook.cells if cell.cell_type == "code")

    assert "parameters" in first_code.metadata.get("tags", [])
    assert PARAMETERS_LINE in first_code.source
    assert "SHAVER_FIGURES" in first_code.source
    for cell in notebook.cells:
        if cell.cell_type == "code":
            assert cell.outputs == [], f"{name} is committed with outputs"
            assert cell.execution_count is None, f"{name} is committed with execution counts"


def test_altered_kept_value_fails(fixture_run, tmp_path):
    def add_to_first_value(table):
        values = table.column("value").to_numpy().copy()
        values[0] += np.float32(1e-3)
        return table.set_column(table.schema.get_field_index("value"), "value",
                                pa.array(values, pa.float32()))

    rewrite_parquet(fixture_run / "budgets/budget=sparsity=0.8/kept", add_to_first_value)

    message = run_expecting_failure("compressed_table", fixture_run, tmp_path)
    assert "sparsity=0.8: kept/ differs from embedding.weight" in message


def test_altered_run_codebook_fails(fixture_run, tmp_path):
    def negate_values(table):
        values = pa.array(-table.column("value").to_numpy(), pa.float32())
        return table.set_column(table.schema.get_field_index("value"), "value", values)

    rewrite_parquet(fixture_run / "codebook", negate_values)

    message = run_expecting_failure("compressed_table", fixture_run, tmp_path)
    assert "the budget's codebook differs from the codebook placeholder" in message


def test_artifact_missing_from_parquet_fails(fixture_run, tmp_path):
    rewrite_parquet(fixture_run / "budgets/budget=sparsity=0.5/kept",
                    lambda table: table.slice(1))

    message = run_expecting_failure("compressed_table", fixture_run, tmp_path)
    assert "sparsity=0.5: Parquet and Arrow keep different parameters" in message


def test_missing_metrics_column_fails(fixture_run, tmp_path):
    rewrite_parquet(fixture_run / "metrics", lambda table: table.drop_columns(["logloss"]))

    message = run_expecting_failure("budget_sweep", fixture_run, tmp_path)
    assert "metrics: column 'logloss' is missing" in message


def test_unfinished_shapley_fails(fixture_run, tmp_path):
    (fixture_run / "shapley/_SUCCESS").unlink()

    message = run_expecting_failure("shapley_values", fixture_run, tmp_path)
    assert "shapley/ has no _SUCCESS marker" in message


def test_figures_follow_budget_parameter(fixture_run, tmp_path):
    environment = notebook_environment(fixture_run, tmp_path / "figures")
    environment["SHAVER_BUDGET"] = "bytes=1KB-int8"
    executed = execute_notebook("compressed_table", environment)

    printed = "".join(output.get("text", "") for cell in executed.cells
                      if cell.cell_type == "code" for output in cell.outputs)
    kept = pq.read_table(fixture_run / "budgets/budget=bytes=1KB-int8/kept").num_rows
    assert f"budget bytes=1KB-int8: {kept} kept" in printed
