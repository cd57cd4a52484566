"""Nightly shaver-spark compression: plan, wait for the day's input, run the job, check AUC.

Tasks, in order:

- ``plan_submit`` validates the run's params and computes the Spark conf and job arguments
  (``shaver_submit.plan_submit``). A bad param fails here, before anything is submitted.
- ``wait_for_input`` pokes until the logical date's input contains data.
- ``compress`` runs ``shaver-spark-job-<version>-job.jar`` with spark-submit through the
  Spark connection ``spark_shaver`` (``run --config ... --output <output_root>/<ds> ...``).
- ``check_report`` fails the run when the AUC at ``check_budget`` dropped more than
  ``max_auc_drop`` against the unpruned model.

Runs on Airflow 3 (``airflow.sdk``) and, from the same file, on Airflow 2.4 or newer (the
first with ``schedule=``). Needs the apache-airflow-providers-apache-spark package;
``shaver_submit.py`` and ``shaver_checks.py`` must sit in the same DAG folder.
"""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

try:
    from airflow.sdk import DAG, Param
except ImportError:  # Airflow 2.x
    from airflow import DAG
    from airflow.models.param import Param

try:
    from airflow.providers.standard.operators.python import PythonOperator
    from airflow.providers.standard.sensors.python import PythonSensor
except ImportError:  # Airflow 2.x without the standard provider
    from airflow.operators.python import PythonOperator
    from airflow.sensors.python import PythonSensor

from airflow.providers.apache.spark.operators.spark_submit import SparkSubmitOperator

import shaver_checks
import shaver_submit

# Operational defaults, not measured: a run should finish well inside a night, and a run
# still going after 20 hours would block the next one (max_active_runs=1), so it is failed.
INPUT_WAIT = timedelta(hours=6)
INPUT_POKE_INTERVAL = timedelta(minutes=10)
TASK_TIMEOUT = timedelta(hours=6)
RUN_TIMEOUT = timedelta(hours=20)

default_args = {
    "owner": "shaver",
    "retries": 2,
    "retry_delay": timedelta(minutes=10),
    "retry_exponential_backoff": True,
    "max_retry_delay": timedelta(hours=1),
    "execution_timeout": TASK_TIMEOUT,
}

with DAG(
    dag_id="shaver_nightly",
    description="Prune CTR embedding tables with Shapley values (shaver-spark), nightly.",
    # NOTE: the same cron gives a different ds per version. Airflow 2 labels the 02:00 run
    # with the previous day (a data interval), while Airflow 3 labels it with the day it starts,
    # unless [scheduler] create_cron_data_intervals is True. input_path must follow suit.
    schedule="0 2 * * *",
    start_date=datetime(2026, 1, 1, tzinfo=timezone.utc),
    catchup=False,
    max_active_runs=1,
    dagrun_timeout=RUN_TIMEOUT,
    default_args=default_args,
    params={
        # ruff's AIR311 flags Param because of the Airflow 2 fallback import. On Airflow 3,
        # Param comes from airflow.sdk.
        name: Param(spec.default, description=spec.description, **spec.schema)  # noqa: AIR311
        for name, spec in shaver_submit.PARAM_SPECS.items()
    },
    # The Spark task reads a dict (conf) and a list (application_args) from XCom through
    # templates, and native rendering keeps their types.
    render_template_as_native_obj=True,
    tags=["shaver", "spark", "compression"],
    doc_md=__doc__,
) as dag:
    plan_submit = PythonOperator(
        task_id="plan_submit",
        python_callable=shaver_submit.plan_submit,
        retries=0,
    )

    wait_for_input = PythonSensor(
        task_id="wait_for_input",
        python_callable=shaver_checks.wait_for_input,
        mode="reschedule",
        poke_interval=INPUT_POKE_INTERVAL.total_seconds(),
        timeout=INPUT_WAIT.total_seconds(),
    )

    compress = SparkSubmitOperator(**shaver_submit.spark_submit_operator_kwargs())

    check_report = PythonOperator(
        task_id="check_report",
        python_callable=shaver_checks.check_report,
        retries=0,
    )

    plan_submit >> wait_for_input >> compress >> check_report
