#!/usr/bin/env bash
# Runs the Airflow DAG tests: builder and check unit tests, DAG file tests against stand-in
# Airflow modules, and spark-submit end-to-end tests through Spark's SparkSubmit class.
#
#   airflow/tests/run.sh [PYTEST ARGS]
#
# Builds the job jar first when it is missing or older than the sources, because the
# end-to-end tests submit it. Environment: PYTHON picks the interpreter (default python3),
# SHAVER_E2E_TIMEOUT_S the time limit of one pipeline run in seconds (default 1200).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$root"
python="${PYTHON:-python3}"

if ! "$python" -c 'import pytest' 2>/dev/null; then
  echo "airflow/tests/run.sh: pytest is not installed for $python." >&2
  echo "  Install it with 'pip install pytest' or 'apt-get install python3-pytest'." >&2
  exit 2
fi

jar=$(ls spark-job/target/shaver-spark-job-*-job.jar 2>/dev/null | head -n 1 || true)
if [ -z "$jar" ] || [ -n "$(find pom.xml spark-job/pom.xml spark-job/src/main -newer "$jar" -print -quit)" ]; then
  echo "airflow/tests/run.sh: building the job jar for the spark-submit tests (mvn package)"
  mvn -B -q -DskipTests package
fi

export SPARK_LOCAL_IP=127.0.0.1
exec "$python" -m pytest -p no:cacheprovider -ra airflow/tests "$@"
