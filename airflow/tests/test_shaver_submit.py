"""Unit tests of the spark-submit builder (no Airflow, no Spark)."""

from __future__ import annotations

import json
import logging
import math

import pytest

import shaver_submit as submit
from repo_paths import REPO_ROOT

DS = "2026-03-01"


def params(**overrides):
    values = submit.default_params()
    values.update(overrides)
    return values


# ---- budgets --------------------------------------------------------------------------------


def test_sparsity_sorted_as_floats():
    assert submit.validate_sparsity([0.95, 0.5, 0.8]) == [0.5, 0.8, 0.95]
    assert submit.validate_sparsity((0.25,)) == [0.25]


@pytest.mark.parametrize(
    "values, fragment",
    [
        ([], "at least one ratio"),
        (0.5, "expected a list"),
        ("0.5,0.8", "expected a list"),
        ([0], "ratio 0 "),
        ([1], "ratio 1 "),
        ([1.2], "ratio 1.2 "),
        ([-0.1], "ratio -0.1 "),
        ([True], "ratio True "),
        (["0.5"], "ratio '0.5' "),
        ([math.nan], "ratio nan "),
        ([0.5, 0.8, 0.5], "0.5 appears more than once"),
    ],
)
def test_sparsity_rejects_bad_values(values, fragment):
    with pytest.raises(ValueError) as error:
        submit.validate_sparsity(values)
    assert fragment in str(error.value)


def test_sparsity_list_formats_as_yaml_flow_list():
    assert submit.format_sparsity([0.5, 0.8, 0.95]) == "[0.5,0.8,0.95]"


def test_budget_label_matches_report_form():
    assert submit.budget_label(0.9) == "sparsity=0.9"
    assert submit.budget_label(0.95) == "sparsity=0.95"


# ---- dates and paths ------------------------------------------------------------------------


def test_output_dir_appends_logical_date():
    assert submit.run_output_dir("/data/runs", DS) == "/data/runs/2026-03-01"
    assert submit.run_output_dir("hdfs://nn/runs/", DS) == "hdfs://nn/runs/2026-03-01"


@pytest.mark.parametrize("ds", ["2026-3-1", "20260301", "{{ ds }}", None])
def test_output_dir_rejects_bad_date(ds):
    with pytest.raises(ValueError, match="Invalid logical date"):
        submit.run_output_dir("/data/runs", ds)


def test_output_dir_rejects_blank_root():
    with pytest.raises(ValueError, match="Invalid output_root"):
        submit.run_output_dir("  ", DS)


def test_input_path_replaces_both_date_forms():
    pattern = "/data/criteo/{ds}/part-{ds_nodash}.txt"
    assert submit.resolve_input_path(pattern, DS) == "/data/criteo/2026-03-01/part-20260301.txt"
    assert submit.resolve_input_path("/data/fixed.txt", DS) == "/data/fixed.txt"


# ---- job arguments --------------------------------------------------------------------------


def test_args_follow_run_command_form():
    args = submit.application_args(
        "conf/jobs/criteo.yaml", "/runs/2026-03-01", [0.8, 0.5], input_path="/in/day.txt")
    assert args == [
        "run", "--config", "conf/jobs/criteo.yaml", "--output", "/runs/2026-03-01",
        "--set", 'data.path="/in/day.txt"',
        "--set", "compress.sparsity=[0.5,0.8]",
        "--set", "estimate.gpu.enabled=false",
    ]


def test_args_without_input_keep_config_path():
    args = submit.application_args("c.yaml", "/runs/x", [0.5])
    assert not any(arg.startswith("data.path=") for arg in args)


def test_args_gpu_switch_on():
    args = submit.application_args("c.yaml", "/runs/x", [0.5], gpu=True)
    assert args[-2:] == ["--set", "estimate.gpu.enabled=true"]


def test_args_overrides_sorted_and_encoded():
    args = submit.application_args(
        "c.yaml", "/runs/x", [0.5], job_overrides={"seed": 7, "data.format": "criteo"})
    assert args[-4:] == ["--set", 'data.format="criteo"', "--set", "seed=7"]


@pytest.mark.parametrize(
    "key", ["output", "data.path", "compress.sparsity", "estimate.gpu.enabled"])
def test_args_overrides_reject_reserved_key(key):
    with pytest.raises(ValueError, match="the DAG sets it from its own params"):
        submit.application_args("c.yaml", "/runs/x", [0.5], job_overrides={key: 1})


