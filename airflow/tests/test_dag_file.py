"""DAG file tests: the DAG imported against stand-in Airflow 2 and 3 modules.

The stand-ins (airflow_stubs.py) accept only the argument names that Airflow and the Spark
provider declare, so these tests catch misspelt or removed arguments without Airflow.
"""

from __future__ import annotations

import ast
import importlib.util
import shutil
from datetime import timedelta

import pytest

import airflow_stubs
import shaver_submit as submit
from repo_paths import DAGS_DIR

DAG_FILE = DAGS_DIR / "shaver_nightly.py"
DAG_FOLDER_MODULES = ("shaver_nightly", "shaver_submit", "shaver_checks")
DS = "2026-03-01"


def load_dag(dags_dir, airflow_major, monkeypatch):
    """Import shaver_nightly.py from ``dags_dir`` against the stand-ins and return its DAG."""
    monkeypatch.syspath_prepend(str(dags_dir))
    with airflow_stubs.installed(airflow_major, DAG_FOLDER_MODULES):
        spec = importlib.util.spec_from_file_location(
            "shaver_nightly", dags_dir / "shaver_nightly.py")
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
    return module.dag


@pytest.fixture(params=[3, 2], ids=["airflow3", "airflow2"])
def dag(request, monkeypatch):
    return load_dag(DAGS_DIR, request.param, monkeypatch)


# ---- source checks --------------------------------------------------------------------------


def keyword_names(path):
    tree = ast.parse(path.read_text())
    names = {node.arg for node in ast.walk(tree) if isinstance(node, ast.keyword)}
    names |= {node.value for node in ast.walk(tree)
              if isinstance(node, ast.Constant) and isinstance(node.value, str)}
    return names


@pytest.mark.parametrize("path", sorted(DAGS_DIR.glob("*.py")), ids=lambda path: path.name)
def test_source_has_no_removed_arguments(path):
    names = keyword_names(path)
    assert "schedule_interval" not in names
    assert "sla" not in names
    assert "sla_miss_callback" not in names


def test_source_passes_schedule_explicitly():
    tree = ast.parse(DAG_FILE.read_text())
    calls = [node for node in ast.walk(tree)
             if isinstance(node, ast.Call) and getattr(node.func, "id", None) == "DAG"]
    assert len(calls) == 1
    assert "schedule" in {keyword.arg for keyword in calls[0].keywords}


# ---- the DAG as Airflow would build it ------------------------------------------------------


def test_dag_schedule_and_run_limits(dag):
    assert dag.dag_id == "shaver_nightly"
    assert dag.kwargs["schedule"] == "0 2 * * *"
    assert dag.kwargs["catchup"] is False
    assert dag.kwargs["max_active_runs"] == 1
    assert dag.kwargs["dagrun_timeout"] == timedelta(hours=20)
    assert dag.kwargs["start_date"].tzinfo is not None
    assert dag.kwargs["render_template_as_native_obj"] is True
    assert set(dag.kwargs["tags"]) == {"shaver", "spark", "compression"}


def test_dag_default_args_retry_with_backoff(dag):
    defaults = dag.kwargs["default_args"]
    assert defaults["retries"] == 2
    assert defaults["retry_delay"] == timedelta(minutes=10)
    assert defaults["retry_exponential_backoff"] is True
    assert defaults["max_retry_delay"] == timedelta(hours=1)
    assert defaults["execution_timeout"] == timedelta(hours=6)


def test_dag_tasks_in_order(dag):
    assert list(dag.tasks) == ["plan_submit", "wait_for_input", "compress", "check_report"]
    assert dag.edges == [
        ("plan_submit", "wait_for_input"),
        ("wait_for_input", "compress"),
        ("compress", "check_report"),
    ]


def test_dag_params_match_specs(dag):
    params = dag.kwargs["params"]
    assert set(params) == set(submit.PARAM_SPECS)
    assert params["sparsity"].value == [0.5, 0.8, 0.95]
    assert params["gpu"].value is False
    assert params["sparsity"].schema["minItems"] == 1
    assert params["output_root"].description.startswith("Root of the run outputs")


def test_spark_task_arguments(dag):
    task = dag.tasks["compress"]
    assert isinstance(task, airflow_stubs.StubSparkSubmitOperator)
    assert task.kwargs["java_class"] == "io.shaver.cli.ShaverCli"
    assert task.kwargs["conn_id"] == "spark_shaver"
    assert task.kwargs["name"] == "shaver-nightly-{{ ds_nodash }}"
    assert task.kwargs["retries"] == 2
    for field in ("application", "name", "conf", "application_args"):
        assert "{{" in task.kwargs[field]
        assert field in task.template_fields


def test_check_tasks_do_not_retry(dag):
    assert dag.tasks["plan_submit"].kwargs["retries"] == 0
    assert dag.tasks["check_report"].kwargs["retries"] == 0
    assert dag.tasks["plan_submit"].kwargs["python_callable"] is not None


def test_input_sensor_reschedules(dag):
    sensor = dag.tasks["wait_for_input"]
    assert isinstance(sensor, airflow_stubs.StubPythonSensor)
    assert sensor.kwargs["mode"] == "reschedule"
    assert sensor.kwargs["poke_interval"] == 600
    assert sensor.kwargs["timeout"] == 6 * 3600


def test_airflow2_fallback_imports_used(monkeypatch):
    dag = load_dag(DAGS_DIR, 2, monkeypatch)
    assert type(dag) is airflow_stubs.StubDag
    assert type(dag.tasks["plan_submit"]) is airflow_stubs.StubPythonOperator


