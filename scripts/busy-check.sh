#!/usr/bin/env bash
# Runs the whole test command several times in a row (3 by default) with busy processes beside it (2 by default),
# each spinning a core, to show that no test depends on the machine's speed. Stops at the first failing run.
#   scripts/busy-check.sh [RUNS] [BUSY]
set -euo pipefail
cd "$(dirname "$0")/.."
runs="${1:-3}"
busy="${2:-2}"

mkdir -p reports
burners=()
stop_burners() { ((${#burners[@]} == 0)) || kill "${burners[@]}" 2>/dev/null || true; }
trap stop_burners EXIT
for _ in $(seq "$busy"); do
  # A shell loop that never sleeps: one core's worth of load each, with nothing to install.
  bash -c 'while :; do :; done' &
  burners+=("$!")
done
echo "busy-check: ${busy} busy processes (pids ${burners[*]}), ${runs} runs of scripts/test.sh"

for run in $(seq "$runs"); do
  started=$SECONDS
  if ! bash scripts/test.sh >"reports/busy-check-${run}.log" 2>&1; then
    echo "busy-check: run ${run} of ${runs} FAILED after $((SECONDS - started)) s; see reports/busy-check-${run}.log" >&2
    exit 1
  fi
  summary=$(grep -E '^Tests: ' "reports/busy-check-${run}.log" | tail -1)
  echo "busy-check: run ${run} of ${runs} passed in $((SECONDS - started)) s (${summary})"
done
echo "busy-check: ${runs} of ${runs} runs passed with ${busy} busy processes beside them"
