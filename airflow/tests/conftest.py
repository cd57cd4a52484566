"""Puts the DAG folder on sys.path, as Airflow does for its DAG folder."""

from __future__ import annotations

import sys

from repo_paths import DAGS_DIR

if str(DAGS_DIR) not in sys.path:
    sys.path.insert(0, str(DAGS_DIR))
