"""Checks around the nightly shaver-spark run: input present before, AUC drop after.

No Airflow import, like ``shaver_submit``. ``wait_for_input`` and ``check_report`` are the
callables of the DAG's sensor and final task. Both read the local file system of the Airflow
worker, so input and output must be local paths, ``file:`` URIs or storage mounted there.

``report/summary.json``, written by the job's report stage, is read in this shape::

    {"run_id": "...",
     "unpruned": {"auc": 0.80, "logloss": 0.45},
     "results": [{"budget": "sparsity=0.9", "method": "shaver-codebook", "sparsity": 0.9,
                  "kept": 1000, "bytes": 4000, "auc": 0.79, "logloss": 0.46,
                  "delta_auc": -0.01}, ...]}

The AUC check reads ``unpruned.auc`` and the ``auc`` of the result whose ``method`` and
``budget`` match. It does not read ``delta_auc``, so it cannot disagree with a sign
convention there.
"""

from __future__ import annotations

import glob
import json
import logging
import math
import os
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlparse

import shaver_submit

LOG = logging.getLogger(__name__)

# Slack for float rounding in unpruned AUC minus budget AUC, so that a drop equal to the limit
# (0.80 - 0.79 against 0.01) passes.
AUC_DROP_TOLERANCE = 1e-12


class SummaryCheckError(Exception):
    """A run's report is missing or malformed, or shows a larger AUC drop than allowed."""


# ---- input -----------------------------------------------------------------------------------


def local_path(path: str) -> str:
    """Return the local file system path of ``path`` (a plain path or a ``file:`` URI).

    Raises ValueError for other URI schemes (hdfs://, s3a://, gs://), which this module
    cannot read.
    """
    scheme = urlparse(path).scheme
    if scheme == "file":
        return urlparse(path).path
    if scheme and len(scheme) > 1:
        raise ValueError(
            f"Cannot read {path!r} from the Airflow worker: only local paths and file: URIs are"
            " supported. Mount the storage on the worker, or replace this task with a sensor"
            " for that storage."
        )
    return path


def input_ready(path: str) -> bool:
    """Return True when the input path (a file, directory or glob) contains data.

    A match counts when it is a non-empty file, or a directory that contains a non-empty file
    whose name does not start with '.' or '_' (so a lone ``_SUCCESS`` marker is not data).
    """
    matches = sorted(glob.glob(local_path(path)))
    for match in matches:
        if os.path.isfile(match) and os.path.getsize(match) > 0:
            return True
        if os.path.isdir(match) and _directory_has_data(match):
            return True
    return False


def _directory_has_data(directory: str) -> bool:
    for parent, _, files in os.walk(directory):
        for name in files:
            if name.startswith((".", "_")):
                continue
            if os.path.getsize(os.path.join(parent, name)) > 0:
                return True
    return False


def wait_for_input(params: Mapping[str, Any], ds: str) -> bool:
    """Return True when the logical date's input contains data. The sensor pokes until then."""
    pattern = shaver_submit.param_value(params, "input_path")
    path = shaver_submit.resolve_input_path(pattern, ds)
    ready = input_ready(path)
    LOG.info("Input for %s at %s: %s", ds, path, "ready" if ready else "not there yet")
    return ready


# ---- report ----------------------------------------------------------------------------------


def summary_path(output_dir: str) -> str:
    """Return the path of the run's ``report/summary.json``."""
    return output_dir.rstrip("/") + "/report/summary.json"


@dataclass(frozen=True)
class AucCheck:
    """The outcome of one AUC check: both AUCs, their difference and the limit."""

    method: str
    budget: str
    unpruned_auc: float
    budget_auc: float
    max_drop: float

    @property
    def drop(self) -> float:
        """Unpruned AUC minus the budget's AUC, positive when pruning lost AUC."""
        return self.unpruned_auc - self.budget_auc

    @property
    def passed(self) -> bool:
        """True when the drop is at most ``max_drop`` (within AUC_DROP_TOLERANCE)."""
        return self.drop <= self.max_drop + AUC_DROP_TOLERANCE


