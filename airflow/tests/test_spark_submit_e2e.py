"""End-to-end: the argv that the DAG's plan builds, run through Spark's own SparkSubmit class.

No Spark distribution is needed: ``org.apache.spark.deploy.SparkSubmit`` comes from the Maven
classpath of spark-job (``mvn dependency:build-classpath``), started with the JVM flags of
bin/shaver, and the application is the job jar that the DAG submits
(``spark-job/target/shaver-spark-job-<version>-job.jar``). The master is always local, and
the GPU profile is never used here: under a local master, tasks that request GPUs are never
scheduled and the job would hang.

Outside CI, missing build outputs skip these tests with the command that builds them. In CI
(the CI environment variable set) they fail instead. airflow/tests/run.sh builds the jar when it
is missing or older than the sources.
"""

from __future__ import annotations

import json
import math
import os
import re
import shutil
import subprocess
from decimal import Decimal
from pathlib import Path

import pytest

import shaver_checks as checks
import shaver_submit as submit
from repo_paths import JOB_TARGET_DIR, REPO_ROOT

DS = "2026-03-01"
MASTER = "local[2]"
BUILD_COMMAND = "mvn -B -q -o -DskipTests package"
CLASSPATH_FILE = JOB_TARGET_DIR / "airflow-e2e" / "classpath.txt"
SHORT_TIMEOUT_S = 180
# Limit for the whole pipeline on a few thousand generated rows. SHAVER_E2E_TIMEOUT_S
# overrides it.
RUN_TIMEOUT_S = int(os.environ.get("SHAVER_E2E_TIMEOUT_S", "1200"))


def skip_or_fail_in_ci(reason: str):
    """Fail in CI, skip elsewhere, with the reason and the fix."""
    if os.environ.get("CI"):
        pytest.fail(reason)
    pytest.skip(reason)


def pom_property(text: str, name: str) -> str:
    match = re.search(f"<{re.escape(name)}>([^<]+)</{re.escape(name)}>", text)
    assert match, f"<{name}> not found in pom.xml"
    return match.group(1).strip()


def launcher_jvm_flags() -> list[str]:
    """Return the spark_jvm_flags array of bin/shaver, so both start Spark the same way."""
    script = (REPO_ROOT / "bin" / "shaver").read_text()
    match = re.search(r"^spark_jvm_flags=\((.*?)^\)", script, re.MULTILINE | re.DOTALL)
    assert match, "spark_jvm_flags=( ... ) not found in bin/shaver"
    flags = match.group(1).split()
    assert "--add-opens=java.base/java.nio=ALL-UNNAMED" in flags
    return flags


def newest_source_mtime() -> float:
    paths = [REPO_ROOT / "pom.xml", REPO_ROOT / "spark-job" / "pom.xml"]
    paths += [path for path in (REPO_ROOT / "spark-job" / "src" / "main").rglob("*")
              if path.is_file()]
    return max(path.stat().st_mtime for path in paths)


@pytest.fixture(scope="module")
def job_jar() -> Path:
    jars = sorted(JOB_TARGET_DIR.glob("shaver-spark-job-*-job.jar"))
    if not jars:
        skip_or_fail_in_ci(f"No job jar in {JOB_TARGET_DIR}. Build it first: {BUILD_COMMAND}")
    if jars[-1].stat().st_mtime < newest_source_mtime():
        skip_or_fail_in_ci(
            f"{jars[-1].name} is older than the sources. Rebuild it: {BUILD_COMMAND}")
    return jars[-1]


@pytest.fixture(scope="module")
def classpath() -> str:
    """Return spark-job's compile classpath (Spark included), built once by Maven."""
    if shutil.which("java") is None or shutil.which("mvn") is None:
        skip_or_fail_in_ci("java and mvn must be on PATH for the spark-submit tests.")
    poms = [REPO_ROOT / "pom.xml", REPO_ROOT / "spark-job" / "pom.xml"]
    fresh = CLASSPATH_FILE.exists() and CLASSPATH_FILE.stat().st_mtime >= max(
        pom.stat().st_mtime for pom in poms)
    if not fresh:
        CLASSPATH_FILE.parent.mkdir(parents=True, exist_ok=True)
        command = ["mvn", "-B", "-q", "-o", "dependency:build-classpath", "-pl", "spark-job",
                   "-Dmdep.includeScope=compile", f"-Dmdep.outputFile={CLASSPATH_FILE}"]
        result = subprocess.run(command, cwd=REPO_ROOT, capture_output=True, text=True,
                                timeout=SHORT_TIMEOUT_S, check=False)
        if result.returncode != 0:
            skip_or_fail_in_ci(f"{' '.join(command)} failed (run one online build first):\n"
                    f"{result.stdout}{result.stderr}")
    return CLASSPATH_FILE.read_text().strip()


