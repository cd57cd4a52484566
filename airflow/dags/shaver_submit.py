"""Build the spark-submit call of the nightly shaver-spark run.

This module has no Airflow import, so tests and other schedulers can use it without
Airflow. The DAG in ``shaver_nightly.py`` takes its params, its operator arguments and its
``plan_submit`` task from here. ``plan_submit`` validates a run's params and returns the Spark
conf and the job arguments, which the Spark task reads back from XCom.

The job arguments follow ``bin/shaver run`` semantics::

    run --config FILE --output ROOT/DS --set data.path="INPUT"
        --set compress.sparsity=[0.5,0.8,0.95] --set estimate.gpu.enabled=false [--set k=v ...]
"""

from __future__ import annotations

import json
import logging
import math
import re
import shlex
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

LOG = logging.getLogger(__name__)

JOB_CLASS = "io.shaver.cli.ShaverCli"
JOB_COMMAND = "run"
DEFAULT_CONN_ID = "spark_shaver"
DEFAULT_JOB_NAME = "shaver-nightly"

DEFAULT_SPARSITY = (0.5, 0.8, 0.95)
DEFAULT_CHECK_METHOD = "shaver-codebook"
DEFAULT_CHECK_BUDGET = "sparsity=0.8"
# An operational default, not a measured figure: the largest AUC loss (unpruned AUC minus the
# budget's AUC, in AUC units) accepted before the run fails.
DEFAULT_MAX_AUC_DROP = 0.01

DEFAULT_GPU_DISCOVERY_SCRIPT = "/opt/shaver/conf/gpu-discovery.sh"
DEFAULT_GPU_EXECUTOR_CORES = 4
GPU_ENABLED_KEY = "estimate.gpu.enabled"
GPU_CONF_KEYS = (
    "spark.executor.resource.gpu.amount",
    "spark.task.resource.gpu.amount",
    "spark.executor.resource.gpu.discoveryScript",
)

# The settings of conf/spark-defaults.conf. spark-submit on an Airflow worker does not read that
# file, so they travel as --conf. A test keeps the two in step.
BASE_SPARK_CONF: Mapping[str, str] = {
    "spark.ui.showConsoleProgress": "false",
    "spark.sql.shuffle.partitions": "16",
    "spark.executorEnv.OMP_NUM_THREADS": "1",
    "spark.executor.memoryOverhead": "1g",
    "spark.driver.extraJavaOptions": "-Dorg.bytedeco.javacpp.logger=slf4j",
    "spark.executor.extraJavaOptions": "-Dorg.bytedeco.javacpp.logger=slf4j",
}

_DS_PATTERN = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_CONFIG_KEY_PATTERN = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z_][A-Za-z0-9_]*)*$")
# Config keys that the DAG sets itself, so a job_overrides entry may not replace them.
_RESERVED_KEYS = ("output", "data.path", "compress.sparsity", GPU_ENABLED_KEY)


# ---- budgets -------------------------------------------------------------------------------


def validate_sparsity(values: Any) -> list[float]:
    """Return the sparsity ratios sorted ascending, or raise ValueError naming the bad value.

    Each ratio is the share of embedding entries to prune, a number with 0 < ratio < 1.
    The list must be non-empty and hold no ratio twice. Booleans and strings are rejected,
    even where Python would convert them.
    """
    if not isinstance(values, (list, tuple)):
        raise ValueError(
            f"Invalid sparsity {values!r}: expected a list of ratios such as [0.5, 0.8, 0.95]."
        )
    if not values:
        raise ValueError("Invalid sparsity []: give at least one ratio, such as [0.8].")

    ratios = []
    for value in values:
        is_number = isinstance(value, (int, float)) and not isinstance(value, bool)
        if not is_number or not math.isfinite(value) or not 0 < value < 1:
            raise ValueError(
                f"Invalid sparsity ratio {value!r} in {list(values)!r}: each ratio must be a"
                " number greater than 0 and less than 1."
            )
        ratios.append(float(value))

    duplicates = sorted({ratio for ratio in ratios if ratios.count(ratio) > 1})
    if duplicates:
        raise ValueError(
            f"Invalid sparsity {list(values)!r}: ratio {duplicates[0]!r} appears more than once."
        )
    return sorted(ratios)


