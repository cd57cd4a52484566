#!/usr/bin/env bash
# Create or update the notebooks' Python virtual environment from notebooks/requirements.txt.
#
# Usage: notebooks/tests/setup_venv.sh [VENV_DIR]
#   VENV_DIR defaults to $SHAVER_NOTEBOOK_VENV, else notebooks/.venv.
#   SHAVER_PYTHON selects the interpreter that creates the venv (default python3).
#
# When pip's configuration names on-disk package indexes (file:// URLs, as on the CI image),
# only those are used, so no network index is contacted. Otherwise pip's own configuration
# applies (PyPI on a laptop). Set PIP_INDEX_URL to choose an index yourself.
#
# Exit status: 0 when the venv is ready, 3 when pyarrow cannot be installed (the notebook tests
# cannot run on this machine), 1 on any other failure.
set -euo pipefail

notebooks="$(cd "$(dirname "$0")/.." && pwd)"
venv="${1:-${SHAVER_NOTEBOOK_VENV:-$notebooks/.venv}}"
python="${SHAVER_PYTHON:-python3}"
requirements="$notebooks/requirements.txt"
stamp="$venv/.requirements.sha256"
wanted="$(sha256sum "$requirements" | cut -d ' ' -f 1)"

if [[ -x "$venv/bin/python" && -f "$stamp" && "$(cat "$stamp")" == "$wanted" ]]; then
  echo "Notebook venv $venv is up to date with $requirements"
  exit 0
fi

if [[ -z "${PIP_INDEX_URL:-}" ]]; then
  # pip config list prints lines such as: global.extra-index-url='file:///a/simple file:///b/simple'
  mapfile -t local_indexes < <("$python" -m pip config list 2>/dev/null \
    | sed -nE "s/^[^=]*index-url='(.*)'$/\1/p" | tr ' ' '\n' | grep '^file://' || true)
  if (( ${#local_indexes[@]} > 0 )); then
    export PIP_INDEX_URL="${local_indexes[0]}"
    if (( ${#local_indexes[@]} > 1 )); then
      export PIP_EXTRA_INDEX_URL="${local_indexes[*]:1}"
    else
      export PIP_EXTRA_INDEX_URL="${local_indexes[0]}"
    fi
    echo "Installing from the on-disk package indexes only: ${local_indexes[*]}"
  fi
fi

started=$SECONDS
rm -f "$stamp"
"$python" -m venv "$venv"
pip=("$venv/bin/python" -m pip install --quiet --disable-pip-version-check)

pyarrow_pin="$(grep -E '^pyarrow==' "$requirements")"
if ! "${pip[@]}" --retries 1 --timeout 20 "$pyarrow_pin"; then
  echo "pip could not install $pyarrow_pin into $venv" >&2
  exit 3
fi
"${pip[@]}" -r "$requirements"
echo "$wanted" > "$stamp"
echo "Notebook venv $venv ready in $((SECONDS - started)) s"