@pytest.fixture(scope="module")
def spark_submit(classpath):
    """Return a function that runs a spark-submit argv through SparkSubmit in a local JVM."""
    flags = launcher_jvm_flags()
    env = dict(os.environ, SPARK_LOCAL_IP="127.0.0.1")
    env.pop("SPARK_HOME", None)

    def run(argv: list[str], cwd: Path, timeout_s: int) -> subprocess.CompletedProcess:
        assert argv[0] == "spark-submit"
        assert not submit.has_gpu_conf(dict(
            argv[i + 1].split("=", 1) for i, arg in enumerate(argv) if arg == "--conf"))
        command = ["java", "-Xmx2g", *flags, "-cp", classpath,
                   "org.apache.spark.deploy.SparkSubmit", *argv[1:]]
        try:
            return subprocess.run(command, cwd=cwd, env=env, capture_output=True, text=True,
                                  timeout=timeout_s, check=False)
        except subprocess.TimeoutExpired as error:
            pytest.fail(f"spark-submit timed out after {timeout_s} s: {argv}\n"
                        f"{error.stdout}\n{error.stderr}")

    return run


def local_conf(**extra) -> dict[str, str]:
    return submit.spark_conf({"spark.ui.enabled": False, **extra})


def versions() -> tuple[str, str]:
    text = (REPO_ROOT / "pom.xml").read_text()
    project = re.search(
        r"<artifactId>shaver-spark-parent</artifactId>\s*<version>([^<]+)</version>", text)
    assert project, "project version not found in pom.xml"
    return project.group(1), pom_property(text, "spark.version")


# ---- works today ----------------------------------------------------------------------------


def test_version_through_spark_submit(spark_submit, job_jar, tmp_path):
    argv = submit.spark_submit_argv(str(job_jar), local_conf(), ["--version"], master=MASTER)
    result = spark_submit(argv, tmp_path, SHORT_TIMEOUT_S)

    shaver_version, spark_version = versions()
    assert result.returncode == 0, result.stdout + result.stderr
    assert f"shaver-spark {shaver_version}" in result.stdout
    assert f"Spark {spark_version}" in result.stdout


def test_unknown_command_exits_nonzero(spark_submit, job_jar, tmp_path):
    argv = submit.spark_submit_argv(str(job_jar), local_conf(), ["no-such-command"],
                                    master=MASTER)
    result = spark_submit(argv, tmp_path, SHORT_TIMEOUT_S)

    assert result.returncode == 2, result.stdout + result.stderr
    assert "no-such-command" in result.stderr


# ---- the whole nightly run, once the job's run command exists -------------------------------


def command_status(result: subprocess.CompletedProcess, stage: str) -> str | None:
    """Return None when a job command succeeded, else a one-line description of the failure."""
    if result.returncode == 0:
        return None
    line = not_implemented_line(result, stage)
    if line:
        return line
    lines = (result.stderr or result.stdout).strip().splitlines() or ["no output"]
    return f"exit code {result.returncode}: {lines[0]}"


def not_implemented_line(result: subprocess.CompletedProcess, stage: str) -> str | None:
    """Return the job's "not implemented" message for ``stage``, if the output has one."""
    pattern = f"the '{stage}' (stage|command) is not implemented[^\n]*"
    match = re.search(pattern, result.stdout + result.stderr)
    return match.group(0) if match else None


def write_config(tmp_path: Path) -> Path:
    config = tmp_path / "nightly.yaml"
    config.write_text(
        "# Test config: --output and --set data.path from the DAG replace the two paths.\n"
        f"output: {tmp_path / 'unused-output'}\n"
        "seed: 2023\n"
        "data:\n"
        "  format: criteo\n"
        f"  path: {tmp_path / 'unused-input.txt'}\n"
        "  min_count: 1\n"
        "# Small sizes keep the whole pipeline within a few minutes on 2 cores.\n"
        "model: {kind: deepfm, hidden: [32]}\n"
        "train: {batch_size: 256, max_epochs: 2, patience: 1}\n"
        "estimate: {data: val, max_passes: 1, batch_size: 128, zero_baseline: false}\n"
        "evaluate: {methods: [shaver-codebook, magnitude, random], ptq_bits: [8]}\n"
    )
    return config


