"""Unit tests of the input check and the AUC check on hand-written report files."""

from __future__ import annotations

import json

import pytest

import shaver_checks as checks
import shaver_submit as submit

DS = "2026-03-01"


def summary(unpruned_auc=0.8000, results=None):
    if results is None:
        results = [
            row("shaver-codebook", 0.5, 0.7990),
            row("shaver-codebook", 0.8, 0.7960),
            row("shaver-codebook", 0.95, 0.7700),
            row("shaver-zero", 0.8, 0.7900),
        ]
    return {"run_id": "run-1", "unpruned": {"auc": unpruned_auc, "logloss": 0.45},
            "results": results}


def row(method, sparsity, auc):
    return {"budget": submit.budget_label(sparsity), "method": method, "sparsity": sparsity,
            "kept": 1000, "bytes": 4000, "auc": auc, "logloss": 0.46, "delta_auc": auc - 0.8}


def write_summary(directory, content):
    path = directory / "report" / "summary.json"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(content if isinstance(content, str) else json.dumps(content))
    return str(path)


# ---- input ----------------------------------------------------------------------------------


def test_input_missing_is_not_ready(tmp_path):
    assert not checks.input_ready(str(tmp_path / "nothing.txt"))


def test_input_empty_file_is_not_ready(tmp_path):
    (tmp_path / "day.txt").write_text("")
    assert not checks.input_ready(str(tmp_path / "day.txt"))


def test_input_file_with_data_is_ready(tmp_path):
    (tmp_path / "day.txt").write_text("1\t2\n")
    assert checks.input_ready(str(tmp_path / "day.txt"))
    assert checks.input_ready("file://" + str(tmp_path / "day.txt"))


def test_input_directory_with_only_markers_is_not_ready(tmp_path):
    (tmp_path / "_SUCCESS").write_text("x")
    (tmp_path / ".part-0.crc").write_text("x")
    (tmp_path / "part-0").write_text("")
    assert not checks.input_ready(str(tmp_path))


def test_input_directory_with_part_file_is_ready(tmp_path):
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "part-0").write_text("1\t2\n")
    assert checks.input_ready(str(tmp_path))


def test_input_glob_matches_any_file(tmp_path):
    (tmp_path / "a.txt").write_text("")
    assert not checks.input_ready(str(tmp_path / "*.txt"))
    (tmp_path / "b.txt").write_text("1\n")
    assert checks.input_ready(str(tmp_path / "*.txt"))


@pytest.mark.parametrize("uri", ["hdfs://nn/data/day", "s3a://bucket/day"])
def test_input_remote_uri_rejected(uri):
    with pytest.raises(ValueError, match="only local paths and file: URIs"):
        checks.input_ready(uri)


def test_wait_for_input_uses_logical_date(tmp_path):
    params = {"input_path": str(tmp_path / "{ds_nodash}" / "day.txt")}
    assert not checks.wait_for_input(params, DS)
    (tmp_path / "20260301").mkdir()
    (tmp_path / "20260301" / "day.txt").write_text("1\n")
    assert checks.wait_for_input(params, DS)
    assert not checks.wait_for_input(params, "2026-03-02")


# ---- AUC check on summary.json --------------------------------------------------------------


def test_check_small_drop_passes(tmp_path):
    path = write_summary(tmp_path, summary())
    check = checks.auc_check(path, "shaver-codebook", "sparsity=0.8", 0.01)
    assert check.unpruned_auc == 0.8
    assert check.budget_auc == 0.796
    assert check.drop == pytest.approx(0.004, abs=1e-12)
    assert check.passed


def test_check_drop_equal_to_limit_passes(tmp_path):
    path = write_summary(tmp_path, summary(results=[row("shaver-codebook", 0.8, 0.79)]))
    check = checks.auc_check(path, "shaver-codebook", "sparsity=0.8", 0.01)
    assert check.passed


def test_check_large_drop_fails(tmp_path):
    path = write_summary(tmp_path, summary())
    check = checks.auc_check(path, "shaver-codebook", "sparsity=0.95", 0.01)
    assert check.drop == pytest.approx(0.03, abs=1e-12)
    assert not check.passed


