#!/usr/bin/env bash
# Runs the notebook tests against the outputs of a small real run of the job.
#
# Generates 6,000 Criteo-format rows, runs the whole pipeline on them with bin/shaver under
# embedded Spark (conf/jobs/quickstart.yaml with smaller sizes), then calls
# notebooks/tests/run.sh with SHAVER_NOTEBOOK_OUTPUT pointing at that run. Needs the
# self-contained jar; it builds it with Maven when it is missing.
set -euo pipefail
cd "$(dirname "$0")/../.."

run_dir="${SHAVER_NOTEBOOK_RUN:-$PWD/target/notebook-run}"
if ! ls spark-job/target/shaver-spark-job-*-all.jar >/dev/null 2>&1; then
  mvn -B -q -DskipTests package
fi

rm -rf "$run_dir"
bin/shaver generate --rows 6000 --out "$run_dir-data/train.txt" --seed 7
bin/shaver run --config conf/jobs/quickstart.yaml --output "$run_dir" \
  --set data.path="$run_dir-data/train.txt" --set estimate.max_passes=1 \
  --set train.max_epochs=2

SHAVER_NOTEBOOK_OUTPUT="$run_dir" exec notebooks/tests/run.sh "$@"
