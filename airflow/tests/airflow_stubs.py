"""Stand-in Airflow modules that accept only the argument names the real classes declare.

Airflow cannot be installed in this project's CI, so the DAG file is imported against these
stand-ins instead. Each class raises TypeError for a keyword argument that the real class
does not take, so a misspelt argument or one that Airflow 3 removed (``schedule_interval``,
``sla``) fails the test as it would fail the real DAG import.

The DAG must run on Airflow 2 and 3, so DAG and BaseOperator accept only the names that both
versions declare. The name lists are copied from:

- Airflow 2.10 ``airflow.models.dag.DAG.__init__`` and ``airflow.models.baseoperator.BaseOperator``;
- Airflow 3.1 ``airflow.sdk.DAG`` (attrs fields) and ``airflow.sdk.BaseOperator``;
- apache-airflow-providers-apache-spark 5.x ``SparkSubmitOperator.__init__`` and its
  ``template_fields``;
- the ``PythonOperator``/``PythonSensor`` and ``BaseSensorOperator`` signatures of Airflow 2.10
  and of apache-airflow-providers-standard 1.x.

The stand-ins are stricter than Airflow in one place: an unknown key in ``default_args`` is
rejected, where real Airflow ignores it silently.
"""

from __future__ import annotations

import sys
import types
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

DAG_ARGS_AIRFLOW_2 = frozenset({
    "dag_id", "description", "schedule_interval", "timetable", "schedule", "start_date",
    "end_date", "full_filepath", "template_searchpath", "template_undefined",
    "user_defined_macros", "user_defined_filters", "default_args", "concurrency",
    "max_active_tasks", "max_active_runs", "max_consecutive_failed_dag_runs", "dagrun_timeout",
    "sla_miss_callback", "default_view", "orientation", "catchup", "on_success_callback",
    "on_failure_callback", "doc_md", "params", "access_control", "is_paused_upon_creation",
    "jinja_environment_kwargs", "render_template_as_native_obj", "tags", "owner_links",
    "auto_register", "fail_stop", "dag_display_name",
})

DAG_ARGS_AIRFLOW_3 = frozenset({
    "dag_id", "description", "default_args", "start_date", "end_date", "schedule",
    "template_searchpath", "template_undefined", "user_defined_macros", "user_defined_filters",
    "max_active_tasks", "max_active_runs", "max_consecutive_failed_dag_runs", "dagrun_timeout",
    "deadline", "sla_miss_callback", "catchup", "on_success_callback", "on_failure_callback",
    "doc_md", "params", "access_control", "is_paused_upon_creation", "jinja_environment_kwargs",
    "render_template_as_native_obj", "tags", "owner_links", "auto_register", "fail_fast",
    "dag_display_name", "task_group", "disable_bundle_versioning",
})

# Accepted by Airflow 3 only to warn that the feature is gone, so the stand-in rejects them.
REMOVED_IN_AIRFLOW_3 = frozenset({"schedule_interval", "timetable", "sla", "sla_miss_callback",
                                  "concurrency", "task_concurrency"})

DAG_ARGS = (DAG_ARGS_AIRFLOW_2 & DAG_ARGS_AIRFLOW_3) - REMOVED_IN_AIRFLOW_3

BASE_OPERATOR_ARGS_AIRFLOW_2 = frozenset({
    "task_id", "owner", "email", "email_on_retry", "email_on_failure", "retries", "retry_delay",
    "retry_exponential_backoff", "max_retry_delay", "start_date", "end_date", "depends_on_past",
    "ignore_first_depends_on_past", "wait_for_past_depends_before_skipping",
    "wait_for_downstream", "dag", "params", "default_args", "priority_weight", "weight_rule",
    "queue", "pool", "pool_slots", "sla", "execution_timeout", "on_execute_callback",
    "on_failure_callback", "on_success_callback", "on_retry_callback", "on_skipped_callback",
    "pre_execute", "post_execute", "trigger_rule", "resources", "run_as_user",
    "task_concurrency", "map_index_template", "max_active_tis_per_dag",
    "max_active_tis_per_dagrun", "executor", "executor_config", "do_xcom_push",
    "multiple_outputs", "inlets", "outlets", "task_group", "doc", "doc_md", "doc_json",
    "doc_yaml", "doc_rst", "task_display_name", "logger_name", "allow_nested_operators",
})

BASE_OPERATOR_ARGS_AIRFLOW_3 = BASE_OPERATOR_ARGS_AIRFLOW_2 - {"sla", "task_concurrency"}