def test_check_selects_method(tmp_path):
    path = write_summary(tmp_path, summary())
    check = checks.auc_check(path, "shaver-zero", "sparsity=0.8", 0.01)
    assert check.budget_auc == 0.79


def test_check_missing_budget_names_it(tmp_path):
    path = write_summary(tmp_path, summary())
    with pytest.raises(checks.SummaryCheckError) as error:
        checks.auc_check(path, "shaver-codebook", "sparsity=0.9", 0.01)
    message = str(error.value)
    assert "Budget 'sparsity=0.9' of method 'shaver-codebook' not found in " + path in message
    assert "shaver-codebook at sparsity=0.95" in message


def test_check_budget_of_other_method_only_fails(tmp_path):
    path = write_summary(tmp_path, summary(results=[row("shaver-zero", 0.9, 0.79)]))
    with pytest.raises(checks.SummaryCheckError, match="shaver-zero at sparsity=0.9"):
        checks.auc_check(path, "shaver-codebook", "sparsity=0.9", 0.01)


def test_check_missing_file_names_path(tmp_path):
    path = str(tmp_path / "report" / "summary.json")
    with pytest.raises(checks.SummaryCheckError, match="Report not found: " + path):
        checks.auc_check(path, "shaver-codebook", "sparsity=0.8", 0.01)


@pytest.mark.parametrize(
    "content, fragment",
    [
        ("{not json", "Invalid JSON in"),
        ([1, 2], "top level must be a JSON object"),
        ({"results": []}, "'unpruned' must be an object"),
        ({"unpruned": {"auc": 1.2}, "results": []}, "unpruned.auc is 1.2"),
        ({"unpruned": {"auc": True}, "results": []}, "unpruned.auc is True"),
        ({"unpruned": {"auc": 0.8}}, "'results' must be a list"),
        ({"unpruned": {"auc": 0.8}, "results": [{"method": "shaver-codebook",
                                                  "budget": "sparsity=0.8", "auc": None}]},
         "the auc of shaver-codebook at sparsity=0.8 is None"),
    ],
)
def test_check_malformed_report_fails(tmp_path, content, fragment):
    path = write_summary(tmp_path, content)
    with pytest.raises(checks.SummaryCheckError) as error:
        checks.auc_check(path, "shaver-codebook", "sparsity=0.8", 0.01)
    assert fragment in str(error.value)


# ---- the DAG's final task -------------------------------------------------------------------


def task_params(tmp_path, **overrides):
    values = submit.default_params()
    values["output_root"] = str(tmp_path / "runs")
    values.update(overrides)
    return values


def test_report_task_passes_and_returns_figures(tmp_path):
    write_summary(tmp_path / "runs" / DS, summary())
    result = checks.check_report(task_params(tmp_path), DS)
    assert result["passed"] is True
    assert result["drop"] == pytest.approx(0.004, abs=1e-12)
    assert result["summary"] == str(tmp_path / "runs" / DS / "report" / "summary.json")


def test_report_task_fails_on_large_drop(tmp_path):
    write_summary(tmp_path / "runs" / DS, summary())
    params = task_params(tmp_path, check_budget="sparsity=0.95")
    with pytest.raises(checks.SummaryCheckError) as error:
        checks.check_report(params, DS)
    message = str(error.value)
    assert "AUC drop too large" in message
    assert "AUC 0.77000 against unpruned 0.80000, drop 0.03000, limit 0.01000" in message


def test_report_task_limit_from_params(tmp_path):
    write_summary(tmp_path / "runs" / DS, summary())
    params = task_params(tmp_path, check_budget="sparsity=0.95", max_auc_drop=0.05)
    assert checks.check_report(params, DS)["passed"] is True


def test_report_task_reads_its_own_date(tmp_path):
    write_summary(tmp_path / "runs" / "2026-02-28", summary())
    with pytest.raises(checks.SummaryCheckError, match="Report not found: .*2026-03-01"):
        checks.check_report(task_params(tmp_path), DS)


def test_report_task_rejects_budget_outside_sweep_first(tmp_path):
    params = task_params(tmp_path, check_budget="sparsity=0.9")
    with pytest.raises(ValueError, match="Invalid check_budget 'sparsity=0.9'"):
        checks.check_report(params, DS)
