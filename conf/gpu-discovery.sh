#!/usr/bin/env bash
# Spark resource discovery script for GPUs.
#
# Prints the JSON that Spark expects from spark.{worker,executor}.resource.gpu.discoveryScript:
#   {"name":"gpu","addresses":["0","1"]}
# with one address per GPU that nvidia-smi lists. Where nvidia-smi is missing or fails, it
# prints an empty address list, so a CPU-only node advertises no GPUs instead of failing.
set -u

addresses=""
if command -v nvidia-smi >/dev/null 2>&1; then
  indices=$(nvidia-smi --query-gpu=index --format=csv,noheader 2>/dev/null) || indices=""
  for index in $indices; do
    index=$(echo "$index" | tr -d '[:space:]')
    case "$index" in
      ''|*[!0-9]*) continue ;;
    esac
    addresses="${addresses:+$addresses,}\"$index\""
  done
fi
printf '{"name":"gpu","addresses":[%s]}\n' "$addresses"