@pytest.mark.parametrize("key", ["", "data..path", "data.path=x", "-seed"])
def test_args_overrides_reject_bad_key(key):
    with pytest.raises(ValueError, match="expected a dotted config key"):
        submit.application_args("c.yaml", "/runs/x", [0.5], job_overrides={key: 1})


def test_args_reject_blank_config():
    with pytest.raises(ValueError, match="Invalid config"):
        submit.application_args(" ", "/runs/x", [0.5])


def test_yaml_value_keeps_awkward_path_one_string():
    yaml = pytest.importorskip(
        "yaml",
        reason="PyYAML is not installed; this test parses the value with it (pip install pyyaml)")
    path = "hdfs://nn:8020/in/a: b #1, c.txt"
    assert yaml.safe_load(submit.yaml_value(path)) == path
    assert yaml.safe_load(submit.yaml_value([0.5, 0.8])) == [0.5, 0.8]
    assert yaml.safe_load(submit.yaml_value(True)) is True


# ---- Spark conf -----------------------------------------------------------------------------


def test_base_conf_matches_spark_defaults_file():
    defaults = {}
    for line in (REPO_ROOT / "conf" / "spark-defaults.conf").read_text().splitlines():
        line = line.strip()
        if line and not line.startswith("#"):
            key, value = line.split(None, 1)
            defaults[key] = value.strip()
    assert dict(submit.BASE_SPARK_CONF) == defaults


def test_conf_without_gpu_has_no_gpu_keys():
    conf = submit.spark_conf()
    assert conf == dict(submit.BASE_SPARK_CONF)
    assert not submit.has_gpu_conf(conf)


def test_conf_user_values_win_and_become_strings():
    conf = submit.spark_conf({"spark.sql.shuffle.partitions": 64, "spark.ui.enabled": False})
    assert conf["spark.sql.shuffle.partitions"] == "64"
    assert conf["spark.ui.enabled"] == "false"
    assert conf["spark.executor.memoryOverhead"] == "1g"


def test_conf_gpu_profile_shares_gpu_over_cores():
    conf = submit.spark_conf(gpu=True)
    assert conf["spark.executor.cores"] == "4"
    assert conf["spark.executor.resource.gpu.amount"] == "1"
    assert conf["spark.task.resource.gpu.amount"] == "0.25"
    script = conf["spark.executor.resource.gpu.discoveryScript"]
    assert script == submit.DEFAULT_GPU_DISCOVERY_SCRIPT
    assert submit.has_gpu_conf(conf)


@pytest.mark.parametrize("cores, share", [("1", "1"), ("2", "0.5"), (8, "0.125")])
def test_conf_gpu_task_share_follows_user_cores(cores, share):
    conf = submit.spark_conf({"spark.executor.cores": cores}, gpu=True)
    assert conf["spark.task.resource.gpu.amount"] == share
    assert conf["spark.executor.cores"] == str(cores)


def test_conf_gpu_empty_script_omits_key():
    conf = submit.spark_conf(gpu=True, gpu_discovery_script="")
    assert "spark.executor.resource.gpu.discoveryScript" not in conf
    assert conf["spark.executor.resource.gpu.amount"] == "1"


@pytest.mark.parametrize(
    "user, gpu, fragment",
    [
        ({"executor.memory": "8g"}, False, "start with 'spark.'"),
        ({"spark.x": {"a": 1}}, False, "expected a string, number or boolean"),
        (["spark.x=1"], False, "expected a map"),
        ({"spark.executor.cores": "two"}, True, "expected a whole number"),
        ({"spark.executor.cores": "0"}, True, "at least 1"),
    ],
)
def test_conf_rejects_bad_user_conf(user, gpu, fragment):
    with pytest.raises(ValueError) as error:
        submit.spark_conf(user, gpu=gpu)
    assert fragment in str(error.value)


def test_conf_rejects_non_boolean_gpu():
    with pytest.raises(ValueError, match="Invalid gpu 'yes'"):
        submit.spark_conf(gpu="yes")


# ---- spark-submit argv ----------------------------------------------------------------------