def format_sparsity(ratios: Sequence[float]) -> str:
    """Render validated ratios as the YAML flow list that ``--set compress.sparsity=`` takes."""
    return "[" + ",".join(repr(float(ratio)) for ratio in ratios) + "]"


def budget_label(ratio: float) -> str:
    """Return the report's budget label of one sparsity ratio, such as ``sparsity=0.9``.

    NOTE: assumes the report stage prints the ratio as Java's Double.toString does, which
    matches Python's repr for ratios with few digits (0.5, 0.8, 0.95).
    """
    return f"sparsity={float(ratio)!r}"


# ---- dates and paths -----------------------------------------------------------------------


def validate_ds(ds: str) -> str:
    """Return the logical date if it has Airflow's ``ds`` form (YYYY-MM-DD), else raise."""
    if not isinstance(ds, str) or not _DS_PATTERN.match(ds):
        raise ValueError(f"Invalid logical date {ds!r}: expected YYYY-MM-DD, as Airflow's ds.")
    return ds


def run_output_dir(output_root: str, ds: str) -> str:
    """Return the run's output directory ``<output_root>/<ds>``."""
    if not isinstance(output_root, str) or not output_root.strip():
        raise ValueError(f"Invalid output_root {output_root!r}: give a directory path or URI.")
    return output_root.rstrip("/") + "/" + validate_ds(ds)


def resolve_input_path(pattern: str, ds: str) -> str:
    """Replace ``{ds}`` and ``{ds_nodash}`` in the input path pattern with the logical date."""
    if not isinstance(pattern, str) or not pattern.strip():
        raise ValueError(f"Invalid input_path {pattern!r}: give a file, directory or glob.")
    ds = validate_ds(ds)
    return pattern.replace("{ds}", ds).replace("{ds_nodash}", ds.replace("-", ""))


# ---- Spark conf ----------------------------------------------------------------------------


def gpu_conf(executor_cores: int, discovery_script: str) -> dict[str, str]:
    """Return the Spark resource settings that give each executor one GPU.

    The GPU is shared by the executor's task slots (task amount 1/executor_cores), so a GPU
    executor runs as many tasks at once as it has cores. An empty discovery script leaves the
    script key out, for Kubernetes, where ``spark.executor.resource.gpu.vendor`` replaces it.
    """
    is_integer = isinstance(executor_cores, int) and not isinstance(executor_cores, bool)
    if not is_integer or executor_cores < 1:
        raise ValueError(
            f"Invalid executor cores {executor_cores!r} for the GPU profile: expected an integer"
            " of at least 1."
        )
    if not isinstance(discovery_script, str):
        raise ValueError(f"Invalid gpu_discovery_script {discovery_script!r}: expected a path.")

    conf = {
        "spark.executor.cores": str(executor_cores),
        "spark.executor.resource.gpu.amount": "1",
        "spark.task.resource.gpu.amount": _format_share(1 / executor_cores),
    }
    if discovery_script:
        conf["spark.executor.resource.gpu.discoveryScript"] = discovery_script
    return conf


def _format_share(share: float) -> str:
    return "1" if share == 1 else repr(share)


def spark_conf(
    user_conf: Mapping[str, Any] | None = None,
    gpu: bool = False,
    gpu_discovery_script: str = DEFAULT_GPU_DISCOVERY_SCRIPT,
) -> dict[str, str]:
    """Merge the base conf, the GPU profile (when ``gpu``) and the user's conf, in that order.

    User keys must start with ``spark.``, because spark-submit ignores other keys. Values
    must be strings, numbers or booleans, and booleans become ``true``/``false``. In the GPU
    profile the executor cores come from the user's ``spark.executor.cores``, else
    DEFAULT_GPU_EXECUTOR_CORES.
    """
    user = _validate_user_conf(user_conf or {})
    if not isinstance(gpu, bool):
        raise ValueError(f"Invalid gpu {gpu!r}: expected true or false.")

    conf = dict(BASE_SPARK_CONF)
    if gpu:
        cores_text = user.get("spark.executor.cores", str(DEFAULT_GPU_EXECUTOR_CORES))
        if not cores_text.isdigit():
            raise ValueError(
                f"Invalid spark.executor.cores {cores_text!r} for the GPU profile: expected a"
                " whole number."
            )
        conf.update(gpu_conf(int(cores_text), gpu_discovery_script))
    conf.update(user)
    return conf


