"""Paths of the repository, the DAG folder and the job's build output."""

from __future__ import annotations

from pathlib import Path

TESTS_DIR = Path(__file__).resolve().parent
DAGS_DIR = TESTS_DIR.parent / "dags"
REPO_ROOT = TESTS_DIR.parent.parent
JOB_TARGET_DIR = REPO_ROOT / "spark-job" / "target"