def test_argv_orders_options_like_hook():
    argv = submit.spark_submit_argv(
        "job.jar", {"spark.b": "2", "spark.a": "1"}, ["run", "--config", "c.yaml"],
        master="yarn", deploy_mode="cluster", name="n")
    assert argv == [
        "spark-submit", "--master", "yarn", "--conf", "spark.a=1", "--conf", "spark.b=2",
        "--name", "n", "--class", "io.shaver.cli.ShaverCli", "--deploy-mode", "cluster",
        "job.jar", "run", "--config", "c.yaml",
    ]


def test_argv_rejects_gpu_under_local_master():
    with pytest.raises(ValueError, match="local mode never schedules"):
        submit.spark_submit_argv("job.jar", submit.spark_conf(gpu=True), [], master="local[2]")


def test_argv_accepts_gpu_on_cluster_master():
    argv = submit.spark_submit_argv("job.jar", submit.spark_conf(gpu=True), [], master="yarn")
    assert "spark.executor.resource.gpu.amount=1" in argv


# ---- plan -----------------------------------------------------------------------------------


def test_plan_from_defaults():
    plan = submit.build_plan(params(), DS)
    assert plan.output_dir == "/data/shaver/runs/2026-03-01"
    assert plan.input_path == "/data/criteo/2026-03-01"
    assert plan.conf == dict(submit.BASE_SPARK_CONF)
    assert plan.application_args[:5] == [
        "run", "--config", "/opt/shaver/conf/jobs/criteo.yaml",
        "--output", "/data/shaver/runs/2026-03-01"]
    assert "compress.sparsity=[0.5,0.8,0.95]" in plan.application_args


def test_plan_gpu_param_sets_conf_and_switch():
    plan = submit.build_plan(params(gpu=True, spark_conf={"spark.executor.cores": 2}), DS)
    assert plan.conf["spark.task.resource.gpu.amount"] == "0.5"
    assert "estimate.gpu.enabled=true" in plan.application_args


def test_plan_missing_params_take_defaults():
    assert submit.build_plan({}, DS) == submit.build_plan(params(), DS)


def test_plan_rejects_check_budget_outside_sweep():
    with pytest.raises(ValueError) as error:
        submit.build_plan(params(sparsity=[0.5, 0.9], check_budget="sparsity=0.8"), DS)
    message = str(error.value)
    assert "Invalid check_budget 'sparsity=0.8'" in message
    assert "sparsity=0.5, sparsity=0.9" in message


@pytest.mark.parametrize("value", [-0.01, 1.5, True, "0.01"])
def test_plan_rejects_bad_max_auc_drop(value):
    with pytest.raises(ValueError, match="Invalid max_auc_drop"):
        submit.build_plan(params(max_auc_drop=value), DS)


def test_plan_rejects_bad_sparsity_param():
    with pytest.raises(ValueError, match="ratio 1.5"):
        submit.build_plan(params(sparsity=[0.5, 1.5]), DS)


def test_plan_task_returns_json_and_logs_command(caplog):
    with caplog.at_level(logging.INFO, logger="shaver_submit"):
        value = submit.plan_submit(params(), DS)
    assert json.loads(json.dumps(value)) == value
    assert set(value) == {"conf", "application_args", "input_path", "output_dir"}
    assert "spark-submit --conf spark.driver.extraJavaOptions=" in caplog.text
    assert " --conf spark.executor.memoryOverhead=1g " in caplog.text
    assert "shaver-spark-job-0.1.0-SNAPSHOT-job.jar run --config" in caplog.text


def test_operator_kwargs_read_plan_from_xcom():
    kwargs = submit.spark_submit_operator_kwargs(plan_task_id="plan")
    assert kwargs["java_class"] == "io.shaver.cli.ShaverCli"
    assert kwargs["conn_id"] == "spark_shaver"
    assert kwargs["application"] == "{{ params.job_jar }}"
    assert kwargs["name"] == "shaver-nightly-{{ ds_nodash }}"
    assert kwargs["conf"] == "{{ ti.xcom_pull(task_ids='plan')['conf'] }}"
    assert kwargs["application_args"] == "{{ ti.xcom_pull(task_ids='plan')['application_args'] }}"


def test_param_specs_cover_plan_inputs():
    names = set(submit.PARAM_SPECS)
    assert names == {
        "config", "input_path", "output_root", "job_jar", "sparsity", "spark_conf", "gpu",
        "gpu_discovery_script", "job_overrides", "check_method", "check_budget", "max_auc_drop",
    }
    assert submit.PARAM_SPECS["gpu"].default is False