def _validate_user_conf(user_conf: Mapping[str, Any]) -> dict[str, str]:
    if not isinstance(user_conf, Mapping):
        raise ValueError(
            f"Invalid spark_conf {user_conf!r}: expected a map such as"
            ' {"spark.executor.memory": "8g"}.'
        )
    conf = {}
    for key, value in user_conf.items():
        if not isinstance(key, str) or not key.startswith("spark."):
            raise ValueError(
                f"Invalid spark_conf key {key!r}: Spark properties start with 'spark.'."
            )
        conf[key] = _conf_value(key, value)
    return conf


def _conf_value(key: str, value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float, str)):
        return str(value)
    raise ValueError(
        f"Invalid spark_conf value for {key!r}: {value!r}, expected a string, number or boolean."
    )


def has_gpu_conf(conf: Mapping[str, str]) -> bool:
    """Return True when the conf requests GPUs for executors or tasks."""
    return any(key in conf for key in GPU_CONF_KEYS[:2])


# ---- job arguments -------------------------------------------------------------------------


def yaml_value(value: Any) -> str:
    """Render a value for ``--set key=value``, which the job parses as YAML.

    Strings become JSON strings (valid YAML flow scalars), so a path with ':', '#' or ', '
    stays one string. Booleans become true/false, and numbers and lists use JSON.
    """
    if isinstance(value, (str, bool, int, float, list, tuple)) or value is None:
        return json.dumps(value, allow_nan=False)
    raise ValueError(f"Invalid job setting value {value!r}: expected a string, number, list.")


def validate_job_overrides(overrides: Any) -> dict[str, Any]:
    """Return extra job settings as a dict, or raise ValueError naming the bad key.

    Keys are dotted job config keys such as ``data.min_count``. The keys that this module
    sets from other params (output, data.path, compress.sparsity, estimate.gpu.enabled) are
    rejected, so each setting has one source.
    """
    if overrides is None:
        return {}
    if not isinstance(overrides, Mapping):
        raise ValueError(
            f"Invalid job_overrides {overrides!r}: expected a map such as"
            ' {"data.min_count": 5}.'
        )
    for key in overrides:
        if not isinstance(key, str) or not _CONFIG_KEY_PATTERN.match(key):
            raise ValueError(
                f"Invalid job_overrides key {key!r}: expected a dotted config key such as"
                " data.min_count."
            )
        if key in _RESERVED_KEYS:
            raise ValueError(
                f"Invalid job_overrides key {key!r}: the DAG sets it from its own params"
                " (config, input_path, output_root, sparsity, gpu). Change those instead."
            )
    return dict(overrides)


def application_args(
    config: str,
    output_dir: str,
    sparsity: Sequence[float],
    input_path: str | None = None,
    gpu: bool = False,
    job_overrides: Mapping[str, Any] | None = None,
) -> list[str]:
    """Return the job's arguments: ``run --config ... --output ... --set k=v ...``.

    ``sparsity`` is validated here. ``input_path`` None keeps the config's data.path.
    The GPU switch is always passed, so the job's own default never decides it silently.
    """
    if not isinstance(config, str) or not config.strip():
        raise ValueError(f"Invalid config {config!r}: give the path of the job's YAML config.")
    ratios = validate_sparsity(sparsity)
    overrides = validate_job_overrides(job_overrides)

    args = [JOB_COMMAND, "--config", config, "--output", output_dir]
    if input_path is not None:
        args += ["--set", "data.path=" + yaml_value(input_path)]
    args += ["--set", "compress.sparsity=" + format_sparsity(ratios)]
    args += ["--set", f"{GPU_ENABLED_KEY}={'true' if gpu else 'false'}"]
    for key in sorted(overrides):
        args += ["--set", f"{key}={yaml_value(overrides[key])}"]
    return args


# ---- DAG params ----------------------------------------------------------------------------


@dataclass(frozen=True)
class ParamSpec:
    """One DAG param: its default, its description and its JSON Schema keywords."""

    default: Any
    description: str
    schema: Mapping[str, Any]