# ---- params against JSON Schema, as Airflow validates them ----------------------------------


@pytest.fixture(scope="module")
def jsonschema():
    return pytest.importorskip(
        "jsonschema",
        reason="jsonschema is not installed; the Param schema tests need it"
        " (pip install jsonschema)")


@pytest.mark.parametrize("name", sorted(submit.PARAM_SPECS))
def test_param_default_fits_schema(jsonschema, name):
    spec = submit.PARAM_SPECS[name]
    jsonschema.Draft202012Validator.check_schema(dict(spec.schema))
    jsonschema.validate(spec.default, dict(spec.schema))


@pytest.mark.parametrize(
    "name, value",
    [
        ("sparsity", []),
        ("sparsity", [0]),
        ("sparsity", [1]),
        ("sparsity", [0.5, 0.5]),
        ("sparsity", ["0.5"]),
        ("spark_conf", {"executor.memory": "8g"}),
        ("spark_conf", {"spark.x": {"nested": 1}}),
        ("gpu", "yes"),
        ("job_jar", "/opt/shaver/lib/job.zip"),
        ("check_budget", "0.8"),
        ("max_auc_drop", -0.1),
        ("config", ""),
    ],
)
def test_param_schema_rejects_bad_value(jsonschema, name, value):
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(value, dict(submit.PARAM_SPECS[name].schema))


# ---- templates rendered as Airflow renders them ---------------------------------------------


class FakeTaskInstance:
    """Returns the plan task's real return value from xcom_pull."""

    def __init__(self, returns):
        self.returns = returns

    def xcom_pull(self, task_ids):
        return self.returns[task_ids]


def test_spark_task_renders_plan_natively(monkeypatch):
    nativetypes = pytest.importorskip(
        "jinja2.nativetypes",
        reason="jinja2 is not installed; the template rendering test needs it (pip install jinja2)")
    import jinja2

    dag = load_dag(DAGS_DIR, 3, monkeypatch)
    params = submit.default_params()
    params["gpu"] = True
    plan = submit.plan_submit(params, DS)
    context = {"params": params, "ds": DS, "ds_nodash": "20260301",
               "ti": FakeTaskInstance({"plan_submit": plan})}
    environment = nativetypes.NativeEnvironment(undefined=jinja2.StrictUndefined)

    task = dag.tasks["compress"]
    rendered = {field: environment.from_string(task.kwargs[field]).render(**context)
                for field in ("application", "name", "conf", "application_args")}

    assert rendered["application"] == params["job_jar"]
    assert rendered["name"] == "shaver-nightly-20260301"
    assert rendered["conf"] == plan["conf"]
    assert rendered["conf"]["spark.executor.resource.gpu.amount"] == "1"
    assert rendered["application_args"][:5] == [
        "run", "--config", params["config"], "--output", "/data/shaver/runs/2026-03-01"]
    assert "estimate.gpu.enabled=true" in rendered["application_args"]


# ---- the stand-ins reject what real Airflow rejects -----------------------------------------


MUTATIONS = [
    ("shaver_nightly.py", 'schedule="0 2 * * *"', 'schedule_interval="0 2 * * *"',
     "schedule_interval"),
    ("shaver_nightly.py", "max_active_runs=1,", "max_active_run=1,", "max_active_run"),
    ("shaver_nightly.py", '"retry_exponential_backoff": True',
     '"retry_exponential_back_off": True', "retry_exponential_back_off"),
    ("shaver_nightly.py", '"retries": 2,', '"retries": 2, "sla": timedelta(hours=8),', "sla"),
    ("shaver_nightly.py", "poke_interval=", "poll_interval=", "poll_interval"),
    ("shaver_submit.py", '"java_class": JOB_CLASS', '"main_class": JOB_CLASS', "main_class"),
    ("shaver_submit.py", '"conn_id": conn_id', '"connection_id": conn_id', "connection_id"),
    ("shaver_submit.py", '"minItems": 1', '"min_items": 1', "min_items"),
]


def copy_dags(tmp_path):
    target = tmp_path / "dags"
    shutil.copytree(DAGS_DIR, target, ignore=shutil.ignore_patterns("__pycache__"))
    return target


@pytest.mark.parametrize("airflow_major", [3, 2])
def test_unchanged_copy_loads(tmp_path, monkeypatch, airflow_major):
    dag = load_dag(copy_dags(tmp_path), airflow_major, monkeypatch)
    assert len(dag.tasks) == 4


@pytest.mark.parametrize("file_name, old, new, bad_name", MUTATIONS,
                         ids=[mutation[3] for mutation in MUTATIONS])
def test_misspelt_copy_rejected(tmp_path, monkeypatch, file_name, old, new, bad_name):
    dags_dir = copy_dags(tmp_path)
    source = (dags_dir / file_name).read_text()
    assert source.count(old) == 1, f"mutation anchor {old!r} must occur once in {file_name}"
    (dags_dir / file_name).write_text(source.replace(old, new))

    with pytest.raises(TypeError) as error:
        load_dag(dags_dir, 3, monkeypatch)
    assert bad_name in str(error.value)


def test_dag_folder_modules_restored_after_load(tmp_path, monkeypatch):
    dags_dir = copy_dags(tmp_path)
    load_dag(dags_dir, 3, monkeypatch)
    assert submit.__file__ == str(DAGS_DIR / "shaver_submit.py")
    import shaver_submit

    assert shaver_submit is submit