BASE_OPERATOR_ARGS = BASE_OPERATOR_ARGS_AIRFLOW_2 & BASE_OPERATOR_ARGS_AIRFLOW_3

SPARK_SUBMIT_OPERATOR_ARGS = frozenset({
    "application", "conf", "conn_id", "files", "py_files", "archives", "driver_class_path",
    "jars", "java_class", "packages", "exclude_packages", "repositories",
    "total_executor_cores", "executor_cores", "executor_memory", "driver_memory", "keytab",
    "principal", "proxy_user", "name", "num_executors", "status_poll_interval",
    "application_args", "env_vars", "verbose", "spark_binary", "properties_file", "yarn_queue",
    "deploy_mode", "use_krb5ccache", "openlineage_inject_parent_job_info",
    "openlineage_inject_transport_info",
})

SPARK_SUBMIT_TEMPLATE_FIELDS = (
    "application", "conf", "files", "py_files", "jars", "driver_class_path", "packages",
    "exclude_packages", "keytab", "principal", "proxy_user", "name", "application_args",
    "env_vars", "properties_file",
)

PYTHON_OPERATOR_ARGS = frozenset({
    "python_callable", "op_args", "op_kwargs", "templates_dict", "templates_exts",
    "show_return_value_in_logs",
})

PYTHON_SENSOR_ARGS = frozenset({"python_callable", "op_args", "op_kwargs", "templates_dict"})

BASE_SENSOR_ARGS = frozenset({
    "poke_interval", "timeout", "soft_fail", "mode", "exponential_backoff", "max_wait",
    "silent_fail", "never_fail",
})

# Param(default, description=None, **schema): the keywords are JSON Schema keywords, plus
# the UI's title. The list contains the JSON Schema validation keywords.
PARAM_SCHEMA_KEYWORDS = frozenset({
    "title", "type", "enum", "const", "format", "minimum", "maximum", "exclusiveMinimum",
    "exclusiveMaximum", "multipleOf", "minLength", "maxLength", "pattern", "items",
    "prefixItems", "minItems", "maxItems", "uniqueItems", "contains", "properties",
    "additionalProperties", "propertyNames", "required", "minProperties", "maxProperties",
    "anyOf", "oneOf", "allOf", "not", "examples",
})

STUB_MODULE_PREFIX = "airflow"


def reject_unknown(owner: str, kwargs: dict[str, Any], accepted: frozenset[str]) -> None:
    """Raise TypeError, as Python does for a bad keyword, if ``kwargs`` has unknown names."""
    unknown = sorted(set(kwargs) - accepted)
    if unknown:
        raise TypeError(f"{owner}() got unexpected keyword arguments: {', '.join(unknown)}")


class StubDag:
    """Stand-in of ``DAG``: records its arguments and the tasks created inside ``with``."""

    _context: list[StubDag] = []

    def __init__(self, dag_id: str, **kwargs: Any) -> None:
        reject_unknown("DAG", kwargs, DAG_ARGS - {"dag_id"})
        self.dag_id = dag_id
        self.kwargs = kwargs
        self.tasks: dict[str, StubOperator] = {}
        self.edges: list[tuple[str, str]] = []

    def __enter__(self) -> StubDag:
        StubDag._context.append(self)
        return self

    def __exit__(self, *exc_info: Any) -> None:
        StubDag._context.pop()

    def add_task(self, task: StubOperator) -> None:
        if task.task_id in self.tasks:
            raise ValueError(f"Duplicate task_id {task.task_id!r} in DAG {self.dag_id!r}")
        self.tasks[task.task_id] = task


class StubOperator:
    """Stand-in of ``BaseOperator``: checks argument names, applies default_args, records."""

    accepted: frozenset[str] = frozenset()
    template_fields: tuple[str, ...] = ()

    def __init__(self, **kwargs: Any) -> None:
        name = type(self).__name__
        reject_unknown(name, kwargs, self.accepted | BASE_OPERATOR_ARGS)
        if "task_id" not in kwargs:
            raise TypeError(f"{name}() missing required keyword argument: 'task_id'")
        if not StubDag._context:
            raise RuntimeError(f"{name} {kwargs['task_id']!r} was created outside a DAG")

        dag = StubDag._context[-1]
        defaults = dag.kwargs.get("default_args", {})
        reject_unknown(f"{name} default_args", defaults, BASE_OPERATOR_ARGS)
        self.kwargs = {**defaults, **kwargs}
        self.task_id = kwargs["task_id"]
        self.dag = dag
        dag.add_task(self)

    def __rshift__(self, other: StubOperator) -> StubOperator:
        self.dag.edges.append((self.task_id, other.task_id))
        return other