def test_nightly_run_writes_report(spark_submit, job_jar, tmp_path):
    params = submit.default_params()
    params.update(
        config=str(write_config(tmp_path)),
        input_path=str(tmp_path / "input" / "{ds}" / "train.txt"),
        output_root=str(tmp_path / "runs"),
        job_jar=str(job_jar),
        sparsity=[0.5, 0.9],
        spark_conf={"spark.ui.enabled": False, "spark.sql.shuffle.partitions": 2},
        check_budget="sparsity=0.9",
        max_auc_drop=1.0,
    )
    plan = submit.build_plan(params, DS)
    input_file = Path(plan.input_path)
    input_file.parent.mkdir(parents=True)

    generate_args = ["generate", "--rows", "4000", "--out", str(input_file), "--seed", "7"]
    generated = spark_submit(
        submit.spark_submit_argv(str(job_jar), plan.conf, generate_args, master=MASTER),
        tmp_path, RUN_TIMEOUT_S)
    generate_status = command_status(generated, "generate")

    run_argv = submit.spark_submit_argv(str(job_jar), plan.conf, plan.application_args,
                                        master=MASTER)
    result = spark_submit(run_argv, tmp_path, RUN_TIMEOUT_S)
    skip_if_run_missing(spark_submit, job_jar, plan, result, generate_status, tmp_path)
    if not_implemented_line(generated, "generate"):
        pytest.skip(f"NOT TESTED: the job's generate command is missing ({generate_status}),"
                    " so there is no input for the run.")
    assert generated.returncode == 0, generated.stdout + generated.stderr
    assert checks.wait_for_input(params, DS)
    assert result.returncode == 0, result.stdout[-4000:] + result.stderr[-4000:]

    check_run_outputs(plan, params)


def skip_if_run_missing(spark_submit, job_jar, plan, result, generate_status, tmp_path):
    """Skip, loudly, while the job has no run command. Fail if run rejects the DAG's keys."""
    generate_note = f" The generate command: {generate_status or 'succeeded'}."
    line = not_implemented_line(result, "run")
    if line:
        pytest.skip(f"NOT TESTED: the job's run command is missing ({line}).{generate_note}")
    if result.returncode != 2 or "Unknown config key" not in result.stderr:
        return

    # The config rejected a key that the DAG sets. Tell apart "run does not exist yet" from
    # "run exists but disagrees with the DAG" by running it without the DAG's --set keys.
    bare_args = [submit.JOB_COMMAND, "--config", plan.application_args[2],
                 "--output", plan.output_dir]
    bare = spark_submit(submit.spark_submit_argv(str(job_jar), plan.conf, bare_args,
                                                 master=MASTER), tmp_path, RUN_TIMEOUT_S)
    bare_line = not_implemented_line(bare, "run")
    if bare_line:
        pytest.skip(f"NOT TESTED: the job's run command is missing ({bare_line}), and its config"
                    f" does not accept all keys the DAG sets yet: {result.stderr.strip()}"
                    f"{generate_note}")
    pytest.fail(f"The job's run command rejects a key that the DAG sets: {result.stderr}")


def check_run_outputs(plan, params):
    summary_file = Path(checks.summary_path(plan.output_dir))
    assert summary_file.is_file(), f"{summary_file} missing after a successful run"
    summary = json.loads(summary_file.read_text())
    assert 0 <= summary["unpruned"]["auc"] <= 1

    rows = {(row["method"], row["budget"]): row for row in summary["results"]}
    parameters = summary["model"]["n"] * summary["model"]["d"]
    for ratio in params["sparsity"]:
        label = submit.budget_label(ratio)
        assert ("shaver-codebook", label) in rows, f"{label} missing from {summary_file}"
        # A budget prunes floor(n * d * ratio) parameters, so the reported sparsity is that
        # count over n * d, not the ratio itself.
        pruned = math.floor(Decimal(str(ratio)) * parameters)
        assert rows[("shaver-codebook", label)]["sparsity"] == pytest.approx(
            pruned / parameters, abs=1e-12)

    result = checks.check_report(params, DS)
    assert result["passed"] is True
