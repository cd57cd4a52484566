"""Shared fixtures: the run the notebooks are tested against and where results go."""

import os
import sys
from pathlib import Path

import pytest

TESTS = Path(__file__).resolve().parent
NOTEBOOKS = TESTS.parent
REPOSITORY = NOTEBOOKS.parent
sys.path[:0] = [str(NOTEBOOKS), str(TESTS)]

PYARROW_MISSING = (
    "NOTEBOOK TESTS SKIPPED: pyarrow is not installed in this interpreter, and the notebooks"
    " need it to read Parquet. Run notebooks/tests/run.sh, which builds a venv with it.")

try:
    import pyarrow  # noqa: F401
except ImportError:
    print("\n" + "#" * 80 + "\n## " + PYARROW_MISSING + "\n" + "#" * 80, file=sys.stderr)
    collect_ignore_glob = ["test_*.py"]


@pytest.fixture(scope="session")
def run_dir(tmp_path_factory):
    """The run under test: $SHAVER_NOTEBOOK_OUTPUT, else a freshly written fixture run."""
    configured = os.environ.get("SHAVER_NOTEBOOK_OUTPUT")
    if configured:
        path = Path(configured)
        if not path.is_dir():
            pytest.fail(f"SHAVER_NOTEBOOK_OUTPUT={configured} is not a directory")
        return path
    from make_fixture_run import write_fixture

    return write_fixture(tmp_path_factory.mktemp("fixture-run"))


@pytest.fixture()
def fixture_run(tmp_path):
    """A fixture run of this test's own, free to alter."""
    from make_fixture_run import write_fixture

    return write_fixture(tmp_path / "run")


@pytest.fixture(scope="session")
def results_dir():
    """Where executed notebooks and figures go: $SHAVER_NOTEBOOK_RESULTS or out/notebooks."""
    path = Path(os.environ.get("SHAVER_NOTEBOOK_RESULTS", REPOSITORY / "out" / "notebooks"))
    path.mkdir(parents=True, exist_ok=True)
    return path