PARAM_SPECS: Mapping[str, ParamSpec] = {
    "config": ParamSpec(
        "/opt/shaver/conf/jobs/criteo.yaml",
        "Job config (YAML) as the Spark driver sees it.",
        {"type": "string", "minLength": 1},
    ),
    "input_path": ParamSpec(
        "/data/criteo/{ds}",
        "Day's input (file, directory or glob), passed as data.path. {ds} and {ds_nodash} are"
        " replaced by the logical date.",
        {"type": "string", "minLength": 1},
    ),
    "output_root": ParamSpec(
        "/data/shaver/runs",
        "Root of the run outputs. Each run writes to <output_root>/<ds>.",
        {"type": "string", "minLength": 1},
    ),
    "job_jar": ParamSpec(
        "/opt/shaver/lib/shaver-spark-job-0.1.0-SNAPSHOT-job.jar",
        "The job jar (shaver-spark-job-<version>-job.jar) as spark-submit sees it.",
        {"type": "string", "pattern": r"\.jar$"},
    ),
    "sparsity": ParamSpec(
        list(DEFAULT_SPARSITY),
        "Sparsity ratios of the budget sweep: shares of embedding entries to prune, each in"
        " (0, 1).",
        {
            "type": "array",
            "items": {"type": "number", "exclusiveMinimum": 0, "exclusiveMaximum": 1},
            "minItems": 1,
            "uniqueItems": True,
        },
    ),
    "spark_conf": ParamSpec(
        {},
        "Spark properties added last, over the base conf and the GPU profile.",
        {
            "type": "object",
            "propertyNames": {"pattern": r"^spark\."},
            "additionalProperties": {"type": ["string", "number", "boolean"]},
        },
    ),
    "gpu": ParamSpec(
        False,
        "GPU profile: one GPU per executor, and --set estimate.gpu.enabled=true.",
        {"type": "boolean"},
    ),
    "gpu_discovery_script": ParamSpec(
        DEFAULT_GPU_DISCOVERY_SCRIPT,
        "Path of conf/gpu-discovery.sh on the cluster nodes (GPU profile only). Empty for"
        " Kubernetes, where spark.executor.resource.gpu.vendor goes in spark_conf instead.",
        {"type": "string"},
    ),
    "job_overrides": ParamSpec(
        {},
        "Extra job settings, passed as --set key=value, such as {\"data.min_count\": 5}.",
        {
            "type": "object",
            "additionalProperties": {"type": ["string", "number", "boolean", "array"]},
        },
    ),
    "check_method": ParamSpec(
        DEFAULT_CHECK_METHOD,
        "Method whose AUC the final check compares with the unpruned model.",
        {"type": "string", "minLength": 1},
    ),
    "check_budget": ParamSpec(
        DEFAULT_CHECK_BUDGET,
        "Budget label that the final check reads, such as sparsity=0.8. It must be in the sweep.",
        {"type": "string", "pattern": r"^sparsity="},
    ),
    "max_auc_drop": ParamSpec(
        DEFAULT_MAX_AUC_DROP,
        "Largest accepted unpruned AUC minus budget AUC. A larger drop fails the run.",
        {"type": "number", "minimum": 0, "maximum": 1},
    ),
}


def default_params() -> dict[str, Any]:
    """Return a fresh dict of every param's default value."""
    return {name: json.loads(json.dumps(spec.default)) for name, spec in PARAM_SPECS.items()}


def param_value(params: Mapping[str, Any], name: str) -> Any:
    """Return a param's value, or its default where the mapping lacks it."""
    if name in params:
        return params[name]
    return PARAM_SPECS[name].default


def validate_check_params(params: Mapping[str, Any]) -> None:
    """Raise ValueError unless the final check's params fit the budget sweep."""
    method = param_value(params, "check_method")
    if not isinstance(method, str) or not method.strip():
        raise ValueError(f"Invalid check_method {method!r}: give a method such as shaver-codebook.")

    budget = param_value(params, "check_budget")
    labels = [budget_label(ratio) for ratio in validate_sparsity(param_value(params, "sparsity"))]
    if budget not in labels:
        raise ValueError(
            f"Invalid check_budget {budget!r}: the sweep writes only {', '.join(labels)}."
            " Pick one of them or add its ratio to sparsity."
        )

    max_drop = param_value(params, "max_auc_drop")
    is_number = isinstance(max_drop, (int, float)) and not isinstance(max_drop, bool)
    if not is_number or not 0 <= max_drop <= 1:
        raise ValueError(f"Invalid max_auc_drop {max_drop!r}: expected a number in [0, 1].")


# ---- plan and operator arguments -----------------------------------------------------------