def load_summary(path: str) -> dict[str, Any]:
    """Read summary.json, or raise SummaryCheckError naming the path if it is missing or invalid."""
    file_path = local_path(path)
    try:
        with open(file_path, encoding="utf-8") as handle:
            summary = json.load(handle)
    except FileNotFoundError:
        raise SummaryCheckError(
            f"Report not found: {path}. The run wrote no report/summary.json, so check the Spark"
            " task's log for the failed stage."
        ) from None
    except json.JSONDecodeError as error:
        raise SummaryCheckError(f"Invalid JSON in {path}: {error}") from None

    if not isinstance(summary, dict):
        raise SummaryCheckError(f"Invalid report {path}: the top level must be a JSON object.")
    return summary


def _auc(value: Any, where: str, path: str) -> float:
    is_number = isinstance(value, (int, float)) and not isinstance(value, bool)
    if not is_number or not math.isfinite(value) or not 0 <= value <= 1:
        raise SummaryCheckError(
            f"Invalid report {path}: {where} is {value!r}, expected an AUC in [0, 1]."
        )
    return float(value)


def find_result(summary: Mapping[str, Any], method: str, budget: str, path: str) -> dict:
    """Return the result row of ``method`` at ``budget``, or raise naming both if it is absent."""
    results = summary.get("results")
    if not isinstance(results, list):
        raise SummaryCheckError(f"Invalid report {path}: 'results' must be a list.")

    rows = [row for row in results if isinstance(row, dict)]
    for row in rows:
        if row.get("method") == method and row.get("budget") == budget:
            return row

    present = sorted({f"{row.get('method')} at {row.get('budget')}" for row in rows})
    raise SummaryCheckError(
        f"Budget {budget!r} of method {method!r} not found in {path}. The report has: "
        + (", ".join(present) if present else "no results")
        + ". Check the run's sparsity list and the check_budget and check_method params."
    )


def auc_check(path: str, method: str, budget: str, max_drop: float) -> AucCheck:
    """Read the report at ``path`` and compare the budget's AUC with the unpruned AUC.

    Raises SummaryCheckError when the report is missing or malformed or lacks the budget;
    a drop above ``max_drop`` is returned as a failed check, not raised.
    """
    summary = load_summary(path)
    unpruned = summary.get("unpruned")
    if not isinstance(unpruned, dict):
        raise SummaryCheckError(f"Invalid report {path}: 'unpruned' must be an object.")
    unpruned_auc = _auc(unpruned.get("auc"), "unpruned.auc", path)

    row = find_result(summary, method, budget, path)
    budget_auc = _auc(row.get("auc"), f"the auc of {method} at {budget}", path)
    return AucCheck(method, budget, unpruned_auc, budget_auc, float(max_drop))


def check_report(params: Mapping[str, Any], ds: str) -> dict[str, Any]:
    """Fail (raise SummaryCheckError) when the run's AUC drop exceeds the limit.

    Reads ``<output_root>/<ds>/report/summary.json`` and returns the figures for XCom.
    """
    shaver_submit.validate_check_params(params)
    value = shaver_submit.param_value
    path = summary_path(shaver_submit.run_output_dir(value(params, "output_root"), ds))
    check = auc_check(
        path,
        value(params, "check_method"),
        value(params, "check_budget"),
        value(params, "max_auc_drop"),
    )

    figures = (
        f"{check.method} at {check.budget}: AUC {check.budget_auc:.5f} against unpruned"
        f" {check.unpruned_auc:.5f}, drop {check.drop:.5f}, limit {check.max_drop:.5f}"
    )
    if not check.passed:
        raise SummaryCheckError(f"AUC drop too large in {path}: {figures}.")
    LOG.info("AUC check passed for %s: %s", ds, figures)
    return {"summary": path, "drop": check.drop, "passed": True}