class StubSparkSubmitOperator(StubOperator):
    accepted = SPARK_SUBMIT_OPERATOR_ARGS
    template_fields = SPARK_SUBMIT_TEMPLATE_FIELDS


class StubPythonOperator(StubOperator):
    accepted = PYTHON_OPERATOR_ARGS
    template_fields = ("templates_dict", "op_args", "op_kwargs")

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        if not callable(self.kwargs.get("python_callable")):
            raise TypeError("PythonOperator: python_callable must be callable")


class StubPythonSensor(StubPythonOperator):
    accepted = PYTHON_SENSOR_ARGS | BASE_SENSOR_ARGS

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        mode = self.kwargs.get("mode", "poke")
        if mode not in ("poke", "reschedule"):
            raise ValueError(f"PythonSensor: invalid mode {mode!r}")


class StubParam:
    """Stand-in of ``Param``: the default, a description and JSON Schema keywords."""

    def __init__(self, default: Any = None, description: str | None = None, **schema: Any):
        reject_unknown("Param", schema, PARAM_SCHEMA_KEYWORDS)
        self.value = default
        self.description = description
        self.schema = schema


def _module(name: str, **attributes: Any) -> types.ModuleType:
    module = types.ModuleType(name)
    module.__path__ = []  # a package, so that missing submodules raise ImportError
    for key, value in attributes.items():
        setattr(module, key, value)
    return module


def stub_modules(airflow_major: int) -> dict[str, types.ModuleType]:
    """Return the stand-in modules of one Airflow major version (2 or 3), by import name."""
    spark = {
        "airflow.providers": _module("airflow.providers"),
        "airflow.providers.apache": _module("airflow.providers.apache"),
        "airflow.providers.apache.spark": _module("airflow.providers.apache.spark"),
        "airflow.providers.apache.spark.operators": _module(
            "airflow.providers.apache.spark.operators"),
        "airflow.providers.apache.spark.operators.spark_submit": _module(
            "airflow.providers.apache.spark.operators.spark_submit",
            SparkSubmitOperator=StubSparkSubmitOperator),
    }
    if airflow_major == 3:
        return {
            "airflow": _module("airflow"),
            "airflow.sdk": _module("airflow.sdk", DAG=StubDag, Param=StubParam),
            **spark,
            "airflow.providers.standard": _module("airflow.providers.standard"),
            "airflow.providers.standard.operators": _module(
                "airflow.providers.standard.operators"),
            "airflow.providers.standard.operators.python": _module(
                "airflow.providers.standard.operators.python", PythonOperator=StubPythonOperator),
            "airflow.providers.standard.sensors": _module("airflow.providers.standard.sensors"),
            "airflow.providers.standard.sensors.python": _module(
                "airflow.providers.standard.sensors.python", PythonSensor=StubPythonSensor),
        }
    if airflow_major == 2:
        return {
            "airflow": _module("airflow", DAG=StubDag),
            "airflow.models": _module("airflow.models"),
            "airflow.models.param": _module("airflow.models.param", Param=StubParam),
            "airflow.operators": _module("airflow.operators"),
            "airflow.operators.python": _module(
                "airflow.operators.python", PythonOperator=StubPythonOperator),
            "airflow.sensors": _module("airflow.sensors"),
            "airflow.sensors.python": _module(
                "airflow.sensors.python", PythonSensor=StubPythonSensor),
            **spark,
        }
    raise ValueError(f"No stand-ins for Airflow {airflow_major}")


@contextmanager
def installed(airflow_major: int, extra_names: tuple[str, ...] = ()) -> Iterator[None]:
    """Install the stand-ins in sys.modules, and restore sys.modules afterwards.

    Modules named in ``extra_names`` (the DAG folder's modules) are removed before and
    restored after, so a DAG file imported here never leaks into other tests.
    """
    saved = {
        name: module for name, module in sys.modules.items()
        if name == STUB_MODULE_PREFIX or name.startswith(STUB_MODULE_PREFIX + ".")
        or name in extra_names
    }
    for name in saved:
        del sys.modules[name]
    sys.modules.update(stub_modules(airflow_major))
    try:
        yield
    finally:
        for name in list(sys.modules):
            if name == STUB_MODULE_PREFIX or name.startswith(STUB_MODULE_PREFIX + ".") \
                    or name in extra_names:
                del sys.modules[name]
        sys.modules.update(saved)