@dataclass(frozen=True)
class SubmitPlan:
    """Submission of one run: the Spark conf, the job arguments and the paths they name."""

    conf: dict[str, str]
    application_args: list[str]
    input_path: str
    output_dir: str

    def to_xcom(self) -> dict[str, Any]:
        """Return the plan as a JSON-serialisable dict, the value the plan task pushes."""
        return {
            "conf": dict(self.conf),
            "application_args": list(self.application_args),
            "input_path": self.input_path,
            "output_dir": self.output_dir,
        }


def build_plan(params: Mapping[str, Any], ds: str) -> SubmitPlan:
    """Validate a run's params and return its plan. A missing param takes its default.

    Raises ValueError naming the first invalid param, before anything is submitted.
    """
    gpu = param_value(params, "gpu")
    output_dir = run_output_dir(param_value(params, "output_root"), ds)
    input_path = resolve_input_path(param_value(params, "input_path"), ds)
    conf = spark_conf(
        param_value(params, "spark_conf"),
        gpu=gpu,
        gpu_discovery_script=param_value(params, "gpu_discovery_script"),
    )
    args = application_args(
        param_value(params, "config"),
        output_dir,
        param_value(params, "sparsity"),
        input_path=input_path,
        gpu=gpu,
        job_overrides=param_value(params, "job_overrides"),
    )
    validate_check_params(params)
    return SubmitPlan(conf, args, input_path, output_dir)


def plan_submit(params: Mapping[str, Any], ds: str) -> dict[str, Any]:
    """Build the run's plan, log the equivalent spark-submit command and return the plan.

    Airflow passes ``params`` and ``ds`` from the task context. The master and deploy mode
    come from the Spark connection, so the logged command leaves them out.
    """
    plan = build_plan(params, ds)
    argv = spark_submit_argv(param_value(params, "job_jar"), plan.conf, plan.application_args)
    LOG.info("Run %s writes to %s. Equivalent command: %s", ds, plan.output_dir, shlex.join(argv))
    return plan.to_xcom()


def xcom_template(plan_task_id: str, key: str) -> str:
    """Return the template that reads one field of the plan task's return value."""
    return "{{ ti.xcom_pull(task_ids='" + plan_task_id + "')['" + key + "'] }}"


def spark_submit_operator_kwargs(
    task_id: str = "compress",
    plan_task_id: str = "plan_submit",
    conn_id: str = DEFAULT_CONN_ID,
) -> dict[str, Any]:
    """Return the SparkSubmitOperator arguments of the Spark task.

    ``conf`` and ``application_args`` are templates that read the plan task's XCom. They
    render to a dict and a list only when the DAG sets ``render_template_as_native_obj``;
    with string rendering the operator would receive their text.
    """
    return {
        "task_id": task_id,
        "conn_id": conn_id,
        "application": "{{ params.job_jar }}",
        "java_class": JOB_CLASS,
        "name": DEFAULT_JOB_NAME + "-{{ ds_nodash }}",
        "conf": xcom_template(plan_task_id, "conf"),
        "application_args": xcom_template(plan_task_id, "application_args"),
    }


def spark_submit_argv(
    application: str,
    conf: Mapping[str, str],
    args: Sequence[str],
    master: str | None = None,
    deploy_mode: str | None = None,
    name: str = DEFAULT_JOB_NAME,
    spark_binary: str = "spark-submit",
) -> list[str]:
    """Return the plain spark-submit command line equivalent to the Spark task.

    Options come in the order that the provider's SparkSubmitHook uses, with the conf keys
    sorted. Raises ValueError
    for GPU resource settings under a local master: local mode has no GPU resources to offer,
    so the job's tasks would wait forever instead of failing.
    """
    if master is not None and master.startswith("local") and has_gpu_conf(conf):
        raise ValueError(
            f"GPU resource settings cannot run under master {master!r}: local mode never"
            " schedules tasks that request GPUs. Turn the GPU profile off or use a cluster."
        )
    argv = [spark_binary]
    if master is not None:
        argv += ["--master", master]
    for key in sorted(conf):
        argv += ["--conf", f"{key}={conf[key]}"]
    argv += ["--name", name, "--class", JOB_CLASS]
    if deploy_mode is not None:
        argv += ["--deploy-mode", deploy_mode]
    argv.append(application)
    argv += list(args)
    return argv
